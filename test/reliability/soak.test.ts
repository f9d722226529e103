/**
 * The soak of bench/soak.ts at CI size: 40 Workflow › Run items with Continue On Fail, seeded random
 * faults on create, status, workflow-JSON and file routes, tasks failing on purpose, and a key
 * limited below Max Concurrent Tasks. Every item must end with its outputs or an error naming its
 * task (or saying an unconfirmed create may exist), and the counts must reconcile exactly with the
 * tasks the simulator created: nothing lost, nothing submitted twice.
 */
import { classify, formatReport, runSoak, seededRandom } from './soak';

describe('soak (40 tasks, seeded faults)', () => {
	it.each([1, 424242])(
		'seed %i: every item accounted for, tasksCreated reconciles',
		async (seed) => {
			const report = await runSoak({
				tasks: 40,
				seed,
				concurrency: 6,
				keyLimit: 4,
				failShare: 0.1,
			});
			const table = formatReport(report);
			expect({ problems: report.problems, table }).toEqual({
				problems: [],
				table: expect.stringContaining('reconciles'),
			});
			expect(report.itemsOut).toBe(40);
			const { counts } = report;
			expect(
				counts.success + counts.taskFailure + counts.unconfirmedCreate + counts.notCreated,
			).toBe(40);
			expect(counts.unexplained).toBe(0);
			expect(report.duplicateTasks).toBe(0);
			expect(report.tasksCreated).toBe(
				counts.success + counts.taskFailure + report.unconfirmedButCreated,
			);
			// The run really was under fire, and most items still got through.
			expect(report.faultsInjected).toBeGreaterThan(5);
			expect(counts.success).toBeGreaterThan(20);
			expect(report.createRequests).toBeGreaterThan(report.tasksCreated);
		},
	);

	it('the fault plan is reproducible from its seed', () => {
		const a = seededRandom(99);
		const b = seededRandom(99);
		const first = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(first);
		expect(Array.from({ length: 5 }, seededRandom(100))).not.toEqual(first);
	});

	it('an item that neither succeeded nor names its task counts as unexplained', () => {
		expect(classify({ json: { error: 'Something broke' } })).toBe('unexplained');
		expect(classify({ json: { status: 'SUCCESS', taskId: '1904152026220003329' } })).toBe(
			'unexplained',
		);
		expect(
			classify({
				json: { error: 'Task failed: x [task 1904152026220003329]', taskId: '1904152026220003329' },
			}),
		).toBe('taskFailure');
		expect(
			classify({
				json: {
					error: 'RunningHub answered with HTTP 500',
					description: 'RunningHub may have created the task anyway, so it was not sent again',
				},
			}),
		).toBe('unconfirmedCreate');
	});
});
