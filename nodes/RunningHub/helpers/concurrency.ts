import type { IExecuteFunctions } from 'n8n-workflow';

import type { RetryPolicy, RunningHubContext } from '../transport';
import { TIMEOUT_DEFAULTS, apiRequestV2 } from '../transport';
import { MAX_CONCURRENT_AUTO } from './constants';

/*
 * How many tasks a batch keeps on RunningHub at once. The key allows a fixed number of queued and
 * running tasks (2 for a personal account, 50 or more for enterprise keys); a create over that
 * number is refused with 421. A batch starts at its ceiling (Max Concurrent Tasks, or the key's
 * own limit when that option is Auto), learns the level the key really allows from those
 * refusals, and lets waiting items in as its own tasks end.
 */

/**
 * Tunables of the batch's slots, changed by tests and benchmarks (like RETRY_DEFAULTS):
 * `learnFromQueueFull: false` gives the behaviour of blind retries, each refused create waiting
 * out its own backoff.
 */
export const CONCURRENCY_DEFAULTS = {
	/**
	 * Max Concurrent Tasks on Auto when the key's limit cannot be read (the personal accounts'
	 * limit).
	 */
	autoFallback: 2,
	learnFromQueueFull: true,
};

/**
 * `GET /openapi/v2/queue/status`, with the counts as numbers (RunningHub sends them as strings).
 */
export interface QueueStatus {
	apiKeyType: string | null;
	concurrentLimit: number | null;
	runningCount: number | null;
	queuedCount: number | null;
	totalCurrentTasks: number | null;
}

function toCount(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : null;
}

/** The key's type, concurrency limit and current queue. */
export async function readQueueStatus(
	context: RunningHubContext,
	options: { retry?: Partial<RetryPolicy>; timeoutMs?: number } = {},
): Promise<QueueStatus> {
	const data = (await apiRequestV2.call(context, {
		method: 'GET',
		path: '/openapi/v2/queue/status',
		...options,
	})) as Record<string, unknown> | null;
	return {
		apiKeyType: typeof data?.apiKeyType === 'string' ? data.apiKeyType : null,
		concurrentLimit: toCount(data?.concurrentLimit),
		runningCount: toCount(data?.runningCount),
		queuedCount: toCount(data?.queuedCount),
		totalCurrentTasks: toCount(data?.totalCurrentTasks),
	};
}

/**
 * How many items of a batch run at once: the number set, or on Auto the key's concurrency limit.
 * Auto asks RunningHub only for a batch of several items; when the key's limit cannot be read
 * (an error, an older key type, no such endpoint) the batch runs at `autoFallback`, never fails.
 */
export async function resolveConcurrency(
	context: IExecuteFunctions,
	setting: number,
	itemCount: number,
	ceiling: number,
): Promise<number> {
	const upTo = (limit: number) => Math.max(1, Math.min(itemCount, ceiling, Math.floor(limit)));
	if (setting !== MAX_CONCURRENT_AUTO) return upTo(setting);
	if (itemCount <= 1) return 1;
	const concurrentLimit = await readQueueStatus(context, {
		retry: { maxAttempts: 2 },
		timeoutMs: Math.min(TIMEOUT_DEFAULTS.requestMs, 15_000),
	}).then(
		(status) => status.concurrentLimit,
		() => null,
	);
	if (concurrentLimit !== null && concurrentLimit >= 1) return upTo(concurrentLimit);
	return upTo(CONCURRENCY_DEFAULTS.autoFallback);
}

/** Ends the wait of items that have not created their task when the batch stops at a failure. */
export class BatchStoppedError extends Error {
	constructor() {
		super('The batch stopped at a failing item before this item created its task');
		this.name = 'BatchStoppedError';
	}
}

interface Waiter {
	holder: number;
	resolve: () => void;
	reject: (error: Error) => void;
}

