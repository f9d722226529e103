/**
 * Account › Get over real HTTP against the simulator, with the node running inside n8n-core's
 * execution context: the balance and key type, and the errors of a wrong, free or empty key.
 */
import { runNode, simulatorCredentials } from '../harness/n8n';
import { HOUR, createTaskDirectly, useSimulator } from '../harness/simulator';
import { SIM_KEY_FREE, SIM_KEY_INVALID, SIM_KEY_NORMAL } from '../simulator';

const sim = useSimulator();

const credentials = (apiKey = SIM_KEY_NORMAL) => simulatorCredentials(sim.baseUrl, apiKey);

describe('Account › Get', () => {
	it('returns balance, coins, running tasks and key type as numbers and strings', async () => {
		// A task that is still running when the account is read.
		sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
		await createTaskDirectly(sim);
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

	it("reports the key's queue beside the balance: type, concurrency limit, running and queued tasks", async () => {
		sim.setConcurrency(SIM_KEY_NORMAL, 3);
		sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
		await createTaskDirectly(sim);
		sim.setDurations({ queuedMs: 0, runningMs: HOUR });
		await createTaskDirectly(sim);
		await sim.waitFor(
			() => [...sim.tasks.keys()].some((taskId) => sim.taskStatus(taskId) === 'RUNNING'),
			10_000,
			'a task running',
		);
		const { output } = await runNode({
			parameters: { resource: 'account', operation: 'get' },
			credentials: credentials(),
		});
		expect(output[0][0].json).toMatchObject({
			apiType: 'NORMAL',
			apiKeyType: 'NORMAL',
			concurrentLimit: 3,
			runningCount: 1,
			queuedCount: 1,
			totalCurrentTasks: 2,
		});
		expect(output[0][0].json).not.toHaveProperty('queueStatusError');
		const request = sim.requests.find((r) => r.route === 'v2.queueStatus');
		expect(request?.method).toBe('GET');
		expect(request?.headers.authorization).toBe(`Bearer ${SIM_KEY_NORMAL}`);
	});

	it('still reports the balance when the queue status cannot be read, and says why', async () => {
		sim.injectFault({ route: '/openapi/v2/queue/status', kind: 'code', code: 412, times: -1 });
		const { output } = await runNode({
			parameters: { resource: 'account', operation: 'get' },
			credentials: credentials(),
		});
		const json = output[0][0].json;
		expect(json.remainCoins).toBe(76600);
		expect(json).toMatchObject({
			concurrentLimit: null,
			runningCount: null,
			queuedCount: null,
			totalCurrentTasks: null,
		});
		expect(String(json.queueStatusError)).toMatch(/412/);
		expect(JSON.stringify(json)).not.toContain(SIM_KEY_NORMAL);
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
