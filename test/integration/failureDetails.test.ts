/**
 * Failed tasks keep their details when the v2 query leaves failedReason empty (errorCode 1015, as in
 * RunningHub's own v2 failure example): the node asks the v1 outputs endpoint once and names the
 * failing node; the Trigger keeps the details the callback carried. Over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import type { WebhookCallOptions } from '../harness/n8n';
import { callWebhook, runNode, simulatorCredentials, useBinaryMode } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import type { RunningHubSimulator } from '../simulator';
import { SIM_KEY_NORMAL, WORKFLOW_ID_TXT2IMG, startSimulator } from '../simulator';

const TOKEN = 'a-long-random-secret-0123456789';

let sim: RunningHubSimulator;
let receiver: WebhookReceiver;
let captured: ReceivedCall[];
const savedRetry = { ...RETRY_DEFAULTS };

beforeAll(async () => {
	await useBinaryMode('default');
	sim = await startSimulator({ queuedMs: 20, runningMs: 40, webhookRetryDelaysMs: [] });
	receiver = await startReceiver('{}');
	captured = receiver.received;
	Object.assign(RETRY_DEFAULTS, {
		baseDelayMs: 10,
		maxDelayMs: 40,
		maxAttempts: 3,
		maxTotalMs: 2000,
	});
});

afterAll(async () => {
	Object.assign(RETRY_DEFAULTS, savedRetry);
	await sim.stop();
	await receiver.close();
});

beforeEach(() => {
	sim.reset();
	sim.options.v2FailedReason = 'empty';
	captured.length = 0;
});

const credentials = () => simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL);
const FAILING_PROMPT = [{ nodeId: '6', fieldName: 'text', fieldValue: 'a cat [[fail]]' }];

function runParameters(waitMode: string, options: IDataObject = {}) {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
		inputMode: 'nodeInfoListJson',
		nodeInfoListJson: JSON.stringify(FAILING_PROMPT),
		waitMode,
		options: { pollIntervalSeconds: 0.1, timeoutSeconds: 20, ...options },
	} as never;
}

const outputsCalls = () => sim.requests.filter((request) => request.route === 'v1.outputs').length;

async function failedTaskId(): Promise<string> {
	const { output } = await runNode({
		parameters: runParameters('submit'),
		credentials: credentials(),
	});
	const taskId = String(output[0][0].json.taskId);
	const task = sim.getTask(taskId)!;
	await sim.waitFor(() => sim.engine.status(task, false) === 'FAILED', 5000, `end of ${taskId}`);
	return taskId;
}

describe('a failed workflow task whose v2 answer has no details', () => {
	it('Workflow › Run names the failing node, asking v1 outputs once', async () => {
		const error = await runNode({
			parameters: runParameters('wait'),
			credentials: credentials(),
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/^Task failed in node #6 CLIPTextEncode with RuntimeError: /);
		expect(error?.message).not.toMatch(/1015/);
		expect((error as Error & { description?: string })?.description).toMatch(
			/RunningHub code 1015 GENERATION_FAILED/,
		);
		expect(outputsCalls()).toBe(1);
	});

	it('Task › Get Status returns the failing node', async () => {
		const taskId = await failedTaskId();
		const { output } = await runNode({
			parameters: { resource: 'task', operation: 'getStatus', taskId },
			credentials: credentials(),
		});
		expect(output[0][0].json).toMatchObject({
			status: 'FAILED',
			failure: { errorCode: '1015', nodeId: '6', nodeName: 'CLIPTextEncode' },
		});
		expect(outputsCalls()).toBe(1);
	});

	it('Task › Get Outputs fails naming the node', async () => {
		const taskId = await failedTaskId();
		await expect(
			runNode({
				parameters: { resource: 'task', operation: 'getOutputs', taskId, options: {} },
				credentials: credentials(),
			}),
		).rejects.toThrow(/node #6 CLIPTextEncode/);
	});

	it('keeps the short answer when v1 outputs cannot be read', async () => {
		sim.injectFault({ route: '/task/openapi/outputs', kind: 'http', status: 503, times: -1 });
		const error = await runNode({
			parameters: runParameters('wait'),
			credentials: credentials(),
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/^Task failed: Generation failed, please try again\. \[task/);
	});

	it('a task with details in its v2 answer is not asked again', async () => {
		sim.options.v2FailedReason = 'details';
		await expect(
			runNode({ parameters: runParameters('wait'), credentials: credentials() }),
		).rejects.toThrow(/node #6 CLIPTextEncode/);
		expect(outputsCalls()).toBe(0);
	});
});

describe('RunningHub Trigger', () => {
	it("keeps the callback's failure details when the API's answer has none", async () => {
		const url = `${receiver.origin}/webhook/abc/runninghub?token=${TOKEN}`;
		const { output } = await runNode({
			parameters: runParameters('submit', { webhookUrl: url }),
			credentials: credentials(),
		});
		const taskId = String(output[0][0].json.taskId);
		await sim.waitFor(
			() => captured.some((c) => c.body.taskId === taskId),
			5000,
			`TASK_END of ${taskId}`,
		);
		const event = captured.find((c) => c.body.taskId === taskId)!;
		const { result } = await callWebhook({
			nodeType: 'n8n-nodes-runninghub.runningHubTrigger',
			parameters: { token: TOKEN, verifyWithApi: true, options: {} },
			credentials: credentials(),
			query: { token: TOKEN },
			staticData: {},
			body: event.body,
		} as WebhookCallOptions);
		expect(result.workflowData![0][0].json).toMatchObject({
			status: 'FAILED',
			verifiedWithApi: true,
			failure: { errorCode: '1015', nodeId: '6', nodeName: 'CLIPTextEncode' },
		});
	});
});
