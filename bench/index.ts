/**
 * The performance figures of the package in one run, each beside its baseline (`npm run bench`):
 *
 * 1. 50 tasks of 2 s at account concurrency 10, default settings, against a peer-style client that
 *    polls every 5 s (items at once, and items one after another as peer nodes run them);
 * 2. Max Concurrent Tasks 20 on a key with 10 slots (the batch learns the key's level from 421),
 *    against blind retries (each refused create waits out its own backoff), with Max Concurrent
 *    Tasks on Auto (the key's limit from its queue status) and at 10;
 * 3. 10 tasks of 60 s at concurrency 10 (one wave), against the 5 s peer client;
 * 4. 10 result files of 20 MB, streamed by the node vs a naive buffered download (rss), in
 *    filesystem and default binary mode (bench/download-memory.ts, fresh processes);
 * 5. the node's own load time (dist/, fresh processes; `npm run bench` builds first).
 *
 * Workloads run through n8n-core's real execution context and HTTP against the simulator, which
 * keeps real time (it has no clock to scale), so the 60 s shape takes a minute. The peer client
 * speaks plain HTTP to a simulator of its own: submit, sleep 5 s, ask the status, until it ends.
 *
 *   npx ts-node --transpile-only bench/index.ts [--skip-60s] [--only-concurrency]
 */
import * as os from 'os';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CONCURRENCY_DEFAULTS } from '../nodes/RunningHub/helpers/concurrency';
import { SIM_KEY_SHARED } from '../test/simulator/keys';

import { resolveTypeScriptBeforeJson } from './support';

resolveTypeScriptBeforeJson();
/* eslint-disable @typescript-eslint/no-require-imports */
const { runNode, simulatorCredentials, useBinaryMode } =
	require('../test/harness/n8n') as typeof import('../test/harness/n8n');
const { startSimulator, WORKFLOW_ID_TXT2IMG } =
	require('../test/simulator') as typeof import('../test/simulator');
const { promptItems, promptWorkflowRun } =
	require('../test/harness/parameters') as typeof import('../test/harness/parameters');
const { describeResult, measureInChild } =
	require('./download-memory') as typeof import('./download-memory');
const { formatNodeLoad, measureNodeLoad } = require('./node-load') as typeof import('./node-load');
/* eslint-enable @typescript-eslint/no-require-imports */

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

interface Shape {
	tasks: number;
	/** RunningHub's concurrency for the key (the account's slots). */
	slots: number;
	taskMs: number;
}

