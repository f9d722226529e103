import { sleep } from 'n8n-workflow';

export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** No retry is started once this much time has passed since the first attempt. */
	maxTotalMs: number;
}

/**
 * Defaults follow RunningHub's own clients (a handful of attempts, exponential waits capped in the
 * tens of seconds). Tests and benchmarks shorten them through this object.
 */
export const RETRY_DEFAULTS: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalMs: 180_000,
};

/**
 * Per-request timeouts. A timed-out read is retried; a timed-out create is not (the task may
 * exist). Tests shorten them through this object, like RETRY_DEFAULTS.
 */
export const TIMEOUT_DEFAULTS = {
	/** One API call (JSON in, JSON out). */
	requestMs: 60_000,
	/** Sending or fetching a file (uploads up to 30 MB, result downloads, LoRA PUT takes twice this). */
	fileTransferMs: 300_000,
};

/** Exponential backoff with "full jitter": spreads retries of many parallel items apart. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'CancelledError';
	}
}

/** Waits, but returns early (throwing CancelledError) when the execution is stopped. */
export async function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new CancelledError();
	if (ms <= 0) return;
	// n8n's sleep rejects with the abort reason (a DOMException); callers expect CancelledError.
	await sleep(ms, signal).catch(() => undefined);
	if (signal?.aborted) throw new CancelledError();
}
