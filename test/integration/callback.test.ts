/**
 * Wait Mode "Wait for Callback" over real HTTP: the node creates the task on the simulator with the
 * execution's resume URL, the execution is put to wait, the simulator really POSTs TASK_END to that
 * URL (a local receiver stands in for n8n's /webhook-waiting route), and the captured delivery is
 * handed to the node's webhook() through n8n-core's WebhookContext. The resume itself runs n8n-core's
 * WorkflowExecute.runNode on the waiting entry, as n8n does.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { NodeRunOptions, NodeRunResult } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import { callbackWebhooks } from '../../nodes/RunningHub/actions/common/callback.description';
import {
	NODE_ID,
	callWebhook,
	evaluateForNode,
	resourceMapperValue,
	resumeWaitingNode,
	runNode,
	simulatorCredentials,
	withErrorOutput,
} from '../harness/n8n';
import { HOUR, useSimulator } from '../harness/simulator';
import type { TaskOutcome } from '../simulator';
import { WORKFLOW_ID_TXT2IMG } from '../simulator';
import { SIM_KEY_NORMAL, SIM_KEY_SHARED } from '../simulator/keys';

const sim = useSimulator({ options: { webhookRetryDelaysMs: [] } });
let receiver: WebhookReceiver;
let receiverBase: string;
let captured: ReceivedCall[];

beforeAll(async () => {
	receiver = await startReceiver();
	captured = receiver.received;
	receiverBase = `${receiver.origin}/webhook-waiting`;
});

afterAll(async () => {
	await receiver.close();
});

beforeEach(() => {
	captured.length = 0;
	receiver.nextStatuses.length = 0;
});

function parameters(waitMode: string, options: IDataObject = {}): IDataObject {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
		waitMode,
		options: { pollIntervalSeconds: 0.1, timeoutSeconds: 3600, ...options },
	};
}

interface PauseSetup {
	options?: IDataObject;
	executionId?: string;
	items?: INodeExecutionData[];
	/** How the task ends (default success). */
	outcome?: Exclude<TaskOutcome, string>;
	/** Leave the task running once the execution waits (default: it ends then, and calls back). */
	keepRunning?: boolean;
	onError?: NodeRunOptions['onError'];
}

/**
 * Runs the node in callback mode. Its task is held RUNNING until the execution has paused, so the
 * node's check right before pausing always finds it running; then it ends and calls back.
 */
async function pause(setup: PauseSetup = {}): Promise<NodeRunResult> {
	sim.nextTaskOutcome({ result: 'success', ...setup.outcome, runningMs: HOUR });
	const run = await runNode({
		parameters: parameters('callback', setup.options) as never,
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		webhookWaitingBaseUrl: receiverBase,
		executionId: setup.executionId ?? 'exec-cb-1',
		mode: 'webhook',
		items: setup.items,
		onError: setup.onError,
	});
	const taskId = run.output[0]?.[0]?.json.taskId;
	if (run.waitTill && !setup.keepRunning && typeof taskId === 'string') sim.endTask(taskId);
	return run;
}

/**
 * Runs the node in callback mode on a task that ends as soon as it is created; the node sees the
 * create answer only once RunningHub's callback has been refused with 409, as n8n refuses a call to
 * an execution that is still running: the callback came before the execution could wait for it.
 */
async function runWithEarlyCallback(
	outcome: Exclude<TaskOutcome, string>,
	continueOnFail = false,
): Promise<NodeRunResult> {
	receiver.nextStatuses.push(409);
	sim.nextTaskOutcome({ ...outcome, queuedMs: 0, runningMs: 0 });
	return await runNode({
		parameters: parameters('callback') as never,
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		webhookWaitingBaseUrl: receiverBase,
		executionId: 'exec-cb-early',
		mode: 'webhook',
		continueOnFail,
		onHttpAnswer: async ({ path }) => {
			if (path !== '/task/openapi/create') return;
			await sim.waitFor(
				() => sim.webhookDeliveries.some((delivery) => delivery.status === 409),
				20_000,
				'the callback refused while the execution runs',
			);
		},
	});
}

function queryCount(): number {
	return sim.requests.filter((request) => request.route === 'v2.query').length;
}

function createBodies(): IDataObject[] {
	return sim.requests
		.filter((request) => request.route === 'v1.create')
		.map((request) => request.body as IDataObject);
}

