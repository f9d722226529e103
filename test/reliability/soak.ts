/**
 * The soak run shared by bench/soak.ts (200 tasks) and test/reliability/soak.test.ts (40 tasks):
 * one Workflow › Run batch with Continue On Fail against the simulator, random faults on every
 * route it uses (seeded, so a failing seed can be replayed), some tasks failing on purpose, and a
 * key whose concurrency limit is below Max Concurrent Tasks (real 421 rejections). Afterwards every
 * output item is classified and the counts are reconciled with what the simulator saw.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, simulatorCredentials, useBinaryMode } from '../harness/n8n';
import type { FaultSpec, RunningHubSimulator } from '../simulator';
import { promptWorkflowRun } from '../harness/parameters';
import { SIM_KEY_SHARED, startSimulator } from '../simulator';
import { useFastBudgets } from './support';

export interface SoakOptions {
	tasks: number;
	seed: number;
	/** Max Concurrent Tasks of the node. */
	concurrency?: number;
	/** Concurrency limit of the key on the simulator (below `concurrency`: 421s happen). */
	keyLimit?: number;
	/** Share of items whose task fails on purpose ([[fail]] marker). */
	failShare?: number;
}

/** mulberry32: small, fast, good enough to make a fault plan reproducible. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A route matcher the simulator accepts as a RegExp; it matches a request to `path` with
 * probability `p`, drawn from its own seeded stream, so each fault kind is a reproducible
 * Bernoulli sequence over the requests to its route.
 */
class SeededRoute extends RegExp {
	hits = 0;