/**
 * The slots one batch holds on the key: an item holds one from just before its create until its
 * task ends. A create refused with 421 proves the key is full with the tasks already alive, so
 * the level drops to what the batch's other items hold, and the refused item waits for one of
 * them to end instead of retrying on a timer. After `level` creates in a row succeed, the level
 * rises by one (up to the ceiling), so slots that other users of the key gave back are used again.
 */
export class TaskSlots {
	private level: number;

	private readonly holders = new Set<number>();

	private readonly waiting: Waiter[] = [];

	private createdSinceChange = 0;

	private stopped: Error | undefined;

	constructor(readonly ceiling: number) {
		this.level = Math.max(1, ceiling);
	}

	/** The level the batch runs at now. */
	get currentLevel(): number {
		return this.level;
	}

	/** Items that hold a slot now. */
	get held(): number {
		return this.holders.size;
	}

	/**
	 * Waits for a free slot (lower item numbers go first): true once the holder has it, false when
	 * the execution was stopped first. Rejects with BatchStoppedError once the batch has stopped.
	 */
	async acquire(holder: number, signal?: AbortSignal): Promise<boolean> {
		if (this.stopped) throw this.stopped;
		if (signal?.aborted) return false;
		if (this.holders.has(holder)) return true;
		if (this.holders.size < this.level && this.waiting.length === 0) {
			this.holders.add(holder);
			return true;
		}
		return await new Promise<boolean>((resolve, reject) => {
			const onAbort = () => {
				const index = this.waiting.indexOf(waiter);
				if (index >= 0) this.waiting.splice(index, 1);
				resolve(false);
			};
			const waiter: Waiter = {
				holder,
				resolve: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve(true);
				},
				reject: (error) => {
					signal?.removeEventListener('abort', onAbort);
					reject(error);
				},
			};
			const after = this.waiting.findIndex((other) => other.holder > holder);
			this.waiting.splice(after < 0 ? this.waiting.length : after, 0, waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** The holder's task ended (or was never made): its slot goes to the next waiting item. */
	release(holder: number): void {
		if (this.holders.delete(holder)) this.letIn();
	}

	/** One of the batch's creates succeeded. */
	created(): void {
		this.createdSinceChange++;
		if (this.level < this.ceiling && this.createdSinceChange >= this.level) {
			this.level++;
			this.createdSinceChange = 0;
			this.letIn();
		}
	}

	/**
	 * The holder's create was refused with 421. When other items of the batch hold slots, the level
	 * drops to their number and the holder waits until one of them ends (true). When it holds the
	 * only slot (the key is full with tasks from elsewhere), it keeps the slot and the caller backs
	 * off as before (false; also when the execution is stopped while it waits).
	 */
	async queueFull(holder: number, signal?: AbortSignal): Promise<boolean> {
		if (this.stopped) throw this.stopped;
		if (!CONCURRENCY_DEFAULTS.learnFromQueueFull) return false;
		const others = this.holders.size - (this.holders.has(holder) ? 1 : 0);
		if (others <= 0) return false;
		this.holders.delete(holder);
		this.level = Math.max(1, Math.min(this.level, others));
		this.createdSinceChange = 0;
		return await this.acquire(holder, signal);
	}

	/** No waiting item may create a task any more: each of them ends with BatchStoppedError. */
	stop(): void {
		this.stopped = new BatchStoppedError();
		for (const waiter of this.waiting.splice(0)) waiter.reject(this.stopped);
	}

	private letIn(): void {
		while (this.waiting.length && this.holders.size < this.level) {
			const waiter = this.waiting.shift()!;
			this.holders.add(waiter.holder);
			waiter.resolve();
		}
	}
}

const slotsOfExecution = new WeakMap<object, TaskSlots>();

/** Shares the batch's slots with every item of this execution of the node. */
export function useTaskSlots(context: object, slots: TaskSlots): void {
	slotsOfExecution.set(context, slots);
}

/** The batch's slots, when the node runs its items as a batch. */
export function taskSlotsOf(context: object): TaskSlots | undefined {
	return slotsOfExecution.get(context);
}