/** The simulator's real TASK_END delivery for a task, as received at the resume URL. */
async function deliveryFor(taskId: string): Promise<ReceivedCall> {
	await sim.waitFor(
		() => captured.some((c) => c.body.taskId === taskId),
		20_000,
		`TASK_END of ${taskId}`,
	);
	return captured.find((c) => c.body.taskId === taskId)!;
}

async function callResumeUrl(run: NodeRunResult, delivery: Pick<ReceivedCall, 'body' | 'query'>) {
	return await callWebhook({
		...run.options,
		body: delivery.body,
		query: delivery.query,
		runExecutionData: run.runExecutionData,
	});
}

describe('Wait Mode "Wait for Callback"', () => {
	it('submits with the resume URL, pauses, and resumes with the same output as polling mode', async () => {
		const run = await pause();
		expect(run.waitTill).toBeInstanceOf(Date);
		expect(run.waitTill!.getTime()).toBeGreaterThan(Date.now() + 3500 * 1000);
		const waitingItem = run.output[0][0].json;
		expect(waitingItem).toMatchObject({ status: 'WAITING_FOR_CALLBACK' });
		const taskId = String(waitingItem.taskId);

		const [create] = createBodies();
		const resumeUrl = new URL(String(create.webhookUrl));
		// the node's ID as the path suffix: the path its restart webhook resolves to, so that only
		// this node can be resumed by the callback
		expect(`${resumeUrl.origin}${resumeUrl.pathname}`).toBe(`${receiverBase}/exec-cb-1/${NODE_ID}`);
		expect(evaluateForNode(run.options, String(callbackWebhooks[0].path))).toBe(NODE_ID);
		expect(callbackWebhooks[0]).toMatchObject({ restartWebhook: true, isFullPath: true });
		expect(resumeUrl.searchParams.get('signature')).toBe(run.runExecutionData.resumeToken);
		expect(run.runExecutionData.resultData.metadata).toMatchObject({ runningHubTaskId: taskId });

		const delivery = await deliveryFor(taskId);
		expect(delivery.path).toBe(`/webhook-waiting/exec-cb-1/${NODE_ID}`);
		expect(delivery.query.signature).toBe(run.runExecutionData.resumeToken);
		expect(delivery.body).toMatchObject({ event: 'TASK_END', taskId });
		expect(typeof delivery.body.eventData).toBe('string');

		const { result } = await callResumeUrl(run, delivery);
		expect(result.workflowData).toBeDefined();
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		expect(resumed.resumed).toBe(true);
		const item = (resumed as { output: INodeExecutionData[][] }).output[0][0];
		expect(item.json).toMatchObject({ taskId, status: 'SUCCESS', failure: null });
		const outputs = item.json.outputs as IDataObject[];
		expect(outputs.length).toBeGreaterThan(0);
		expect(String(outputs[0].fileUrl)).toContain(sim.publicBaseUrl);
		expect(item.binary?.data?.mimeType).toBe('image/png');
		expect(Buffer.from(item.binary!.data.data, 'base64').subarray(1, 4).toString()).toBe('PNG');

		// Same shape as "Wait for Completion" for the same workflow.
		const polled = await runNode({
			parameters: parameters('wait') as never,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		});
		const polledItem = polled.output[0][0];
		expect(Object.keys(item.json).sort()).toEqual(
			Object.keys(polledItem.json)
				.filter((key) => key !== 'workflowId')
				.sort(),
		);
		expect(Object.keys(item.binary ?? {})).toEqual(Object.keys(polledItem.binary ?? {}));
	});

	it('answers RunningHub before downloading the files, so a slow download cannot make it resend', async () => {
		const run = await pause();
		const taskId = String(run.output[0][0].json.taskId);
		const delivery = await deliveryFor(taskId);
		const downloads = () => sim.requests.filter((request) => request.route === 'files.get').length;
		let downloadsWhenAnswered: number | undefined;
		const { result, response } = await callWebhook({
			...run.options,
			body: delivery.body,
			query: delivery.query,
			runExecutionData: run.runExecutionData,
			onResponseEnded: () => (downloadsWhenAnswered = downloads()),
		});
		expect(response).toMatchObject({
			statusCode: 200,
			ended: true,
			body: { received: true, taskId, status: 'SUCCESS' },
		});
		expect(downloadsWhenAnswered).toBe(0);
		expect(downloads()).toBeGreaterThan(0);
		expect(result.noWebhookResponse).toBe(true);
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		const item = (resumed as { output: INodeExecutionData[][] }).output[0][0];
		expect(item.binary?.data?.mimeType).toBe('image/png');
	});

	it('ignores a callback for another task and keeps waiting for its own', async () => {
		const run = await pause();
		const taskId = String(run.output[0][0].json.taskId);
		const delivery = await deliveryFor(taskId);

		const foreign = { ...delivery, body: { ...delivery.body, taskId: '1999999999999999999' } };
		const ignored = await callResumeUrl(run, foreign);
		expect(ignored.result.workflowData).toBeUndefined();
		expect(ignored.result.webhookResponse).toMatchObject({ received: true });
		expect(ignored.response.ended).toBe(false);
		expect(await resumeWaitingNode(run, { webhookResult: ignored.result })).toEqual({
			resumed: false,
		});

		const own = await callResumeUrl(run, delivery);
		const resumed = await resumeWaitingNode(run, { webhookResult: own.result });
		expect(resumed.resumed).toBe(true);
		expect((resumed as { output: INodeExecutionData[][] }).output[0][0].json).toMatchObject({
			taskId,
			status: 'SUCCESS',
		});
	});

	it('trusts no body: a forged SUCCESS with foreign links resumes with the API’s status and links', async () => {
		const run = await pause();
		const taskId = String(run.output[0][0].json.taskId);
		const delivery = await deliveryFor(taskId);
		const queriesBefore = sim.requests.filter((request) => request.route === 'v2.query').length;
		const forged = {
			...delivery,
			body: {
				event: 'TASK_END',
				taskId,
				eventData: JSON.stringify({
					code: 0,
					msg: 'success',
					data: [{ fileUrl: 'http://127.0.0.1:9/evil.png', fileType: 'png', nodeId: '9' }],
				}),
			},
		};
		const { result } = await callResumeUrl(run, forged);
		expect(sim.requests.filter((request) => request.route === 'v2.query').length).toBe(
			queriesBefore + 1,
		);
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		const item = (resumed as { output: INodeExecutionData[][] }).output[0][0];
		expect(JSON.stringify(item.json)).not.toContain('evil.png');
		expect(String((item.json.outputs as IDataObject[])[0].fileUrl)).toContain(sim.publicBaseUrl);
	});

	it('a forged SUCCESS for a task still running keeps the execution waiting', async () => {
		const run = await pause({ keepRunning: true });
		const taskId = String(run.output[0][0].json.taskId);
		const forged = {
			query: { signature: run.runExecutionData.resumeToken },
			body: {
				taskId,
				status: 'SUCCESS',
				errorCode: '',
				results: [{ url: 'http://127.0.0.1:9/evil.png', outputType: 'png' }],
			},
		};
		const { result } = await callResumeUrl(run, forged as never);
		expect(result.workflowData).toBeUndefined();
		expect(await resumeWaitingNode(run, { webhookResult: result })).toEqual({ resumed: false });
	});

	it('answers a malformed callback 400 and keeps waiting', async () => {
		const run = await pause();
		const bad = await callWebhook({
			...run.options,
			body: { event: 'TASK_END', taskId: '1', eventData: '{not json' },
			runExecutionData: run.runExecutionData,
		});
		expect(bad.response.statusCode).toBe(400);
		expect(String((bad.response.body as IDataObject).error)).toMatch(/eventData/);
		expect(bad.result.workflowData).toBeUndefined();
	});

	it('turns a failure callback into the same error as polling mode', async () => {
		const failure = {
			result: 'fail' as const,
			exceptionType: 'TypeError',
			exceptionMessage: 'missing clip_vision',
			nodeId: '3',
		};
		const run = await pause({ outcome: failure });
		const taskId = String(run.output[0][0].json.taskId);
		const delivery = await deliveryFor(taskId);
		expect(JSON.parse(String(delivery.body.eventData))).toMatchObject({ code: 805 });

		const { result } = await callResumeUrl(run, delivery);
		expect(result.workflowData).toBeDefined();
		const callbackError = (await resumeWaitingNode(run, { webhookResult: result }).catch(
			(e: Error) => e,
		)) as Error;
		expect(callbackError).toBeInstanceOf(Error);
		expect(callbackError.message).toContain(`[task ${taskId}]`);

		sim.nextTaskOutcome(failure);
		const polledError = (await runNode({
			parameters: parameters('wait') as never,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		}).catch((e: Error) => e)) as Error;
		const polledTaskId = /\[task (\d+)\]/.exec(polledError.message)?.[1];
		expect(polledTaskId).toBeDefined();
		expect(callbackError.message).toMatch(/TypeError: missing clip_vision/);
		expect(callbackError.message.replace(taskId, 'ID')).toBe(
			polledError.message.replace(polledTaskId!, 'ID'),
		);
	});

	it('fails with the task ID when the wait limit passes without a callback', async () => {
		const run = await pause({ options: { timeoutSeconds: 60 } });
		const taskId = String(run.output[0][0].json.taskId);
		expect(run.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 1000);
		const error = (await resumeWaitingNode(run, 'waitLimit').catch((e: Error) => e)) as Error & {
			description?: string;
		};
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toContain(`[task ${taskId}]`);
		expect(error.message).toMatch(/did not call back within 1 min/);
		expect(error.description).toContain('Task › Get Outputs');
	});

	it('a task that ended before the pause (its callback refused) returns its result without waiting', async () => {
		const run = await runWithEarlyCallback({ result: 'success' });
		expect(run.waitTill).toBeUndefined();
		expect(run.context.getExecuteData().metadata?.resumeError).toBeUndefined();
		const item = run.output[0][0];
		const taskId = String(item.json.taskId);
		expect(item.json).toMatchObject({
			status: 'SUCCESS',
			failure: null,
			workflowId: WORKFLOW_ID_TXT2IMG,
		});
		expect(item.binary?.data?.mimeType).toBe('image/png');
		expect(sim.webhookDeliveries.map((delivery) => [delivery.taskId, delivery.status])).toEqual([
			[taskId, 409],
		]);
		expect(String(createBodies()[0].webhookUrl)).toContain('/webhook-waiting/exec-cb-early');
		expect(queryCount()).toBe(1);
	});

	it('a task that failed before the pause fails its item at once, with the task ID as data', async () => {
		const run = await runWithEarlyCallback(
			{ result: 'fail', exceptionType: 'TypeError', exceptionMessage: 'missing clip_vision' },
			true,
		);
		expect(run.waitTill).toBeUndefined();
		const { json } = run.output[0][0];
		expect(json.taskId).toMatch(/^\d{19}$/);
		expect(json.error).toMatch(/TypeError: missing clip_vision/);
		expect(json.error).toContain(`[task ${String(json.taskId)}]`);
	});

	it('a model that answers SUCCESS at submit returns its result at once: no pause, no query', async () => {
		sim.nextTaskOutcome({ result: 'success', queuedMs: 0, runningMs: 0 });
		const run = await runNode({
			parameters: {
				resource: 'model',
				operation: 'generate',
				modelEndpoint: { __rl: true, mode: 'list', value: 'rhart-image-v1/text-to-image' },
				modelParameters: resourceMapperValue({ prompt: 'a red fox in snow' }),
				additionalParameters: '{}',
				waitMode: 'callback',
				options: { timeoutSeconds: 3600 },
			} as never,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			webhookWaitingBaseUrl: receiverBase,
			executionId: 'exec-cb-model',
			mode: 'webhook',
		});
		expect(run.waitTill).toBeUndefined();
		const item = run.output[0][0];
		expect(item.json).toMatchObject({
			status: 'SUCCESS',
			failure: null,
			model: 'rhart-image-v1/text-to-image',
		});
		expect(item.binary?.data?.mimeType).toBe('image/png');
		const [submit] = sim.requests.filter((request) => request.route === 'v2.model');
		expect(String((submit.body as IDataObject).webhookUrl)).toContain(
			'/webhook-waiting/exec-cb-model',
		);
		expect(queryCount()).toBe(0);
	});

	it('a callback refused just before the pause was saved resumes it when RunningHub sends it again', async () => {
		sim.options.webhookRetryDelaysMs = [20];
		receiver.nextStatuses.push(409);
		const run = await pause();
		const taskId = String(run.output[0][0].json.taskId);
		await sim.waitFor(
			() => sim.webhookDeliveries.some((delivery) => delivery.status === 200),
			20_000,
			'the callback sent again',
		);
		expect(sim.webhookDeliveries.map((delivery) => delivery.status)).toEqual([409, 200]);
		const { result } = await callResumeUrl(run, await deliveryFor(taskId));
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		expect((resumed as { output: INodeExecutionData[][] }).output[0][0].json).toMatchObject({
			taskId,
			status: 'SUCCESS',
		});
	});

	it('refuses several input items instead of dropping any', async () => {
		const error = (await pause({
			executionId: 'exec-cb-3',
			items: [{ json: { a: 1 } }, { json: { a: 2 } }],
		}).catch((e: Error) => e)) as Error & { description?: string };
		expect(error.message).toMatch(/Wait for Callback.*one item.*2 items/);
		expect(error.description).toMatch(/Loop Over Items/);
		expect(createBodies()).toHaveLength(0);
	});

	it('refuses a Webhook URL option in this mode', async () => {
		const error = (await pause({ options: { webhookUrl: 'https://example.com/hook' } }).catch(
			(e: Error) => e,
		)) as Error;
		expect(error.message).toMatch(/Webhook URL/);
		expect(createBodies()).toHaveLength(0);
	});
});

