/**
 * Account and Task operations, error mapping and retries, over real HTTP against the simulator,
 * with the node running inside n8n-core's execution context.
 */
import axios from 'axios';

import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import { runNode, simulatorCredentials } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import type { RunningHubSimulator } from '../simulator';
import {
	SIM_KEY_FREE,
	SIM_KEY_INVALID,
	SIM_KEY_NORMAL,
	WORKFLOW_ID_TXT2IMG,
	startSimulator,
} from '../simulator';

let sim: RunningHubSimulator;
const savedRetry = { ...RETRY_DEFAULTS };

beforeAll(async () => {
	sim = await startSimulator({ queuedMs: 20, runningMs: 60 });
	Object.assign(RETRY_DEFAULTS, {
		baseDelayMs: 20,
		maxDelayMs: 80,
		maxAttempts: 4,
		maxTotalMs: 5000,
	});
});

afterAll(async () => {
	Object.assign(RETRY_DEFAULTS, savedRetry);
	await sim.stop();
});

beforeEach(() => {
	sim.reset();
});

const credentials = (apiKey = SIM_KEY_NORMAL) => simulatorCredentials(sim.baseUrl, apiKey);

/** Creates a task straight through the API, as another tool or an earlier run would have. */
async function createTask(extra: Record<string, unknown> = {}): Promise<string> {
	const response = await axios.post(`${sim.baseUrl}/task/openapi/create`, {
		apiKey: SIM_KEY_NORMAL,
		workflowId: WORKFLOW_ID_TXT2IMG,
		...extra,
	});
	expect(response.data.code).toBe(0);
	return String(response.data.data.taskId);
}

async function untilEnded(taskId: string): Promise<void> {
	await sim.waitFor(
		() => ['SUCCESS', 'FAILED'].includes(String(sim.taskStatus(taskId))),
		5000,
		`task ${taskId} to end`,
	);
}

async function runTask(
	operation: string,
	parameters: Record<string, unknown> = {},
	apiKey = SIM_KEY_NORMAL,
) {
	return await runNode({
		parameters: { resource: 'task', operation, ...parameters },
		credentials: credentials(apiKey),
	});
}