	constructor(
		private readonly path: string,
		private readonly p: number,
		private readonly random: () => number,
	) {
		super(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	}

	test(candidate: string): boolean {
		const onRoute = this.path.endsWith('/')
			? candidate.startsWith(this.path)
			: candidate === this.path;
		const hit = onRoute && this.random() < this.p;
		if (hit) this.hits++;
		return hit;
	}
}

const CREATE = '/task/openapi/create';

/**
 * Every temporary failure a create can meet after RunningHub made the task: the node cannot tell it
 * from the same failure before creation, so none may be sent again.
 */
const POST_CREATION_FAULTS: Array<Omit<FaultSpec, 'route' | 'times'>> = [
	...[500, 502, 503, 504, 429].map((status) => ({ kind: 'http' as const, status })),
	{ kind: 'reset' as const },
	...[500, 808, 1005, 1010, 1011].map((code) => ({ kind: 'code' as const, code })),
].map((fault) => ({ ...fault, afterTaskCreated: true }));

/** Per-request probabilities. Create faults include both sides of "was the task created?". */
const FAULT_PLAN: Array<{ path: string; p: number; fault: Omit<FaultSpec, 'route' | 'times'> }> = [
	// Documented refusals before creation: sent again.
	{ path: CREATE, p: 0.05, fault: { kind: 'code', code: 421 } },
	{ path: CREATE, p: 0.02, fault: { kind: 'code', code: 1003 } },
	// The same failures before creation: the node cannot tell, so not sent again either.
	{ path: CREATE, p: 0.01, fault: { kind: 'http', status: 503 } },
	{ path: CREATE, p: 0.01, fault: { kind: 'code', code: 1011 } },
	{ path: CREATE, p: 0.01, fault: { kind: 'http', status: 502 } },
	...POST_CREATION_FAULTS.map((fault) => ({ path: CREATE, p: 0.006, fault })),
	// An answer that never comes in time: the task is created after the node gave up.
	{ path: CREATE, p: 0.006, fault: { kind: 'hang' } },
	{ path: '/openapi/v2/query', p: 0.04, fault: { kind: 'http', status: 500 } },
	{ path: '/openapi/v2/query', p: 0.03, fault: { kind: 'reset' } },
	{ path: '/openapi/v2/query', p: 0.03, fault: { kind: 'code', code: '1005' } },
	{ path: '/openapi/v2/query', p: 0.01, fault: { kind: 'hang' } },
	{ path: '/files/', p: 0.04, fault: { kind: 'http', status: 503 } },
	{ path: '/files/', p: 0.03, fault: { kind: 'reset' } },
	{ path: '/files/', p: 0.01, fault: { kind: 'http', status: 404 } },
];

export type Outcome =
	| 'success'
	| 'taskFailure'
	| 'unconfirmedCreate'
	| 'notCreated'
	| 'unexplained';

export interface SoakReport {
	options: Required<SoakOptions>;
	wallMs: number;
	itemsIn: number;
	itemsOut: number;
	counts: Record<Outcome, number>;
	/** Items whose task failed on purpose. */
	failMarked: number;
	tasksCreated: number;
	/** Unconfirmed creates for which the simulator did create a task. */
	unconfirmedButCreated: number;
	/** Items for which the simulator holds more than one task (must be 0). */
	duplicateTasks: number;
	createRequests: number;
	statusRequests: number;
	faultsInjected: number;
	faultsByRoute: Record<string, number>;
	/** Each a sentence; empty when everything reconciles. */
	problems: string[];
}

function itemIndexOfTask(sim: RunningHubSimulator, taskId: string): number | undefined {
	const match = /soak (\d+)\b/.exec(JSON.stringify(sim.getTask(taskId)?.inputs ?? ''));
	return match ? Number(match[1]) : undefined;
}

export function classify(item: INodeExecutionData): Outcome {
	const json = item.json as IDataObject;
	if (json.error === undefined) {
		return json.status === 'SUCCESS' && typeof json.taskId === 'string' && item.binary?.data
			? 'success'
			: 'unexplained';
	}
	const text = `${String(json.error)} ${String(json.description ?? '')}`;
	if (typeof json.taskId === 'string' && /^\d{19}$/.test(json.taskId) && text.includes(json.taskId))
		return 'taskFailure';
	if (/may have created (the task|it) anyway/.test(text)) return 'unconfirmedCreate';
	if (/Gave up after \d+ attempts/.test(text) && /code (421|415|1003)\b/.test(text))
		return 'notCreated';
	return 'unexplained';
}

export async function runSoak(input: SoakOptions): Promise<SoakReport> {
	const options: Required<SoakOptions> = {
		concurrency: 12,
		keyLimit: 8,
		failShare: 0.08,
		...input,
	};
	const random = seededRandom(options.seed);
	const restore = useFastBudgets(
		// The attempt count ends retries, not the clock; only 'hang' faults reach the timeouts.
		{ maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, maxTotalMs: 600_000 },
		{ requestMs: 2000, fileTransferMs: 2000 },
	);
	await useBinaryMode('default');
	const sim = await startSimulator({ queuedMs: 10, runningMs: 120 });
	try {
		sim.setConcurrency(SIM_KEY_SHARED, options.keyLimit);
		const routes = FAULT_PLAN.map((entry, index) => {
			const route = new SeededRoute(entry.path, entry.p, seededRandom(options.seed * 1000 + index));
			sim.injectFault({ ...entry.fault, route, times: -1 } as FaultSpec);
			return { entry, route };
		});
		// The workflow JSON is read once per execution (to check the overrides): make that read fail twice.
		sim.injectFault({
			route: '/api/openapi/getJsonApiFormat',
			kind: 'http',
			status: 500,
			times: 2,
		});
		const failing = new Set<number>();
		const items = Array.from({ length: options.tasks }, (_, index) => {
			const fail = random() < options.failShare;
			if (fail) failing.add(index);
			return { json: { prompt: `soak ${index} ${fail ? '[[fail]]' : 'ok'}` } };
		});

		const started = Date.now();
		const { output } = await runNode({
			parameters: promptWorkflowRun({
				maxConcurrentTasks: options.concurrency,
				pollIntervalSeconds: 0.1,
				timeoutSeconds: 120,
			}),
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			items,
			continueOnFail: true,
		});
		const wallMs = Date.now() - started;
		// Creates the node gave up on are handled once it let go: wait until the simulator is done
		// with every request, so every task it will create exists.
		await sim.idle();

		const problems: string[] = [];
		const results = output[0];
		const counts: Record<Outcome, number> = {
			success: 0,
			taskFailure: 0,
			unconfirmedCreate: 0,
			notCreated: 0,
			unexplained: 0,
		};
		if (results.length !== items.length)
			problems.push(`${items.length} items in, ${results.length} out`);

		// Tasks the simulator created, by the item whose prompt they carry.
		const tasksByItem = new Map<number, string[]>();
		for (const taskId of sim.tasks.keys()) {
			const index = itemIndexOfTask(sim, taskId);
			if (index === undefined) problems.push(`task ${taskId} carries no item prompt`);
			else tasksByItem.set(index, [...(tasksByItem.get(index) ?? []), taskId]);
		}
		let duplicateTasks = 0;
		for (const [index, taskIds] of tasksByItem) if (taskIds.length > 1) duplicateTasks++;
		for (const [index, taskIds] of tasksByItem)
			if (taskIds.length > 1)
				problems.push(`item ${index} was submitted ${taskIds.length} times: ${taskIds.join(', ')}`);

		let unconfirmedButCreated = 0;
		results.forEach((item, position) => {
			const paired = (item.pairedItem as { item: number } | undefined)?.item;
			if (paired !== position)
				problems.push(`output ${position} is paired with item ${String(paired)}`);
			const outcome = classify(item);
			counts[outcome]++;
			const json = item.json as IDataObject;
			const simTasks = tasksByItem.get(position) ?? [];
			if (outcome === 'unexplained')
				problems.push(
					`item ${position} ended without outputs or a clear error: ${JSON.stringify(json).slice(0, 300)}`,
				);
			if (outcome === 'success' || outcome === 'taskFailure') {
				if (simTasks[0] !== json.taskId)
					problems.push(
						`item ${position} names task ${String(json.taskId)}, but its task on RunningHub is ${simTasks[0] ?? 'none'}`,
					);
			}
			if (outcome === 'success') {
				if (failing.has(position))
					problems.push(
						`item ${position} should have failed (its task was marked to fail) but succeeded`,
					);
				if (sim.taskStatus(String(json.taskId)) !== 'SUCCESS')
					problems.push(
						`item ${position} succeeded but task ${String(json.taskId)} is ${String(sim.taskStatus(String(json.taskId)))}`,
					);
				const png = Buffer.from(item.binary!.data.data, 'base64').subarray(1, 4).toString();
				if (png !== 'PNG') problems.push(`item ${position}: data is not the PNG result`);
			}
			if (outcome === 'unconfirmedCreate' && simTasks.length) unconfirmedButCreated++;
			if (outcome === 'notCreated' && simTasks.length)
				problems.push(`item ${position} says no task was created, but task ${simTasks[0]} exists`);
		});

		const stats = sim.stats;
		const expectedTasks = counts.success + counts.taskFailure + unconfirmedButCreated;
		if (stats.tasksCreated !== expectedTasks) {
			problems.push(
				`tasksCreated ${stats.tasksCreated} ≠ successes ${counts.success} + task failures ${counts.taskFailure} + unconfirmed creates that exist ${unconfirmedButCreated}`,
			);
		}
		if (stats.tasksCreated !== sim.tasks.size)
			problems.push(
				`tasksCreated ${stats.tasksCreated} ≠ tasks known to the simulator ${sim.tasks.size}`,
			);

		const faultsByRoute: Record<string, number> = {};
		for (const { entry, route } of routes) {
			const { kind, status, code, afterTaskCreated } = entry.fault;
			const label = `${entry.path} ${kind}${status ? ` ${status}` : ''}${code ? ` ${code}` : ''}${afterTaskCreated ? ' (after create)' : ''}`;
			faultsByRoute[label] = route.hits;
		}
		return {
			options,
			wallMs,
			itemsIn: items.length,
			itemsOut: results.length,
			counts,
			failMarked: failing.size,
			tasksCreated: stats.tasksCreated,
			unconfirmedButCreated,
			duplicateTasks,
			createRequests: stats.createRequests,
			statusRequests: stats.statusRequests,
			faultsInjected: stats.faultsInjected,
			faultsByRoute,
			problems,
		};
	} finally {
		restore();
		await sim.stop();
	}
}

export function formatReport(report: SoakReport): string {
	const { counts } = report;
	const rows: Array<[string, string | number]> = [
		['seed', report.options.seed],
		['items in', report.itemsIn],
		['items out', report.itemsOut],
		['  succeeded (outputs + PNG)', counts.success],
		['  failed, error names the task', counts.taskFailure],
		['  create unconfirmed ("may have created")', counts.unconfirmedCreate],
		['  refused, no task (gave up on 421/415/1003)', counts.notCreated],
		['  unexplained', counts.unexplained],
		['items marked to fail', report.failMarked],
		['tasks created (simulator)', report.tasksCreated],
		[
			'= succeeded + failed + unconfirmed that exist',
			`${counts.success} + ${counts.taskFailure} + ${report.unconfirmedButCreated} = ${counts.success + counts.taskFailure + report.unconfirmedButCreated}`,
		],
		['items with duplicate tasks', report.duplicateTasks],
		['create requests', report.createRequests],
		['status requests', report.statusRequests],
		['faults injected (2 on the workflow JSON read)', report.faultsInjected],
		...Object.entries(report.faultsByRoute).map(([label, hits]): [string, number] => [
			`  ${label}`,
			hits,
		]),
		['wall time', `${(report.wallMs / 1000).toFixed(1)} s`],
		[
			'reconciles',
			report.problems.length === 0 ? 'YES' : `NO (${report.problems.length} problems)`,
		],
	];
	const width = Math.max(...rows.map(([label]) => label.length));
	return [
		...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
		...report.problems.map((problem) => `  ! ${problem}`),
	].join('\n');
}
