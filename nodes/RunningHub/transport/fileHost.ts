import type { IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { RETRY_DEFAULTS, retryWithBackoff } from './retry';

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
): Promise<FileHostOutcome> {
	const withSignal = context as Partial<IExecuteFunctions>;
	const signal =
		typeof withSignal.getExecutionCancelSignal === 'function'
			? withSignal.getExecutionCancelSignal()
			: undefined;
	const result = await retryWithBackoff<FileHostOutcome, string>(
		RETRY_DEFAULTS,
		signal,
		async () => {
			try {
				const response = (await context.helpers.httpRequest({
					...options,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					abortSignal: signal,
				})) as FileHostResponse;
				if (response.statusCode < 500 && response.statusCode !== 429)
					return { settled: { response } };
				return { retry: `HTTP ${response.statusCode}` };
			} catch (error) {
				if (signal?.aborted) return { settled: { cancelled: true } };
				return { retry: (error as Error)?.message || 'unknown error' };
			}
		},
	);
	if ('settled' in result) return result.settled;
	if ('cancelled' in result) return { cancelled: true };
	return {
		reason:
			result.attempts > 1
				? `${result.exhausted} (after ${result.attempts} attempts)`
				: result.exhausted,
	};
}
