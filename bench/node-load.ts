/**
 * How long n8n takes to load the RunningHub node, and what the model catalogue costs on first use.
 *
 *   npm run build && npx ts-node --transpile-only bench/node-load.ts [runs]
 *
 * Each run is a fresh Node process that loads n8n-workflow first (n8n has it loaded already), then
 * times what n8n does with a community node: require the built node file (dist/) and construct the
 * node class. It then times the first catalogue look-up (a model list search), which the catalogue
 * defers until a model is needed. Wall and CPU time are both printed: on a busy machine the wall
 * time includes waiting for a core, the CPU time does not.
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
	firstCatalogueUse: Timing;
	/** Load plus first catalogue use: what loading cost when the catalogue was built with the node. */
	loadWithCatalogue: Timing;
}

const ROOT = path.resolve(__dirname, '..');

function childScript(root: string): string {
	const node = path.join(root, 'dist/nodes/RunningHub/RunningHub.node.js');
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
require(${JSON.stringify(catalogue)}).searchModels('');
const firstCatalogueUse = { wallMs: now() - wall, cpuMs: cpu() - used };
process.stdout.write(JSON.stringify({ load, firstCatalogueUse }));
`;
}

async function oneRun(root: string): Promise<{ load: Timing; firstCatalogueUse: Timing }> {
	return await new Promise((resolve, reject) => {
		execFile(process.execPath, ['-e', childScript(root)], { cwd: root }, (error, stdout) => {
			if (error) reject(error);
			else resolve(JSON.parse(stdout) as { load: Timing; firstCatalogueUse: Timing });
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
		firstCatalogueUse: medianTiming(results.map((r) => r.firstCatalogueUse)),
		loadWithCatalogue: medianTiming(
			results.map((r) => ({
				wallMs: r.load.wallMs + r.firstCatalogueUse.wallMs,
				cpuMs: r.load.cpuMs + r.firstCatalogueUse.cpuMs,
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
		`  catalogue on first use      ${ms(figures.firstCatalogueUse)}, once per process`,
		`  load + catalogue, as before ${ms(figures.loadWithCatalogue)}`,
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