interface Run {
	ms: number;
	statusPerTask: number;
	succeeded: number;
	/** Creates RunningHub refused (421, 415): they made no task. */
	refusedCreates?: number;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function simulatorFor(shape: Shape): Promise<Simulator> {
	const sim = await startSimulator({ queuedMs: 0, runningMs: shape.taskMs });
	sim.setConcurrency(SIM_KEY_SHARED, shape.slots);
	return sim;
}

/** Workflow › Run over `shape.tasks` items; options left out keep the node's defaults. */
async function nodeRun(shape: Shape, options: INodeParameters): Promise<Run> {
	const sim = await simulatorFor(shape);
	try {
		const items = promptItems(shape.tasks, 'bench');
		const started = Date.now();
		const { output } = await runNode({
			parameters: promptWorkflowRun(options),
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			items,
		});
		const ms = Date.now() - started;
		const succeeded = output[0].filter((item) => item.json.status === 'SUCCESS').length;
		return {
			ms,
			succeeded: Math.min(succeeded, shape.tasks),
			statusPerTask: sim.stats.statusRequests / Math.max(1, sim.stats.tasksCreated),
			refusedCreates: sim.stats.createRequests - sim.stats.tasksCreated,
		};
	} finally {
		await sim.stop();
	}
}

/**
 * A client the way peer nodes and scripts call RunningHub: `workers` items at a time, each
 * submitted, then its status asked every `pollMs` until it ends, then its outputs fetched.
 */
async function peerRun(
	shape: Shape,
	workers: number,
	pollMs: number,
	tasks = shape.tasks,
): Promise<Run> {
	const sim = await simulatorFor(shape);
	const post = async (route: string, body: IDataObject) => {
		const response = await fetch(`${sim.baseUrl}${route}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ apiKey: SIM_KEY_SHARED, ...body }),
		});
		return (await response.json()) as { code: number; data: unknown };
	};
	let next = 0;
	let succeeded = 0;
	const worker = async () => {
		while (next < tasks) {
			next++;
			let created = await post('/task/openapi/create', {
				workflowId: WORKFLOW_ID_TXT2IMG,
				nodeInfoList: [],
			});
			while (created.code === 421 || created.code === 415) {
				await sleep(pollMs);
				created = await post('/task/openapi/create', {
					workflowId: WORKFLOW_ID_TXT2IMG,
					nodeInfoList: [],
				});
			}
			if (created.code !== 0) throw new Error(`peer create failed: ${JSON.stringify(created)}`);
			const taskId = (created.data as { taskId: string }).taskId;
			for (;;) {
				await sleep(pollMs);
				const status = await post('/task/openapi/status', { taskId });
				if (status.data === 'SUCCESS' || status.data === 'FAILED') {
					if (status.data === 'SUCCESS') succeeded++;
					break;
				}
			}
			await post('/task/openapi/outputs', { taskId });
		}
	};
	try {
		const started = Date.now();
		await Promise.all(Array.from({ length: workers }, worker));
		return {
			ms: Date.now() - started,
			succeeded,
			statusPerTask: sim.stats.statusRequests / Math.max(1, sim.stats.tasksCreated),
		};
	} finally {
		await sim.stop();
	}
}

const idealMs = (shape: Shape) => Math.ceil(shape.tasks / shape.slots) * shape.taskMs;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describeRun(shape: Shape, run: Run): string {
	const refused = run.refusedCreates ? `, ${run.refusedCreates} creates refused` : '';
	return `${seconds(run.ms)} = ${(run.ms / idealMs(shape)).toFixed(2)}× ideal, ${run.statusPerTask.toFixed(1)} status requests/task, ${run.succeeded}/${shape.tasks} succeeded${refused}`;
}

function print(label: string, figure: string): void {
	console.log(`  ${label.padEnd(46)} ${figure}`);
}

/** 2. A key with fewer slots than Max Concurrent Tasks, at default settings otherwise. */
async function crowdedKey(): Promise<void> {
	const crowded: Shape = { tasks: 40, slots: 10, taskMs: 2000 };
	console.log(
		`\n2. Max Concurrent 20 on a ${crowded.slots}-slot key, ${crowded.tasks} tasks of ${crowded.taskMs / 1000} s (ideal ${seconds(idealMs(crowded))})`,
	);
	print(
		'node, Max Concurrent 20 (learns the level)',
		describeRun(crowded, await nodeRun(crowded, { maxConcurrentTasks: 20 })),
	);
	CONCURRENCY_DEFAULTS.learnFromQueueFull = false;
	try {
		print(
			'baseline: Max Concurrent 20, blind retries',
			describeRun(crowded, await nodeRun(crowded, { maxConcurrentTasks: 20 })),
		);
	} finally {
		CONCURRENCY_DEFAULTS.learnFromQueueFull = true;
	}
	print('node, Max Concurrent Auto (default)', describeRun(crowded, await nodeRun(crowded, {})));
	print(
		'node, Max Concurrent 10 (matches key)',
		describeRun(crowded, await nodeRun(crowded, { maxConcurrentTasks: crowded.slots })),
	);
}

async function main(): Promise<void> {
	const skipLong = process.argv.includes('--skip-60s');
	await useBinaryMode('default');
	if (process.argv.includes('--only-concurrency')) return await crowdedKey();
	const load = os.loadavg().map((value) => value.toFixed(1));
	console.log(
		`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${load.join(' ')} at start`,
	);

	const short: Shape = { tasks: 50, slots: 10, taskMs: 2000 };
	console.log(
		`\n1. ${short.tasks} tasks of ${short.taskMs / 1000} s, account concurrency ${short.slots} (ideal ${seconds(idealMs(short))})`,
	);
	print(
		'node, default settings (Max Concurrent Auto)',
		describeRun(short, await nodeRun(short, {})),
	);
	const [peerBatch, peerSequential] = await Promise.all([
		peerRun(short, short.slots, 5000),
		peerRun(short, 1, 5000, 5),
	]);
	print('baseline: fixed 5 s poll, 10 items at once', describeRun(short, peerBatch));
	const projected = (peerSequential.ms / 5) * short.tasks;
	print(
		'baseline: items one after another, 5 s poll',
		`${seconds(projected)} = ${(projected / idealMs(short)).toFixed(2)}× ideal (5 tasks measured: ${seconds(peerSequential.ms)}, × ${short.tasks / 5})`,
	);

	await crowdedKey();

	if (!skipLong) {
		const long: Shape = { tasks: 10, slots: 10, taskMs: 60_000 };
		console.log(
			`\n3. ${long.tasks} tasks of ${long.taskMs / 1000} s, concurrency ${long.slots} (ideal ${seconds(idealMs(long))}; node and peer run side by side)`,
		);
		const [node, peer] = await Promise.all([
			nodeRun(long, { maxConcurrentTasks: long.slots }),
			peerRun(long, long.slots, 5000),
		]);
		print('node, default settings', describeRun(long, node));
		print('baseline: fixed 5 s poll', describeRun(long, peer));
	}

	console.log('\n4. 10 result files of 20 MB, peak rss above baseline (fresh processes)');
	for (const mode of ['filesystem', 'default'])
		for (const variant of ['node', 'buffered'])
			print(
				`${variant === 'node' ? 'node (streamed)' : 'baseline: buffered download'}, ${mode} mode`,
				describeResult(await measureInChild(mode, variant, 10, 20)),
			);

	console.log(
		'\n5. node load time (fresh processes; task logic and the model catalogue load on first use)',
	);
	for (const line of formatNodeLoad(await measureNodeLoad({ runs: 7 })).slice(1)) console.log(line);
	console.log(
		`\nload average at the end: ${os
			.loadavg()
			.map((value) => value.toFixed(1))
			.join(' ')}`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
	process.exitCode = 1;
});
