import type { IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { RETRY_DEFAULTS, retryWithBackoff } from './retry';

/** A failure that no retry can mend: reported at once. */
class FinalDownloadError extends Error {}

/** Network failures worth another try; anything else (bad URL, unsupported protocol) is final. */
function isTransientNetworkError(error: unknown): boolean {
	const outer = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
	const text = [outer?.code, outer?.cause?.code, outer?.message]
		.filter((part) => typeof part === 'string')
		.join(' ');
	return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|ENOTFOUND|socket hang up|closed unexpectedly|timeout|network/i.test(
		text,
	);
}

/** A streamed answer body, as n8n's binary helpers take it. */
export type ResponseStream = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

/**
 * The body stream cut off with an error as soon as it passes `maxBytes` (a host may announce no
 * length, or a false one) or when `stopSignal` fires (a host trickling bytes past the deadline).
 */
function capped(
	stream: ResponseStream,
	maxBytes: number,
	stopSignal?: AbortSignal,
): ResponseStream {
	let size = 0;
	return stream.map(
		(chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.length;
			if (size > maxBytes)
				throw new FinalDownloadError(
					`the file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB allowed by Max ` +
						`Download Size`,
				);
			return buffer;
		},
		{ signal: stopSignal },
	);
}

async function collect(stream: ResponseStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 5;

export interface FileHostResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

export type FileHostOutcome =
	| { response: FileHostResponse }
	| { reason: string }
	| { cancelled: true };

export interface FileHostLimits {
	/** Larger answers are cut off (the body is then streamed, never buffered past the cap). */
	maxBytes?: number;
	/** Everything spent on the file, retries included, however slowly it flows. */
	deadlineMs?: number;
	/**
	 * Says why a URL must not be fetched (undefined when it may). With it, redirects are followed
	 * one by one and each address they name is judged too.
	 */
	refuseUrl?: (url: string) => string | undefined;
	/**
	 * Takes the answer's body as a stream (e.g. into n8n's binary storage) instead of a buffer; its
	 * result becomes the response body. Needs `maxBytes`.
	 */
	consume?: (body: ResponseStream, response: FileHostResponse) => Promise<unknown>;
}

/**
 * One request to RunningHub's file storage (result download, LoRA PUT), never with a RunningHub
 * credential. The work behind it is already paid for, so a transient failure (HTTP 5xx/429, a lost
 * connection, a timeout) is retried like an API read. Any other answer is returned as is; the
 * caller decides what a 4xx means.
 */
export async function fileHostRequest(
	context: IExecuteFunctions | IWebhookFunctions,
	options: IHttpRequestOptions,
	limits: FileHostLimits = {},
): Promise<FileHostOutcome> {
	const withSignal = context as Partial<IExecuteFunctions>;
	const signal =
		typeof withSignal.getExecutionCancelSignal === 'function'
			? withSignal.getExecutionCancelSignal()
			: undefined;
	// The request timeout only notices a silent host; a host trickling bytes is stopped by the
	// deadline.
	const deadlineMs = limits.deadlineMs;
	const deadlineSignal = deadlineMs !== undefined ? AbortSignal.timeout(deadlineMs) : undefined;
	const parts = [signal, deadlineSignal].filter((part): part is AbortSignal => part !== undefined);
	const stopSignal = parts.length > 1 ? AbortSignal.any(parts) : parts[0];
	const overDeadline = `the transfer took longer than ${(deadlineMs ?? 0) / 1000} s`;
	const { maxBytes, refuseUrl } = limits;

	const sendFollowingRedirects = async (): Promise<FileHostResponse | { reason: string }> => {
		let url = options.url;
		for (let redirects = 0; ; redirects++) {
			const refusal = refuseUrl?.(url);
			if (refusal) return { reason: refusal };
			const response = (await context.helpers.httpRequest({
				...options,
				url,
				...(maxBytes !== undefined ? { encoding: 'stream' as const } : {}),
				...(refuseUrl ? { disableFollowRedirect: true } : {}),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				abortSignal: stopSignal,
			})) as FileHostResponse;
			const location = response.headers?.location;
			if (!refuseUrl || !REDIRECT_STATUSES.includes(response.statusCode) || !location)
				return response;
			(response.body as ResponseStream | undefined)?.destroy?.();
			if (redirects === MAX_REDIRECTS)
				return { reason: `the host redirected more than ${MAX_REDIRECTS} times` };
			try {
				url = new URL(location, url).href;
			} catch {
				return { reason: 'the host redirected to an address that is not a valid URL' };
			}
		}
	};

	const result = await retryWithBackoff<FileHostOutcome, string>(
		RETRY_DEFAULTS,
		stopSignal,
		async () => {
			try {
				const response = await sendFollowingRedirects();
				if ('reason' in response) return { settled: response };
				if (maxBytes !== undefined) {
					const stream = response.body as ResponseStream;
					const announced = Number(response.headers?.['content-length']);
					if (response.statusCode >= 400 || announced > maxBytes) stream.destroy();
					if (response.statusCode < 400 && announced > maxBytes)
						return {
							settled: {
								reason:
									`the file has ${Math.round(announced / 1024 / 1024)} MB, more than the ` +
									`${Math.round(maxBytes / 1024 / 1024)} MB allowed by Max Download Size`,
							},
						};
					if (response.statusCode < 400) {
						const body = capped(stream, maxBytes, stopSignal);
						response.body = limits.consume
							? await limits.consume(body, response)
							: await collect(body);
					}
				}
				if (response.statusCode < 500 && response.statusCode !== 429)
					return { settled: { response } };
				return { retry: `HTTP ${response.statusCode}` };
			} catch (error) {
				if (signal?.aborted) return { settled: { cancelled: true } };
				if (deadlineSignal?.aborted) return { settled: { reason: overDeadline } };
				if (error instanceof FinalDownloadError) return { settled: { reason: error.message } };
				const message = (error as Error)?.message || 'unknown error';
				if (!isTransientNetworkError(error)) return { settled: { reason: message } };
				return { retry: message };
			}
		},
	);
	if ('settled' in result) return result.settled;
	if ('cancelled' in result)
		return signal?.aborted ? { cancelled: true } : { reason: overDeadline };
	return {
		reason:
			result.attempts > 1
				? `${result.exhausted} (after ${result.attempts} attempts)`
				: result.exhausted,
	};
}
