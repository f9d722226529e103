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

/**
 * Reads a streamed answer into memory, stopping as soon as it passes `maxBytes` (a host may
 * announce no length, or a false one).
 */
async function readCapped(
	stream: NodeJS.ReadableStream & { destroy?: () => void },
	maxBytes: number,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer | string>) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += buffer.length;
		if (size > maxBytes) {
			stream.destroy?.();
			throw new FinalDownloadError(
				`the file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB allowed by Max Download Size`,
			);
		}
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

export interface FileHostResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

export type FileHostOutcome =
	| { response: FileHostResponse }
	| { reason: string }
	| { cancelled: true };

/**
 * One request to RunningHub's file storage (result download, LoRA PUT), never with a RunningHub
 * credential. The work behind it is already paid for, so a transient failure (HTTP 5xx/429, a lost
 * connection, a timeout) is retried like an API read. Any other answer is returned as is; the
 * caller decides what a 4xx means.
 */
export async function fileHostRequest(
	context: IExecuteFunctions | IWebhookFunctions,
	options: IHttpRequestOptions,
	limits: { maxBytes?: number; deadlineMs?: number } = {},
): Promise<FileHostOutcome> {
	const withSignal = context as Partial<IExecuteFunctions>;
	const signal =
		typeof withSignal.getExecutionCancelSignal === 'function'
			? withSignal.getExecutionCancelSignal()
			: undefined;
	// The request timeout only notices a silent host; a host trickling bytes is stopped by the deadline.
	const deadlineMs = limits.deadlineMs;
	const deadlineSignal = deadlineMs !== undefined ? AbortSignal.timeout(deadlineMs) : undefined;
	const parts = [signal, deadlineSignal].filter((part): part is AbortSignal => part !== undefined);
	const stopSignal = parts.length > 1 ? AbortSignal.any(parts) : parts[0];
	const overDeadline = `the transfer took longer than ${(deadlineMs ?? 0) / 1000} s`;
	const result = await retryWithBackoff<FileHostOutcome, string>(
		RETRY_DEFAULTS,
		stopSignal,
		async () => {
			try {
				const response = (await context.helpers.httpRequest({
					...options,
					...(limits.maxBytes !== undefined ? { encoding: 'stream' as const } : {}),
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					abortSignal: stopSignal,
				})) as FileHostResponse;
				if (limits.maxBytes !== undefined) {
					const stream = response.body as NodeJS.ReadableStream & { destroy?: () => void };
					const announced = Number(response.headers?.['content-length']);
					if (response.statusCode >= 400 || announced > limits.maxBytes) stream.destroy?.();
					if (response.statusCode < 400 && announced > limits.maxBytes)
						return {
							settled: {
								reason: `the file has ${Math.round(announced / 1024 / 1024)} MB, more than the ${Math.round(limits.maxBytes / 1024 / 1024)} MB allowed by Max Download Size`,
							},
						};
					if (response.statusCode < 400) response.body = await readCapped(stream, limits.maxBytes);
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
