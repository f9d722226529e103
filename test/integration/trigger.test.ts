/**
 * RunningHub Trigger over real HTTP: a task is created on the simulator with a Webhook URL that
 * points at a local receiver (standing in for the trigger's Production URL); the simulator's real
 * TASK_END delivery is then handed to the trigger's webhook() through n8n-core's WebhookContext.
 * Verification queries the simulator's v2 API with the credential.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WebhookCallOptions } from '../harness/n8n';
import { callWebhook, runNode, simulatorCredentials, useBinaryMode } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import type { RunningHubSimulator } from '../simulator';
import { WORKFLOW_ID_TXT2IMG, startSimulator } from '../simulator';
import { SIM_KEY_NORMAL } from '../simulator/keys';

const TOKEN = 'a-long-random-secret-0123456789';
const TRIGGER = 'n8n-nodes-runninghub.runningHubTrigger';

let sim: RunningHubSimulator;
let receiver: WebhookReceiver;
let receiverUrl: string;
let captured: ReceivedCall[];

beforeAll(async () => {
	await useBinaryMode('default');
	sim = await startSimulator({ queuedMs: 20, runningMs: 60, webhookRetryDelaysMs: [] });
	receiver = await startReceiver('{}');
	captured = receiver.received;
	receiverUrl = `${receiver.origin}/webhook/3f1c0c1e/runninghub?token=${TOKEN}`;
});

afterAll(async () => {
	await sim.stop();
	await receiver.close();
});

beforeEach(() => {
	sim.reset();
	captured.length = 0;
});

/** Runs a workflow task whose TASK_END goes to the trigger URL; returns the real delivery. */
async function deliveredEvent(): Promise<ReceivedCall & { taskId: string }> {
	const run = await runNode({
		parameters: {
			resource: 'workflow',
			operation: 'run',
			workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
			waitMode: 'submit',
			options: { webhookUrl: receiverUrl },
		} as never,
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
	});
	const taskId = String(run.output[0][0].json.taskId);
	await sim.waitFor(
		() => captured.some((c) => c.body.taskId === taskId),
		5000,
		`TASK_END of ${taskId}`,
	);
	return { ...captured.find((c) => c.body.taskId === taskId)!, taskId };
}

async function trigger(
	call: Partial<WebhookCallOptions> & { body: unknown },
	withCredential = true,
) {
	return await callWebhook({
		nodeType: TRIGGER,
		parameters: { token: TOKEN, verifyWithApi: true, options: {}, ...(call.parameters ?? {}) },
		credentials: withCredential ? simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL) : undefined,
		query: { token: TOKEN },
		staticData: {},
		...call,
	} as WebhookCallOptions);
}

function queryCalls(): number {
	return sim.requests.filter((request) => request.route === 'v2.query').length;
}