describe('Account › Get', () => {
	it('returns balance, coins, running tasks and key type as numbers and strings', async () => {
		sim.setDurations({ queuedMs: 3000, runningMs: 3000 });
		await createTask();
		const { output } = await runNode({
			parameters: { resource: 'account', operation: 'get' },
			credentials: credentials(),
		});
		const json = output[0][0].json;
		expect(typeof json.remainCoins).toBe('number');
		expect(json.apiType).toBe('NORMAL');
		expect(json.currentTaskCounts).toBe(1);
		const request = sim.requests.find((r) => r.path === '/uc/openapi/accountStatus');
		expect(request?.body).toEqual({ apikey: SIM_KEY_NORMAL });
	});

	it('explains a wrong key without showing it', async () => {
		const run = runNode({
			parameters: { resource: 'account', operation: 'get' },
			credentials: credentials(SIM_KEY_INVALID),
		});
		await expect(run).rejects.toThrow(/key is wrong or disabled \(code 802 APIKEY_UNAUTHORIZED\)/);
		const error = (await run.catch((e: Error) => e)) as Error;
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SIM_KEY_INVALID);
	});

	it('explains that free accounts cannot use the API', async () => {
		await expect(
			runNode({
				parameters: { resource: 'account', operation: 'get' },
				credentials: credentials(SIM_KEY_FREE),
			}),
		).rejects.toThrow(/Free accounts cannot use the RunningHub API \(code 801/);
	});

	it('rejects an empty key before sending anything', async () => {
		await expect(
			runNode({
				parameters: { resource: 'account', operation: 'get' },
				credentials: credentials(''),
			}),
		).rejects.toThrow(/has no API key/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Task operations', () => {
	it('Get Status follows the task to SUCCESS and keeps the 19-digit ID a string', async () => {
		const taskId = await createTask();
		const { output } = await runTask('getStatus', { taskId });
		expect(output[0][0].json).toMatchObject({
			taskId,
			status: expect.stringMatching(/QUEUED|RUNNING|SUCCESS/),
		});
		await untilEnded(taskId);
		const done = await runTask('getStatus', { taskId });
		expect(done.output[0][0].json).toMatchObject({ taskId, status: 'SUCCESS', failure: null });
		expect(done.output[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('keeps a task ID the API sends as a bare JSON number', async () => {
		const taskId = await createTask();
		await untilEnded(taskId);
		sim.numericIds = true;
		const raw = await axios.post(
			`${sim.baseUrl}/openapi/v2/query`,
			{ taskId },
			{ headers: { Authorization: `Bearer ${SIM_KEY_NORMAL}` }, transformResponse: (t) => t },
		);
		expect(raw.data).toContain(`"taskId":${taskId}`);
		const { output } = await runTask('getStatus', { taskId });
		expect(output[0][0].json.taskId).toBe(taskId);
	});

	it('Get Outputs downloads the files as binary data with MIME type and file name', async () => {
		const taskId = await createTask();
		await untilEnded(taskId);
		const { output } = await runTask('getOutputs', { taskId });
		const item = output[0][0];
		expect(item.json.status).toBe('SUCCESS');
		const outputs = item.json.outputs as Array<{ fileUrl: string; fileType: string }>;
		expect(outputs.length).toBeGreaterThan(0);
		expect(item.binary?.data_0?.mimeType).toBe('image/png');
		expect(item.binary?.data_0?.fileName).toMatch(/\.png$/);
		const bytes = Buffer.from(item.binary!.data_0.data, 'base64');
		expect(bytes.subarray(1, 4).toString()).toBe('PNG');
		const download = sim.requests.find((r) => r.route === 'files.get');
		expect(download?.headers.authorization).toBeUndefined();
		expect(JSON.stringify(download?.query)).not.toContain(SIM_KEY_NORMAL);
	});

	it('Get Outputs can skip downloads and use another binary prefix', async () => {
		const taskId = await createTask();
		await untilEnded(taskId);
		const plain = await runTask('getOutputs', { taskId, options: { downloadOutputs: false } });
		expect(plain.output[0][0].binary).toBeUndefined();
		const prefixed = await runTask('getOutputs', {
			taskId,
			options: { binaryPropertyPrefix: 'image_' },
		});
		expect(Object.keys(prefixed.output[0][0].binary ?? {})).toEqual(['image_0']);
	});

	it('Get Outputs of a failed task names the failing node and exception', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'TypeError',
			exceptionMessage: 'missing clip_vision',
			nodeId: '3',
		});
		const taskId = await createTask();
		await untilEnded(taskId);
		const run = runTask('getOutputs', { taskId });
		await expect(run).rejects.toThrow(
			new RegExp(`node #3 .*TypeError: missing clip_vision.*\\[task ${taskId}\\]`),
		);
	});

	it('Cancel stops a queued task', async () => {
		sim.setDurations({ queuedMs: 5000, runningMs: 5000 });
		const taskId = await createTask();
		const { output } = await runTask('cancel', { taskId });
		expect(output[0][0].json).toEqual({ taskId, cancelled: true });
		expect(sim.stats.tasksCancelled).toBe(1);
		expect(sim.getTask(taskId)?.cancelledAt).toBeDefined();
	});

	it('rejects a task ID that is not numeric before calling the API', async () => {
		await expect(runTask('getStatus', { taskId: 'abc' })).rejects.toThrow(
			/Task ID must be the numeric ID/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('an unknown task answered with its ID echoed and status FAILED is "not found", not a failed task', async () => {
		sim.options.unknownTaskStatus = 'FAILED';
		await expect(runTask('getStatus', { taskId: '1111111111111111111' })).rejects.toThrow(
			/code 1004.*\[task 1111111111111111111\]/,
		);
	});

	it('unknown task: 1004 on v2, 807 on v1, with the task ID in the message', async () => {
		await expect(runTask('getStatus', { taskId: '1111111111111111111' })).rejects.toThrow(
			/code 1004.*\[task 1111111111111111111\]/,
		);
		await expect(runTask('cancel', { taskId: '1111111111111111111' })).rejects.toThrow(
			/code 807 APIKEY_TASK_NOT_FOUND/,
		);
	});

	describe('webhook events', () => {
		let receiver: WebhookReceiver;
		let receiverUrl: string;
		let received: ReceivedCall[];

		beforeAll(async () => {
			receiver = await startReceiver('ok');
			received = receiver.received;
			receiverUrl = receiver.origin;
		});

		afterAll(async () => await receiver.close());

		it('Get Webhook Event returns the delivery record with eventData parsed', async () => {
			const taskId = await createTask({ webhookUrl: `${receiverUrl}/first` });
			await untilEnded(taskId);
			await sim.waitFor(
				() => received.some((r) => r.raw.includes(taskId)),
				5000,
				'webhook delivery',
			);
			await sim.webhooksIdle();
			const { output } = await runTask('getWebhookEvent', { taskId });
			const json = output[0][0].json as Record<string, unknown>;
			expect(json).toMatchObject({
				taskId,
				webhookUrl: `${receiverUrl}/first`,
				callbackStatus: 'SUCCESS',
				event: 'TASK_END',
			});
			expect(json.webhookId).toMatch(/^\d{19}$/);
			expect((json.eventData as { code: number; data: unknown[] }).code).toBe(0);
			expect(JSON.stringify(json)).not.toContain(SIM_KEY_NORMAL);
		});

		it('Resend Webhook Event delivers again, to another URL when given', async () => {
			const taskId = await createTask({ webhookUrl: `${receiverUrl}/first` });
			await untilEnded(taskId);
			await sim.waitFor(
				() => received.some((r) => r.path === '/first' && r.raw.includes(taskId)),
				5000,
				'first delivery',
			);
			await sim.webhooksIdle();
			const { output } = await runTask('resendWebhookEvent', {
				taskId,
				webhookUrl: `${receiverUrl}/again`,
			});
			expect(output[0][0].json).toMatchObject({
				taskId,
				resent: true,
				webhookUrl: `${receiverUrl}/again`,
			});
			await sim.waitFor(
				() => received.some((r) => r.path === '/again' && r.raw.includes(taskId)),
				5000,
				'resent delivery',
			);
		});

		it('Resend Webhook Event rejects a URL that is not http(s)', async () => {
			await expect(
				runTask('resendWebhookEvent', {
					taskId: '1904152026220003329',
					webhookUrl: 'ftp://example.com/x',
				}),
			).rejects.toThrow(/Send To URL must be an http:\/\/ or https:\/\/ URL/);
			expect(sim.requests).toHaveLength(0);
		});

		it('a task without webhook says so', async () => {
			const taskId = await createTask();
			await expect(runTask('getWebhookEvent', { taskId })).rejects.toThrow(
				/webhook event not exists|code 1 /,
			);
		});
	});
});

describe('error code families and retries', () => {
	it.each([
		['416', /wallet balance is too low.*code 416/],
		['803', /names a node ID or field.*code 803/],
		['810', /never run successfully.*code 810/],
		['433', /could not validate the workflow.*code 433/],
	])('permanent code %s fails at once with its explanation', async (code, pattern) => {
		sim.injectFault({
			route: '/uc/openapi/accountStatus',
			kind: 'code',
			code: Number(code),
			times: -1,
		});
		await expect(
			runNode({
				parameters: { resource: 'account', operation: 'get' },
				credentials: credentials(),
			}),
		).rejects.toThrow(pattern);
		expect(sim.requests.filter((r) => r.path === '/uc/openapi/accountStatus')).toHaveLength(1);
	});

	it.each([
		['HTTP 500', { kind: 'http' as const, status: 500 }],
		['HTTP 502', { kind: 'http' as const, status: 502 }],
		['connection reset', { kind: 'reset' as const }],
		['code 1005', { kind: 'code' as const, code: '1005' }],
		['code 1011', { kind: 'code' as const, code: '1011' }],
	])('%s on a read is retried, then succeeds', async (_label, fault) => {
		const taskId = await createTask();
		sim.injectFault({ route: '/openapi/v2/query', times: 2, ...fault });
		const { output } = await runTask('getStatus', { taskId });
		expect(output[0][0].json.taskId).toBe(taskId);
		expect(sim.requests.filter((r) => r.path === '/openapi/v2/query')).toHaveLength(3);
	});

	it('gives up after the retry budget with a message that says so', async () => {
		const taskId = await createTask();
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
		await expect(runTask('getStatus', { taskId })).rejects.toThrow(/HTTP 503/);
		const error = await runTask('getStatus', { taskId }).catch((e) => e);
		expect(error.description).toMatch(/Gave up after 4 attempts/);
		expect(sim.requests.filter((r) => r.path === '/openapi/v2/query').length).toBe(8);
	});

	it('stopping the execution ends a backoff at once', async () => {
		const taskId = await createTask();
		Object.assign(RETRY_DEFAULTS, { baseDelayMs: 5000, maxDelayMs: 5000, maxTotalMs: 60000 });
		try {
			sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
			const controller = new AbortController();
			const started = Date.now();
			const run = runNode({
				parameters: { resource: 'task', operation: 'getStatus', taskId },
				credentials: credentials(),
				abortSignal: controller.signal,
			});
			setTimeout(() => controller.abort(), 200);
			await expect(run).rejects.toThrow(/execution was stopped/);
			expect(Date.now() - started).toBeLessThan(2000);
			expect(sim.requests.filter((r) => r.path === '/openapi/v2/query')).toHaveLength(1);
		} finally {
			Object.assign(RETRY_DEFAULTS, {
				baseDelayMs: 20,
				maxDelayMs: 80,
				maxAttempts: 4,
				maxTotalMs: 5000,
			});
		}
	});

	it('continueOnFail turns a failing item into an error item and keeps the others', async () => {
		const good = await createTask();
		const { output } = await runNode({
			parameters: { resource: 'task', operation: 'getStatus', taskId: '={{ $json.id }}' },
			credentials: credentials(),
			continueOnFail: true,
			items: [
				{ json: { id: good } },
				{ json: { id: '1111111111111111111' } },
				{ json: { id: good } },
			],
		});
		expect(output[0]).toHaveLength(3);
		expect(output[0][0].json.taskId).toBe(good);
		expect(output[0][1].json.error).toMatch(/code 1004/);
		expect(output[0][1].json.taskId).toBe('1111111111111111111');
		expect(output[0][1].pairedItem).toEqual({ item: 1 });
		expect(output[0][2].json.taskId).toBe(good);
	});
});
