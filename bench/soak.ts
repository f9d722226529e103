/**
 * Soak: a 200-item Workflow › Run batch with Continue On Fail, random (seeded) faults on every route
 * it uses, tasks failing on purpose and a key below Max Concurrent Tasks. Prints the
 * reconciliation table; exits non-zero when the counts do not reconcile (an item lost or doubled,
 * a task submitted twice, an error that names neither its task nor an unconfirmed create).
 *
 *   npx ts-node --transpile-only bench/soak.ts [tasks=200] [seed=20240601]
 *
 * The same run with 40 tasks is a jest test: test/reliability/soak.test.ts.
 */

import { resolveTypeScriptBeforeJson } from './support';

resolveTypeScriptBeforeJson();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { formatReport, runSoak } =
	require('../test/reliability/soak') as typeof import('../test/reliability/soak');

async function main(): Promise<void> {
	const [tasks = 200, seed = 20240601] = process.argv.slice(2, 4).map(Number);
	const report = await runSoak({ tasks, seed });
	console.log(formatReport(report));
	process.exitCode = report.problems.length === 0 && report.itemsOut === report.itemsIn ? 0 : 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
