/**
 * The batch's slots on the key (helpers/concurrency.ts): the level learned from 421 answers, the
 * order waiting items are let in, the probe back up, a stopped batch and a stopped execution.
 */
import {
	BatchStoppedError,
	CONCURRENCY_DEFAULTS,
	TaskSlots,
} from '../../nodes/RunningHub/helpers/concurrency';

/** Lets pending promise callbacks run. */
const settle = async () => await new Promise((resolve) => setImmediate(resolve));

/** Starts `acquire` and records when it resolves. */
function track(promise: Promise<boolean>) {
	const state: { done: boolean; value?: boolean; error?: unknown } = { done: false };
	promise.then(
		(value) => Object.assign(state, { done: true, value }),
		(error: unknown) => Object.assign(state, { done: true, error }),
	);
	return state;
}

describe('TaskSlots', () => {
	it('lets in up to its level at once; the others wait, lowest item first', async () => {
		const slots = new TaskSlots(2);
		expect(await slots.acquire(0)).toBe(true);
		expect(await slots.acquire(1)).toBe(true);
		const third = track(slots.acquire(5));
		const second = track(slots.acquire(3));
		await settle();
		expect([second.done, third.done]).toEqual([false, false]);
		slots.release(0);
		await settle();
		expect([second.done, third.done]).toEqual([true, false]);
		slots.release(1);
		await settle();
		expect(third.value).toBe(true);
		expect(slots.held).toBe(2);
	});

	it('on 421 drops to what the other items hold, and lets the refused item in when one ends', async () => {
		const slots = new TaskSlots(5);
		for (const item of [0, 1, 2, 3, 4]) await slots.acquire(item);
		// Items 0 and 1 created their tasks; 2, 3 and 4 were refused.
		slots.created();
		slots.created();
		const refused = [2, 3, 4].map((item) => track(slots.queueFull(item)));
		await settle();
		expect(slots.currentLevel).toBe(2);
		expect(slots.held).toBe(2);
		expect(refused.some((state) => state.done)).toBe(false);
		slots.release(0);
		await settle();
		expect(refused.map((state) => state.done)).toEqual([true, false, false]);
		expect(refused[0].value).toBe(true);
	});

	it('a refused item holding the only slot keeps it and backs off instead (the key is full with other tasks)', async () => {
		const slots = new TaskSlots(3);
		await slots.acquire(0);
		expect(await slots.queueFull(0)).toBe(false);
		expect(slots.held).toBe(1);
		expect(slots.currentLevel).toBe(3);
	});

	it('rises by one after as many creates in a row as its level, up to the ceiling', async () => {
		const slots = new TaskSlots(4);
		for (const item of [0, 1, 2, 3]) await slots.acquire(item);
		slots.created();
		slots.created();
		void slots.queueFull(2);
		void slots.queueFull(3);
		await settle();
		expect(slots.currentLevel).toBe(2);
		const waiting = track(slots.acquire(7));
		slots.created();
		expect(slots.currentLevel).toBe(2);
		slots.created();
		expect(slots.currentLevel).toBe(3);
		await settle();
		// The probe lets the first waiting item in (item 2, refused earlier), not item 7.
		expect(slots.held).toBe(3);
		expect(waiting.done).toBe(false);
		for (let i = 0; i < 10; i++) slots.created();
		expect(slots.currentLevel).toBe(4);
	});

	it('a stopped batch ends every waiting item with BatchStoppedError and lets none in later', async () => {
		const slots = new TaskSlots(1);
		await slots.acquire(0);
		const waiting = track(slots.acquire(1));
		slots.stop();
		await settle();
		expect(waiting.error).toBeInstanceOf(BatchStoppedError);
		await expect(slots.acquire(2)).rejects.toBeInstanceOf(BatchStoppedError);
		await expect(slots.queueFull(0)).rejects.toBeInstanceOf(BatchStoppedError);
	});

	it('a stopped execution ends the wait with false and the item takes no slot', async () => {
		const slots = new TaskSlots(1);
		await slots.acquire(0);
		const controller = new AbortController();
		const waiting = track(slots.acquire(1, controller.signal));
		controller.abort();
		await settle();
		expect(waiting.value).toBe(false);
		slots.release(0);
		expect(slots.held).toBe(0);
	});

	it('without learning, a refused item backs off holding its slot (the blind-retry baseline)', async () => {
		CONCURRENCY_DEFAULTS.learnFromQueueFull = false;
		try {
			const slots = new TaskSlots(3);
			await slots.acquire(0);
			await slots.acquire(1);
			expect(await slots.queueFull(1)).toBe(false);
			expect(slots.currentLevel).toBe(3);
			expect(slots.held).toBe(2);
		} finally {
			CONCURRENCY_DEFAULTS.learnFromQueueFull = true;
		}
	});
});