describe('Wait for Callback under "On Error: Continue": failures are items with their task ID', () => {
	const failure = {
		result: 'fail' as const,
		exceptionType: 'TypeError',
		exceptionMessage: 'missing clip_vision',
		nodeId: '3',
	};

	async function resumedOutput(
		run: NodeRunResult,
		via: Parameters<typeof resumeWaitingNode>[1],
	): Promise<INodeExecutionData[][]> {
		const resumed = await resumeWaitingNode(run, via);
		expect(resumed.resumed).toBe(true);
		return (resumed as { output: INodeExecutionData[][] }).output;
	}

	it('the wait limit passing gives an item with the message, the advice and the task ID', async () => {
		const run = await pause({
			options: { timeoutSeconds: 60 },
			onError: 'continueRegularOutput',
			keepRunning: true,
		});
		const taskId = String(run.output[0][0].json.taskId);
		const [[item]] = await resumedOutput(run, 'waitLimit');
		expect(item.json).toEqual({
			error: `RunningHub did not call back within 1 min [task ${taskId}]`,
			description: expect.stringContaining(`Task › Get Outputs using task ID ${taskId}`),
			taskId,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('with the error output, the wait-limit item goes there with the task ID under details', async () => {
		const run = await pause({
			options: { timeoutSeconds: 60 },
			onError: 'continueErrorOutput',
			keepRunning: true,
		});
		const taskId = String(run.output[0][0].json.taskId);
		const [regular, errors] = withErrorOutput(run.options, await resumedOutput(run, 'waitLimit'));
		expect(regular).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toEqual({
			error: `RunningHub did not call back within 1 min [task ${taskId}]`,
			details: { description: expect.stringContaining('Task › Get Outputs'), taskId },
		});
	});

	it('a failed task’s callback gives an item with the failure and the task ID', async () => {
		const run = await pause({ outcome: failure, onError: 'continueRegularOutput' });
		const taskId = String(run.output[0][0].json.taskId);
		const { result } = await callResumeUrl(run, await deliveryFor(taskId));
		const [[item]] = await resumedOutput(run, { webhookResult: result });
		expect(item.json.taskId).toBe(taskId);
		expect(String(item.json.error)).toMatch(/TypeError: missing clip_vision/);
		expect(String(item.json.error)).toContain(`[task ${taskId}]`);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('with the error output, a failed task’s callback goes there with the task ID under details', async () => {
		const run = await pause({ outcome: failure, onError: 'continueErrorOutput' });
		const taskId = String(run.output[0][0].json.taskId);
		const { result } = await callResumeUrl(run, await deliveryFor(taskId));
		const output = await resumedOutput(run, { webhookResult: result });
		const [regular, errors] = withErrorOutput(run.options, output);
		expect(regular).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].json.error)).toMatch(/TypeError: missing clip_vision/);
		expect((errors[0].json.details as IDataObject).taskId).toBe(taskId);
	});

	it('a callback that arrives in time replaces the armed wait-limit item with the result', async () => {
		const run = await pause({ options: { timeoutSeconds: 60 }, onError: 'continueRegularOutput' });
		const taskId = String(run.output[0][0].json.taskId);
		const { result } = await callResumeUrl(run, await deliveryFor(taskId));
		const [[item]] = await resumedOutput(run, { webhookResult: result });
		expect(item.json).toMatchObject({ taskId, status: 'SUCCESS' });
		expect(item.json.error).toBeUndefined();
	});
});
