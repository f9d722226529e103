/**
 * Throughput of Workflow › Run on a batch, through n8n-core's real execution context and the
 * simulator: N items, each a task that runs for T ms, at most C at a time.
 *
 *   npx ts-node --transpile-only bench/batch.ts [N=20] [C=5] [T=1000] [pollSeconds=T/5000]
 *
 * Prints the wall time, the ideal ceil(N/C)*T, their ratio, and the status requests per task (the
 * polling cost). A ratio near 1 means the concurrency limit is used fully; the overhead above 1 is
 * polling granularity (a task is seen finished up to one poll interval late) plus HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { SIM_KEY_SHARED } from '../test/simulator/keys';

import { resolveTypeScriptBeforeJson } from './support';

resolveTypeScriptBeforeJson();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runNode, simulatorCredentials, useBinaryMode } =
	require('../test/harness/n8n') as typeof import('../test/harness/n8n');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../test/simulator') as typeof import('../test/simulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { promptItems, promptWorkflowRun } =
	require('../test/harness/parameters') as typeof import('../test/harness/parameters');

async function main(): Promise<void> {
	const [n = 20, c = 5, t = 1000] = process.argv.slice(2, 5).map(Number);
	const pollSeconds = Number(process.argv[5] ?? Math.max(0.1, t / 5000));
	await useBinaryMode('default');
	const sim = await startSimulator({ queuedMs: 0, runningMs: t });
	try {
		const items = promptItems(n, 'bench');
		const started = Date.now();
		const { output } = await runNode({
			parameters: promptWorkflowRun({
				maxConcurrentTasks: c,
				pollIntervalSeconds: pollSeconds,
				timeoutSeconds: 600,
				downloadOutputs: true,
			}),
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			items,
		});
		const wall = Date.now() - started;
		const ok = output[0].filter((item) => item.json.status === 'SUCCESS').length;
		const inOrder = output[0].every((item, index) =>
			JSON.stringify(sim.getTask(String(item.json.taskId))?.inputs ?? '').includes(
				`bench ${index}`,
			),
		);
		const ideal = Math.ceil(n / c) * t;
		const stats = sim.stats;
		const lines = [
			`items N=${n}  concurrency C=${c}  task duration T=${t} ms  poll interval=${pollSeconds} s`,
			`succeeded: ${ok}/${n}  results in input order: ${inOrder}`,
			`wall time: ${wall} ms`,
			`ideal ceil(N/C)*T: ${ideal} ms`,
			`ratio wall/ideal: ${(wall / ideal).toFixed(2)}`,
			`status requests per task: ${(stats.statusRequests / Math.max(1, stats.tasksCreated)).toFixed(1)} (${stats.statusRequests} for ${stats.tasksCreated} tasks; ideal ≈ T/poll = ${(t / (pollSeconds * 1000)).toFixed(1)})`,
			`create requests: ${stats.createRequests}  getJsonApiFormat calls: ${stats.byRoute['v1.getJsonApiFormat'] ?? '?'}`,
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
	process.exitCode = 1;
});
