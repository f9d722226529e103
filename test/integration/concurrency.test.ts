/**
 * How many tasks a batch keeps on RunningHub, over real HTTP against the simulator: Max Concurrent
 * Tasks on Auto reads the key's limit from the queue status (and falls back when it cannot), and
 * a create refused with 421 (queue full) waits for one of the batch's own tasks to end instead of
 * retrying on a timer. Blind retries are made impossible here (each backoff lasts an hour), so a
 * batch that completes at all was let in by its own tasks' ends.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import { resourceMapperValue, runNode, simulatorCredentials } from '../harness/n8n';
import { promptItems, promptWorkflowRun } from '../harness/parameters';
import { HOUR, useSimulator } from '../harness/simulator';
import { SIM_KEY_NORMAL, SIM_KEY_SHARED, WORKFLOW_ID_TXT2IMG } from '../simulator';
import type { RecordedRequest } from '../simulator';

const sim = useSimulator();

const FAST = { pollIntervalSeconds: 0.1, timeoutSeconds: 20, downloadOutputs: false };

/** No refused create is ever sent again on a timer within a test. */
const noBlindRetries = () =>
	Object.assign(RETRY_DEFAULTS, { baseDelayMs: HOUR, maxDelayMs: HOUR, maxTotalMs: 10 * HOUR });

const prompts = promptItems;

const workflowRun = (options: IDataObject = {}): INodeParameters =>
	promptWorkflowRun({ ...FAST, ...options });

async function runBatch(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	apiKey = SIM_KEY_NORMAL,
) {
	return await runNode({
		parameters,
		credentials: simulatorCredentials(sim.baseUrl, apiKey),
		items,
	});
}

const isCreate = (request: RecordedRequest) => ['v1.create', 'v2.model'].includes(request.route);

const refusedAsQueueFull = (request: RecordedRequest) => {
	const answer = request.answer?.json as { code?: unknown; errorCode?: unknown } | undefined;
	return String(answer?.code ?? answer?.errorCode) === '421';
};

/** The prompt a create carried (workflow: its nodeInfoList; model: its body). */
function promptOf(request: RecordedRequest): string {
	const body = request.body as IDataObject;
	const list = body.nodeInfoList as Array<{ fieldValue?: unknown }> | undefined;
	return String(list?.[0]?.fieldValue ?? body.prompt);
}

/** The prompt each task was created with, in the order of the items that made them. */
function expectInInputOrder(output: INodeExecutionData[], word = 'item') {
	output.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.status).toBe('SUCCESS');
		const create = sim.requests.find(
			(request) =>
				isCreate(request) &&
				!refusedAsQueueFull(request) &&
				(request.answer?.json as IDataObject | undefined) !== undefined &&
				JSON.stringify(request.answer?.json).includes(String(item.json.taskId)),
		)!;
		expect(promptOf(create)).toBe(`${word} ${index}`);
	});
}

/** Holds every task until it has been polled a million times, i.e. until the test lets go. */
const holdTasks = () => sim.setDurations({ pollsBeforeDone: 1_000_000 });
const letTasksEnd = () => {
	sim.setDurations({ pollsBeforeDone: null, queuedMs: 10, runningMs: 40 });
	sim.endAtNextPoll();
};

/** Holds the batch's first tasks until `count` creates were refused, then lets every task end. */
async function letEndAfterRefusals(count: number) {
	await sim.waitFor(
		() => sim.requests.filter(isCreate).filter(refusedAsQueueFull).length >= count,
		20_000,
		`${count} creates refused`,
	);
	letTasksEnd();
}

/**
 * Every create sent again after a 421 went out only once a task of the batch had ended after the
 * refusal: the item waited for its own batch, not for a timer.
 */
function expectRetriesAfterOwnTaskEnded() {
	const creates = sim.requests.filter(isCreate);
	const refused = creates.filter(refusedAsQueueFull);
	expect(refused.length).toBeGreaterThan(0);
	for (const refusal of refused) {
		const again = creates.find(
			(request) => request.timestamp > refusal.timestamp && promptOf(request) === promptOf(refusal),
		)!;
		expect(again).toBeDefined();
		const endedBetween = [...sim.tasks.values()].some(
			(task) =>
				task.endedAt !== undefined &&
				task.endedAt >= refusal.timestamp &&
				task.endedAt <= again.timestamp,
		);
		expect(endedBetween).toBe(true);
	}
}

