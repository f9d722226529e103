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
	/**
	 * Sending or fetching a file (uploads get this per 30 MB, result downloads, LoRA PUT takes twice
	 * this).
	 */
	fileTransferMs: 300_000,
	/** Everything spent on one file of a file host, retries included, however slowly it flows. */
	fileDeadlineMs: 900_000,
};

/** Exponential backoff with "full jitter": spreads retries of many parallel items apart. */
export function backoffDelay(
	attempt: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
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

export type AttemptResult<T, R> = { settled: T } | { retry: R };

export type RetryOutcome<T, R> =
	| { settled: T }
	| { exhausted: R; attempts: number; elapsedMs: number }
	| { cancelled: true };

/**
 * The one retry loop of the package (API calls and file-host transfers): runs `attempt` until it
 * settles, waiting with backoff between tries, within the policy's attempt and time budget. When
 * the
 * budget is spent it returns the last retry reason; a stop during a wait returns `cancelled`. What
 * `attempt` throws is passed on untouched.
 */
export async function retryWithBackoff<T, R>(
	policy: RetryPolicy,
	signal: AbortSignal | undefined,
	attempt: (attemptNumber: number) => Promise<AttemptResult<T, R>>,
	/** The clock of the time budget; a caller may leave out time it spent waiting on purpose. */
	now: () => number = Date.now,
): Promise<RetryOutcome<T, R>> {
	const started = now();
	for (let attemptNumber = 1; ; attemptNumber++) {
		const result = await attempt(attemptNumber);
		if ('settled' in result) return result;
		const delay = backoffDelay(attemptNumber, policy);
		const elapsedMs = now() - started;
		if (attemptNumber >= policy.maxAttempts || elapsedMs + delay > policy.maxTotalMs) {
			return { exhausted: result.retry, attempts: attemptNumber, elapsedMs };
		}
		try {
			await cancellableSleep(delay, signal);
		} catch {
			return { cancelled: true };
		}
	}
}