describe('RunningHub Trigger', () => {
	it('emits one item for a real TASK_END with the right token, confirmed by the API', async () => {
		const event = await deliveredEvent();
		expect(event.query.token).toBe(TOKEN);
		const { result, response } = await trigger({
			body: event.body,
			query: event.query,
			parameters: { token: TOKEN, verifyWithApi: true, options: { downloadOutputs: true } },
		});
		expect(response.ended).toBe(false);
		const items = result.workflowData![0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'TASK_END',
			taskId: event.taskId,
			status: 'SUCCESS',
			failure: null,
			verifiedWithApi: true,
		});
		expect(items[0].json.rawEvent).toEqual(event.body);
		const outputs = items[0].json.outputs as IDataObject[];
		expect(outputs.length).toBeGreaterThan(0);
		expect(String(outputs[0].fileUrl)).toContain(sim.publicBaseUrl);
		expect(items[0].binary?.data_0?.mimeType).toBe('image/png');
		expect(queryCalls()).toBe(1);
	});

	it('answers 401 and emits nothing for a wrong or missing token', async () => {
		const event = await deliveredEvent();
		for (const query of [{ token: 'wrong-token' }, { token: `${TOKEN}x` }, {}]) {
			const { result, response } = await trigger({ body: event.body, query });
			expect(response.statusCode).toBe(401);
			expect(result.workflowData).toBeUndefined();
		}
		expect(queryCalls()).toBe(0);
	});

	it('rejects a forged event for a task the API does not know', async () => {
		const forged = {
			event: 'TASK_END',
			taskId: '1904163390028185602',
			eventData: JSON.stringify({
				code: 0,
				msg: 'success',
				data: [{ fileUrl: 'https://evil.example/x.png', fileType: 'png', nodeId: '9' }],
			}),
		};
		const { result, response } = await trigger({ body: forged });
		expect(response.statusCode).toBe(403);
		expect(String((response.body as IDataObject).error)).toMatch(
			/does not know task 1904163390028185602/,
		);
		expect(result.workflowData).toBeUndefined();
	});

	it('emits the API outputs, not the URLs of a forged event for a real task', async () => {
		const event = await deliveredEvent();
		const forged = {
			...event.body,
			eventData: JSON.stringify({
				code: 0,
				msg: 'success',
				data: [{ fileUrl: 'https://evil.example/x.png', fileType: 'png', nodeId: '9' }],
			}),
		};
		const { result } = await trigger({ body: forged });
		const json = result.workflowData![0][0].json;
		expect(JSON.stringify(json.outputs)).not.toContain('evil.example');
		expect(String((json.outputs as IDataObject[])[0].fileUrl)).toContain(sim.publicBaseUrl);
	});

	it('emits a repeated delivery of the same event only once', async () => {
		const event = await deliveredEvent();
		const staticData: IDataObject = {};
		const first = await trigger({ body: event.body, staticData });
		expect(first.result.workflowData).toHaveLength(1);
		const second = await trigger({ body: event.body, staticData });
		expect(second.result.workflowData).toBeUndefined();
		expect(second.result.webhookResponse).toMatchObject({ duplicate: true, taskId: event.taskId });
		expect(second.response.statusCode).toBe(200);
	});

	it('answers 400 with a clear message for malformed bodies', async () => {
		const cases: Array<[unknown, RegExp]> = [
			['this is not json', /not JSON/],
			[{ event: 'TASK_END', taskId: '123', eventData: '{"code":0,' }, /eventData/],
			[{ event: 'TASK_END', eventData: '{"code":0,"msg":"success","data":[]}' }, /taskId/],
			[{ hello: 'world' }, /eventData/],
		];
		for (const [body, message] of cases) {
			const { result, response } = await trigger({ body });
			expect(response.statusCode).toBe(400);
			expect(String((response.body as IDataObject).error)).toMatch(message);
			expect(result.workflowData).toBeUndefined();
		}
		expect(queryCalls()).toBe(0);
	});

	it('reports a failed task with its failure details', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'TypeError',
			exceptionMessage: 'missing vae',
			nodeId: '3',
		});
		const event = await deliveredEvent();
		const { result } = await trigger({ body: event.body });
		expect(result.workflowData![0][0].json).toMatchObject({
			taskId: event.taskId,
			status: 'FAILED',
			outputs: [],
			failure: { exceptionType: 'TypeError', exceptionMessage: 'missing vae', nodeId: '3' },
		});
	});

	it('without a credential, emits the event as received (verification off)', async () => {
		const event = await deliveredEvent();
		const { result } = await trigger({ body: event.body }, false);
		const json = result.workflowData![0][0].json;
		expect(json).toMatchObject({ taskId: event.taskId, status: 'SUCCESS', verifiedWithApi: false });
		expect(queryCalls()).toBe(0);
	});

	it('accepts the v2 callback shapes (eventData as a task object, or a bare task object)', async () => {
		const event = await deliveredEvent();
		const v2 = {
			taskId: event.taskId,
			status: 'SUCCESS',
			errorCode: '',
			errorMessage: '',
			results: [{ url: 'https://x.example/a.png', outputType: 'png' }],
		};
		for (const body of [
			{ event: 'TASK_END', taskId: event.taskId, eventData: JSON.stringify(v2) },
			{ event: 'TASK_END', taskId: event.taskId, eventData: v2 },
			v2,
		]) {
			const { result } = await trigger(
				{ body, parameters: { token: TOKEN, verifyWithApi: false, options: {} } },
				false,
			);
			expect(result.workflowData![0][0].json).toMatchObject({
				taskId: event.taskId,
				status: 'SUCCESS',
				outputs: [{ fileUrl: 'https://x.example/a.png', fileType: 'png' }],
			});
		}
	});
});
