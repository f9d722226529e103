import { nextPollDelayMs } from '../../nodes/RunningHub/helpers/wait';

/** The times (ms since submit) at which a task of `taskMs` is checked until a check sees it done. */
function checksUntilDone(taskMs: number, intervalMs: number, lateMs = 0): number[] {
	const checks: number[] = [];
	let now = 0;
	while (checks.length === 0 || checks[checks.length - 1] < taskMs) {
		now += nextPollDelayMs(now, intervalMs) + lateMs;
		checks.push(now);
	}
	return checks;
}

describe('Poll schedule', () => {
	it('checks at 1, 2, 3 s and then on the 5 s grid at the default interval', () => {
		expect(checksUntilDone(16_000, 5000)).toEqual([1000, 2000, 3000, 5000, 10_000, 15_000, 20_000]);
	});

	it('sees a 2 s task at 2 s and a 60 s task at 60 s, within interval-count + 4 checks', () => {
		for (const [taskMs, intervalMs] of [
			[2000, 5000],
			[60_000, 5000],
			[60_000, 10_000],
			[8000, 2000],
		]) {
			const checks = checksUntilDone(taskMs, intervalMs);
			expect(checks[checks.length - 1]).toBe(taskMs);
			expect(checks.length).toBeLessThanOrEqual(taskMs / intervalMs + 4);
		}
	});

	it('keeps a short Poll Interval as it is', () => {
		expect(checksUntilDone(500, 100)).toEqual([100, 200, 300, 400, 500]);
		expect(checksUntilDone(2000, 1000)).toEqual([1000, 2000]);
	});

	it('does not check twice when a timer fires a little early or late', () => {
		expect(nextPollDelayMs(999, 5000)).toBe(1001);
		expect(checksUntilDone(12_000, 5000, 30)).toHaveLength(6);
	});

	it('skips checks a slow answer has already passed instead of catching up', () => {
		expect(nextPollDelayMs(2600, 5000)).toBe(400);
		expect(nextPollDelayMs(3400, 5000)).toBe(1600);
		expect(nextPollDelayMs(11_000, 5000)).toBe(4000);
	});
});
