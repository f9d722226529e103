/**
 * Wait Mode "Wait for Callback" over real HTTP: the node creates the task on the simulator with the
 * execution's resume URL, the execution is put to wait, the simulator really POSTs TASK_END to that
 * URL (a local receiver stands in for n8n's /webhook-waiting route), and the captured delivery is
 * handed to the node's webhook() through n8n-core's WebhookContext. The resume itself runs n8n-core's
 * WorkflowExecute.runNode on the waiting entry, as n8n does.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { NodeRunResult } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import { callWebhook, resumeWaitingNode, runNode, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { WORKFLOW_ID_TXT2IMG } from '../simulator';
import { SIM_KEY_NORMAL } from '../simulator/keys';

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

async function pause(
	options: IDataObject = {},
	executionId = 'exec-cb-1',
	items?: INodeExecutionData[],
): Promise<NodeRunResult> {
	return await runNode({
		parameters: parameters('callback', options) as never,
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		webhookWaitingBaseUrl: receiverBase,
		executionId,
		mode: 'webhook',
		items,
	});
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
		expect(`${resumeUrl.origin}${resumeUrl.pathname}`).toBe(`${receiverBase}/exec-cb-1`);
		expect(resumeUrl.searchParams.get('signature')).toBe(run.runExecutionData.resumeToken);
		expect(run.runExecutionData.resultData.metadata).toMatchObject({ runningHubTaskId: taskId });

		const delivery = await deliveryFor(taskId);
		expect(delivery.path).toBe('/webhook-waiting/exec-cb-1');
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
		expect(item.binary?.data_0?.mimeType).toBe('image/png');
		expect(Buffer.from(item.binary!.data_0.data, 'base64').subarray(1, 4).toString()).toBe('PNG');

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
		sim.nextTaskOutcome({ result: 'success', runningMs: 60_000 });
		const run = await pause();
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
		sim.nextTaskOutcome(failure);
		const run = await pause();
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
		const run = await pause({ timeoutSeconds: 60 });
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

	it('refuses several input items instead of dropping any', async () => {
		const error = (await pause({}, 'exec-cb-3', [{ json: { a: 1 } }, { json: { a: 2 } }]).catch(
			(e: Error) => e,
		)) as Error & { description?: string };
		expect(error.message).toMatch(/Wait for Callback.*one item.*2 items/);
		expect(error.description).toMatch(/Loop Over Items/);
		expect(createBodies()).toHaveLength(0);
	});

	it('refuses a Webhook URL option in this mode', async () => {
		const error = (await pause({ webhookUrl: 'https://example.com/hook' }).catch(
			(e: Error) => e,
		)) as Error;
		expect(error.message).toMatch(/Webhook URL/);
		expect(createBodies()).toHaveLength(0);
	});
});
