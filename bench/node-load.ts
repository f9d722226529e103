/**
 * How long n8n takes to load the RunningHub node, and what the model catalogue costs on first use.
 *
 *   npm run build && npx ts-node --transpile-only bench/node-load.ts [runs]
 *
 * Each run is a fresh Node process that loads n8n-workflow first (n8n has it loaded already), then
 * times what n8n does with a community node: require the built node file (dist/) and construct the
 * node class; that load reads the descriptions only. It then times what is deferred: the task logic
 * a first run imports (the router and everything it uses) and the first catalogue look-up (a model
 * list search). Wall and CPU time are both printed: on a busy machine the wall time includes
 * waiting for a core, the CPU time does not.
 *
 * `measureNodeLoad()` is exported for a combined benchmark command.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Issue #16's figure for the node's own load with the catalogue built at load (65 ms). */
export const NODE_LOAD_BASELINE_MS = 65;
/** Goal for the node's own load. */
export const NODE_LOAD_GOAL_MS = 40;

export interface Timing {
	wallMs: number;
	cpuMs: number;
}

export interface NodeLoadFigures {
	runs: number;
	/** Medians over the runs. */
	load: Timing;
	/** Importing the task logic, as the first run does (once per process). */
	firstRunLogic: Timing;
	firstCatalogueUse: Timing;
	/** Load, task logic and catalogue together: what loading cost when the node read it all at once. */
	loadEverything: Timing;
}

const ROOT = path.resolve(__dirname, '..');

type Deferred = Pick<NodeLoadFigures, 'load' | 'firstRunLogic' | 'firstCatalogueUse'>;

function childScript(root: string): string {
	const node = path.join(root, 'dist/nodes/RunningHub/RunningHub.node.js');
	const router = path.join(root, 'dist/nodes/RunningHub/actions/router.js');
	const catalogue = path.join(root, 'dist/nodes/RunningHub/catalogue/index.js');
	return `
require('n8n-workflow');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const now = () => Number(process.hrtime.bigint()) / 1e6;
let wall = now(), used = cpu();
const { RunningHub } = require(${JSON.stringify(node)});
new RunningHub();
const load = { wallMs: now() - wall, cpuMs: cpu() - used };
wall = now(); used = cpu();
require(${JSON.stringify(router)});
const firstRunLogic = { wallMs: now() - wall, cpuMs: cpu() - used };
wall = now(); used = cpu();
require(${JSON.stringify(catalogue)}).searchModels('');
const firstCatalogueUse = { wallMs: now() - wall, cpuMs: cpu() - used };
process.stdout.write(JSON.stringify({ load, firstRunLogic, firstCatalogueUse }));
`;
}

async function oneRun(root: string): Promise<Deferred> {
	return await new Promise((resolve, reject) => {
		execFile(process.execPath, ['-e', childScript(root)], { cwd: root }, (error, stdout) => {
			if (error) reject(error);
			else resolve(JSON.parse(stdout) as Deferred);
		});
	});
}

function median(values: number[]): number {
	const sorted = values.slice().sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianTiming(timings: Timing[]): Timing {
	return {
		wallMs: median(timings.map((t) => t.wallMs)),
		cpuMs: median(timings.map((t) => t.cpuMs)),
	};
}

/** Loads the built node `runs` times, one fresh process after another, and returns the medians. */
export async function measureNodeLoad(
	options: { runs?: number; root?: string } = {},
): Promise<NodeLoadFigures> {
	const runs = options.runs ?? 9;
	const root = options.root ?? ROOT;
	if (!fs.existsSync(path.join(root, 'dist/nodes/RunningHub/RunningHub.node.js'))) {
		throw new Error(`${root}/dist has no built node: run \`npm run build\` first`);
	}
	const results = [];
	for (let i = 0; i < runs; i++) results.push(await oneRun(root));
	return {
		runs,
		load: medianTiming(results.map((r) => r.load)),
		firstRunLogic: medianTiming(results.map((r) => r.firstRunLogic)),
		firstCatalogueUse: medianTiming(results.map((r) => r.firstCatalogueUse)),
		loadEverything: medianTiming(
			results.map((r) => ({
				wallMs: r.load.wallMs + r.firstRunLogic.wallMs + r.firstCatalogueUse.wallMs,
				cpuMs: r.load.cpuMs + r.firstRunLogic.cpuMs + r.firstCatalogueUse.cpuMs,
			})),
		),
	};
}

function ms(timing: Timing): string {
	return `${timing.wallMs.toFixed(1)} ms (CPU ${timing.cpuMs.toFixed(1)} ms)`;
}

/** The figures as printed lines, each beside its baseline or goal. */
export function formatNodeLoad(figures: NodeLoadFigures): string[] {
	const verdict = figures.load.wallMs <= NODE_LOAD_GOAL_MS ? 'meets' : 'misses';
	return [
		`Node load, median of ${figures.runs} fresh processes:`,
		`  node's own load             ${ms(figures.load)}; goal ≤ ${NODE_LOAD_GOAL_MS} ms (${verdict}); ` +
			`baseline ${NODE_LOAD_BASELINE_MS} ms with the catalogue built at load`,
		`  task logic on first run     ${ms(figures.firstRunLogic)}, once per process`,
		`  catalogue on first use      ${ms(figures.firstCatalogueUse)}, once per process`,
		`  all at load, as before      ${ms(figures.loadEverything)}`,
	];
}

if (require.main === module) {
	const runs = process.argv[2] ? Number(process.argv[2]) : undefined;
	measureNodeLoad({ runs }).then(
		(figures) => console.log(formatNodeLoad(figures).join('\n')),
		(error: Error) => {
			console.error(error.message);
			process.exitCode = 1;
		},
	);
}
