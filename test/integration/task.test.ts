/**
 * Task operations (Get Status, Get Outputs, Cancel, Get and Resend Webhook Event) over real HTTP
 * against the simulator, with the node running inside n8n-core's execution context.
 */
import axios from 'axios';

import { runNode, simulatorCredentials } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import { HOUR, createTaskDirectly, taskEnded, useSimulator } from '../harness/simulator';
import { SIM_KEY_NORMAL } from '../simulator';

const sim = useSimulator();

const credentials = (apiKey = SIM_KEY_NORMAL) => simulatorCredentials(sim.baseUrl, apiKey);

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

describe('Task operations', () => {
	it('Get Status follows the task to SUCCESS and keeps the 19-digit ID a string', async () => {
		const taskId = await createTaskDirectly(sim);
		const { output } = await runTask('getStatus', { taskId });
		expect(output[0][0].json).toMatchObject({
			taskId,
			status: expect.stringMatching(/QUEUED|RUNNING|SUCCESS/),
		});
		await taskEnded(sim, taskId);
		const done = await runTask('getStatus', { taskId });
		expect(done.output[0][0].json).toMatchObject({ taskId, status: 'SUCCESS', failure: null });
		expect(done.output[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('keeps a task ID the API sends as a bare JSON number', async () => {
		const taskId = await createTaskDirectly(sim);
		await taskEnded(sim, taskId);
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
		const taskId = await createTaskDirectly(sim);
		await taskEnded(sim, taskId);
		const { output } = await runTask('getOutputs', { taskId });
		const item = output[0][0];
		expect(item.json.status).toBe('SUCCESS');
		const outputs = item.json.outputs as Array<{ fileUrl: string; fileType: string }>;
		expect(outputs.length).toBeGreaterThan(0);
		// one item per file, in the binary property the next node reads by default
		expect(output[0]).toHaveLength(outputs.filter((o) => o.fileUrl).length);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		expect(item.json.file).toMatchObject({ fileUrl: outputs[0].fileUrl, binaryProperty: 'data' });
		expect(item.json.fileIndex).toBe(0);
		expect(item.binary?.data?.mimeType).toBe('image/png');
		expect(item.binary?.data?.fileName).toMatch(/\.png$/);
		const bytes = Buffer.from(item.binary!.data.data, 'base64');
		expect(bytes.subarray(1, 4).toString()).toBe('PNG');
		const download = sim.requests.find((r) => r.route === 'files.get');
		expect(download?.headers.authorization).toBeUndefined();
		expect(JSON.stringify(download?.query)).not.toContain(SIM_KEY_NORMAL);
	});

	it('Get Outputs can skip downloads and use another binary prefix', async () => {
		const taskId = await createTaskDirectly(sim);
		await taskEnded(sim, taskId);
		const plain = await runTask('getOutputs', { taskId, options: { downloadOutputs: false } });
		expect(plain.output[0][0].binary).toBeUndefined();
		const prefixed = await runTask('getOutputs', {
			taskId,
			options: { outputItems: 'perTask', binaryPropertyPrefix: 'image_' },
		});
		expect(prefixed.output[0]).toHaveLength(1);
		expect(Object.keys(prefixed.output[0][0].binary ?? {})).toEqual(['image_0']);
	});

	it('Get Outputs of a failed task names the failing node and exception', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'TypeError',
			exceptionMessage: 'missing clip_vision',
			nodeId: '3',
		});
		const taskId = await createTaskDirectly(sim);
		await taskEnded(sim, taskId);
		const run = runTask('getOutputs', { taskId });
		await expect(run).rejects.toThrow(
			new RegExp(`node #3 .*TypeError: missing clip_vision.*\\[task ${taskId}\\]`),
		);
	});

	it('Cancel stops a queued task', async () => {
		sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
		const taskId = await createTaskDirectly(sim);
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
			const taskId = await createTaskDirectly(sim, { webhookUrl: `${receiverUrl}/first` });
			await taskEnded(sim, taskId);
			await sim.waitFor(
				() => received.some((r) => r.raw.includes(taskId)),
				20_000,
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
			const taskId = await createTaskDirectly(sim, { webhookUrl: `${receiverUrl}/first` });
			await taskEnded(sim, taskId);
			await sim.waitFor(
				() => received.some((r) => r.path === '/first' && r.raw.includes(taskId)),
				20_000,
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
				20_000,
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
			const taskId = await createTaskDirectly(sim);
			await expect(runTask('getWebhookEvent', { taskId })).rejects.toThrow(
				/webhook event not exists|code 1 /,
			);
		});
	});
});