describe('a full queue (421) is waited out on the batch’s own tasks', () => {
	it('workflow: Max Concurrent 6 on a 2-slot key completes, each refused item let in as a task ends', async () => {
		noBlindRetries();
		sim.setConcurrency(SIM_KEY_NORMAL, 2);
		// The first two tasks are held until the other four items were refused, however slowly the
		// machine sends their creates.
		holdTasks();
		const running = runBatch(workflowRun({ maxConcurrentTasks: 6 }), prompts(6));
		await letEndAfterRefusals(4);
		const { output } = await running;
		expect(output[0]).toHaveLength(6);
		expectInInputOrder(output[0]);
		expect(sim.stats.tasksCreated).toBe(6);
		expectRetriesAfterOwnTaskEnded();
	});

	it('model: the flat errorCode "421" of the v2 API is waited out the same way', async () => {
		noBlindRetries();
		sim.setConcurrency(SIM_KEY_SHARED, 2);
		const parameters: INodeParameters = {
			resource: 'model',
			operation: 'generate',
			modelEndpoint: { __rl: true, mode: 'id', value: 'rhart-image-v1/text-to-image' },
			modelParameters: resourceMapperValue({ prompt: '={{ $json.prompt }}', aspectRatio: '1:1' }),
			additionalParameters: '{}',
			waitMode: 'wait',
			options: { ...FAST, maxConcurrentTasks: 5 },
		} as INodeParameters;
		holdTasks();
		const running = runBatch(parameters, prompts(5, 'model'), SIM_KEY_SHARED);
		await letEndAfterRefusals(3);
		const { output } = await running;
		expect(output[0]).toHaveLength(5);
		expectInInputOrder(output[0], 'model');
		expect(sim.stats.tasksCreated).toBe(5);
		expectRetriesAfterOwnTaskEnded();
	});

	it('a batch that stops at a failed task lets none of its waiting items create a task', async () => {
		noBlindRetries();
		sim.setConcurrency(SIM_KEY_NORMAL, 1);
		// The key takes one task; the other two items are refused and wait for it. It fails.
		sim.nextTaskOutcome('fail');
		const error = await runBatch(workflowRun({ maxConcurrentTasks: 3 }), prompts(3)).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/^Task failed/);
		await sim.idle();
		expect(sim.stats.tasksCreated).toBe(1);
		const creates = sim.requests.filter(isCreate);
		expect(creates).toHaveLength(3);
		expect(creates.filter(refusedAsQueueFull)).toHaveLength(2);
	});
});

describe('Max Concurrent Tasks on Auto', () => {
	const alive = () => [...sim.tasks.values()].filter((task) => task.endedAt === undefined).length;
	const queueStatusRequests = () => sim.requests.filter((r) => r.route === 'v2.queueStatus');

	/**
	 * Runs a batch on the shared key with its tasks held until it has shown how many it keeps at
	 * once: `level` tasks alive and polled, and no further create. Then lets them end.
	 */
	async function runHeldAtLevel(parameters: INodeParameters, count: number, level: number) {
		holdTasks();
		const running = runBatch(parameters, prompts(count), SIM_KEY_SHARED);
		await sim.waitFor(() => alive() === level, 20_000, `${level} tasks alive`);
		// The held tasks are polled: a further create would already have gone out if the level leaked.
		await sim.waitFor(() => sim.stats.statusRequests >= 3 * level, 20_000, 'the held tasks polled');
		expect(sim.stats.createRequests).toBe(level);
		letTasksEnd();
		return (await running).output[0];
	}

	it('is the default and runs as many tasks as the key allows, read from its queue status', async () => {
		sim.setConcurrency(SIM_KEY_SHARED, 3);
		expectInInputOrder(await runHeldAtLevel(workflowRun(), 5, 3));
		// The key's own limit: no create was refused.
		expect(sim.stats.createRequests).toBe(5);
		expect(queueStatusRequests()).toHaveLength(1);
		expect(queueStatusRequests()[0].headers.authorization).toBe(`Bearer ${SIM_KEY_SHARED}`);
	});

	it('falls back to 2 tasks at once when the queue status cannot be read, and the batch still runs', async () => {
		// 412: what RunningHub answers for a path it does not serve.
		sim.injectFault({ route: '/openapi/v2/queue/status', kind: 'code', code: 412, times: -1 });
		expectInInputOrder(await runHeldAtLevel(workflowRun({ maxConcurrentTasks: 0 }), 4, 2));
		expect(queueStatusRequests().length).toBeGreaterThan(0);
	});

	it('a single item asks for no queue status', async () => {
		const { output } = await runBatch(workflowRun(), prompts(1));
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(queueStatusRequests()).toHaveLength(0);
	});

	it('a number set before Auto existed keeps its meaning: 1 runs the items one after another', async () => {
		expectInInputOrder(await runHeldAtLevel(workflowRun({ maxConcurrentTasks: 1 }), 3, 1));
		expect(queueStatusRequests()).toHaveLength(0);
	});
});
