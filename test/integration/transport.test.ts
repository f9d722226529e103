/**
 * How the transport maps RunningHub's error codes and retries, over real HTTP against the simulator
 * (Account › Get and Task › Get Status as the carriers), with the node running inside n8n-core's
 * execution context.
 */
import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import { runNode, simulatorCredentials } from '../harness/n8n';
import { HOUR, createTaskDirectly, useSimulator } from '../harness/simulator';
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
		const taskId = await createTaskDirectly(sim);
		sim.injectFault({ route: '/openapi/v2/query', times: 2, ...fault });
		const { output } = await runTask('getStatus', { taskId });
		expect(output[0][0].json.taskId).toBe(taskId);
		expect(sim.requests.filter((r) => r.path === '/openapi/v2/query')).toHaveLength(3);
	});

	it('gives up after the retry budget with a message that says so', async () => {
		const taskId = await createTaskDirectly(sim);
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
		await expect(runTask('getStatus', { taskId })).rejects.toThrow(/HTTP 503/);
		const error = await runTask('getStatus', { taskId }).catch((e) => e);
		expect(error.description).toMatch(/Gave up after 4 attempts/);
		expect(sim.requests.filter((r) => r.path === '/openapi/v2/query').length).toBe(8);
	});

	it('stopping the execution ends a backoff at once', async () => {
		const taskId = await createTaskDirectly(sim);
		// The backoff lasts an hour (budgets are set again before each test): the run ends only
		// because the stop cut it short.
		Object.assign(RETRY_DEFAULTS, { baseDelayMs: HOUR, maxDelayMs: HOUR, maxTotalMs: 10 * HOUR });
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
		const controller = new AbortController();
		const run = runNode({
			parameters: { resource: 'task', operation: 'getStatus', taskId },
			credentials: credentials(),
			abortSignal: controller.signal,
			// Stop once the node has the 503 and has gone on to its backoff (setImmediate runs after
			// the microtasks that take it there).
			onHttpAnswer: (answer) => {
				if (answer.path === '/openapi/v2/query') setImmediate(() => controller.abort());
			},
		});
		await expect(run).rejects.toThrow(/execution was stopped/);
		expect(sim.requests.filter((r) => r.path === '/openapi/v2/query')).toHaveLength(1);
	});

	it('continueOnFail turns a failing item into an error item and keeps the others', async () => {
		const good = await createTaskDirectly(sim);
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
