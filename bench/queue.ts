/**
 * Scale-out in n8n queue mode (Postgres, Redis, main + 2 workers + 1 webhook processor) next to a
 * single-process n8n, both real n8n 2.41 with the package installed, against the simulator.
 *
 *   npx ts-node --transpile-only bench/queue.ts [N=200] [C=50] [T=5000] [W=100] [workerConcurrency=25]
 *
 * 1. Wait for Completion: N webhook calls, one task of T ms each, RunningHub concurrency C; wall
 *    time from the first call to the last finished execution, against the ideal ceil(N/C)·T, for
 *    queue mode and for the single process; status requests (polls) per task.
 * 2. Wait for Callback: W executions at once (tasks long enough for all to wait together); the most
 *    executions seen waiting at the same time, the executions running meanwhile (worker slots
 *    held), polls, and the wall time.
 *
 * Needs `npm run build` first (or set nothing and it builds); RH_SKIP_BUILD=1 skips the build.
 * Ports: RH_QUEUE_PORT (5790…), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390).
 */
import * as fs from 'fs';
import * as path from 'path';

import { SIM_KEY_SHARED } from '../test/simulator/keys';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const rt = require('../scripts/lib/runtime');
const { QueueStack } = require('../scripts/lib/queue');
const flows = require('../test/e2e/queue-workflows');
/* eslint-enable @typescript-eslint/no-require-imports */

type N8n = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

interface Execution {
	id: string;
	status: string;
	startedAt: string;
	stoppedAt?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_ID = 'rhQueueBenchPl01';
const CALLBACK_ID = 'rhQueueBenchCb01';

async function simJson(simUrl: string, method: string, p: string, body?: unknown) {
	const r = await fetch(`${simUrl}${p}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await r.json()) as {
		tasks: Array<{ taskId: string; status: string }>;
		stats: Record<string, unknown>;
	};
}

async function listExecutions(n8n: N8n, workflowId: string, status?: string): Promise<Execution[]> {
	const out: Execution[] = [];
	let cursor = '';
	for (;;) {
		const q = `workflowId=${workflowId}&limit=250${status ? `&status=${status}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
		const r = await n8n.publicApi('GET', `/executions?${q}`);
		out.push(...(r.data as Execution[]));
		if (!r.nextCursor) return out;
		cursor = r.nextCursor;
	}
}

/** POST `count` webhook calls, `parallel` at a time. */
async function fire(baseUrl: string, hookPath: string, count: number, parallel = 10) {
	let next = 0;
	const one = async () => {
		while (next < count) {
			const i = next++;
			const r = await fetch(`${baseUrl}/webhook/${hookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ prompt: `bench ${i}` }),
			});
			if (r.status >= 400) throw new Error(`webhook answered ${r.status} ${await r.text()}`);
			await r.text();
		}
	};
	await Promise.all(Array.from({ length: parallel }, one));
}

async function untilFinished(n8n: N8n, workflowId: string, count: number, timeoutMs: number) {
	const started = Date.now();
	for (;;) {
		const all = await listExecutions(n8n, workflowId);
		const done = all.filter((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));
		if (done.length >= count) return done;
		if (Date.now() - started > timeoutMs)
			throw new Error(`${done.length}/${count} executions finished after ${timeoutMs} ms`);
		await sleep(500);
	}
}

function span(execs: Execution[]) {
	const start = Math.min(...execs.map((e) => Date.parse(e.startedAt)));
	const stop = Math.max(...execs.map((e) => Date.parse(e.stoppedAt ?? e.startedAt)));
	return (stop - start) / 1000;
}

async function pollingRun(
	label: string,
	n8n: N8n,
	webhookBase: string,
	simUrl: string,
	n: number,
	c: number,
	t: number,
) {
	await simJson(simUrl, 'POST', '/__sim/reset', {});
	await simJson(simUrl, 'POST', '/__sim/config', {
		queuedMs: 0,
		runningMs: t,
		concurrency: { [SIM_KEY_SHARED]: c },
	});
	const before = (await listExecutions(n8n, POLL_ID)).length;
	const started = Date.now();
	await fire(webhookBase, flows.PATHS.benchPoll, n);
	const done = await untilFinished(n8n, POLL_ID, before + n, 15 * 60000);
	const wall = (Date.now() - started) / 1000;
	const mine = done.slice(0, n);
	const st = await simJson(simUrl, 'GET', '/__sim/state');
	const polls = Number(st.stats.statusRequests ?? 0);
	const ideal = (Math.ceil(n / c) * t) / 1000;
	const ok = mine.filter((e) => e.status === 'success').length;
	console.log(
		`${label.padEnd(28)} ${wall.toFixed(1).padStart(6)} s (executions span ${span(mine).toFixed(1)} s), ` +
			`ideal ${ideal.toFixed(1)} s, ratio ${(wall / ideal).toFixed(2)}; ${ok}/${n} succeeded, ` +
			`${st.tasks.length} tasks, ${(polls / Math.max(1, st.tasks.length)).toFixed(1)} polls per task`,
	);
	return { wall, ideal };
}

async function callbackRun(
	n8n: N8n,
	webhookBase: string,
	simUrl: string,
	w: number,
	taskMs: number,
) {
	await simJson(simUrl, 'POST', '/__sim/reset', {});
	await simJson(simUrl, 'POST', '/__sim/config', {
		queuedMs: 0,
		runningMs: taskMs,
		concurrency: { [SIM_KEY_SHARED]: w },
	});
	const before = (await listExecutions(n8n, CALLBACK_ID)).length;
	const started = Date.now();
	await fire(webhookBase, flows.PATHS.benchCallback, w);
	let maxWaiting = 0;
	let runningAtMax = 0;
	let maxRunningWhileWaiting = 0;
	for (;;) {
		const waiting = (await listExecutions(n8n, CALLBACK_ID, 'waiting')).length;
		const running = (await listExecutions(n8n, CALLBACK_ID, 'running')).length;
		if (waiting > maxWaiting) {
			maxWaiting = waiting;
			runningAtMax = running;
		}
		if (waiting > 0) maxRunningWhileWaiting = Math.max(maxRunningWhileWaiting, running);
		const finished = (await listExecutions(n8n, CALLBACK_ID)).filter((e) =>
			['success', 'error', 'crashed', 'canceled'].includes(e.status),
		).length;
		if (finished >= before + w) break;
		if (Date.now() - started > 10 * 60000) throw new Error('callback executions did not finish');
		await sleep(500);
	}
	const wall = (Date.now() - started) / 1000;
	const st = await simJson(simUrl, 'GET', '/__sim/state');
	const polls = Number(st.stats.statusRequests ?? 0);
	const ok = (await listExecutions(n8n, CALLBACK_ID, 'success')).length - before;
	console.log(
		`Wait for Callback, queue mode: ${w} executions, tasks of ${taskMs / 1000} s: at most ${maxWaiting} waiting at once ` +
			`(${runningAtMax} running then; at most ${maxRunningWhileWaiting} running while any waited), ` +
			`${polls} status requests, ${ok}/${w} succeeded, wall ${wall.toFixed(1)} s`,
	);
}

async function main(): Promise<void> {
	const [n = 200, c = 50, t = 5000, w = 100, workerConcurrency = 25] = process.argv
		.slice(2)
		.map(Number);
	rt.installSignalHandlers();
	await rt.buildPackage();
	await rt.ensureRuntime();
	const home = path.join(rt.CACHE, 'bench-queue-home');
	const stack = new QueueStack({
		home,
		basePort: Number(process.env.RH_QUEUE_PORT || 5790),
		pgPort: Number(process.env.RH_QUEUE_PG_PORT || 5833),
		redisPort: Number(process.env.RH_QUEUE_REDIS_PORT || 6390),
		workers: 2,
		webhooks: 1,
		workerConcurrency,
		encryptionKey: 'n8n-nodes-runninghub-queue-bench',
		extraEnv: { N8N_LOG_LEVEL: 'warn', EXECUTIONS_DATA_PRUNE: 'false' },
	});
	let single: N8n = null;
	try {
		await stack.prepare();
		const [simPort, singlePort, singleBroker] = await rt.findFreePorts(stack.basePort + 10, 3);
		const sim = await rt.startSimulator({
			port: simPort,
			logFile: path.join(stack.logDir, 'simulator.log'),
		});
		const cred = rt.credentialFor({ simulatorUrl: sim.url, simulatorKey: SIM_KEY_SHARED });
		const wfDir = path.join(home, 'workflows');
		fs.mkdirSync(wfDir, { recursive: true });
		const wfs = [
			flows.pollWorkflow(
				POLL_ID,
				flows.PATHS.benchPoll,
				{ pollIntervalSeconds: 1 },
				'7a0c1d2e-0000-4000-8000-0000000be001',
			),
			flows.callbackWorkflow(
				CALLBACK_ID,
				flows.PATHS.benchCallback,
				1800,
				'7a0c1d2e-0000-4000-8000-0000000bc001',
			),
		];
		const files = wfs.map((wf: { id: string }) => {
			const f = path.join(wfDir, `${wf.id}.json`);
			fs.writeFileSync(f, JSON.stringify(wf));
			return f;
		});
		const packed = await rt.packPackage(rt.REPO, path.join(home, 'pack'));
		await stack.installPackage(packed);
		single = new rt.N8nInstance({
			userFolder: path.join(home, 'single'),
			port: singlePort,
			brokerPort: singleBroker,
			encryptionKey: 'n8n-nodes-runninghub-queue-bench',
			logDir: stack.logDir,
			extraEnv: { N8N_LOG_LEVEL: 'warn', N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
		});
		await rt.installPackage(single.userFolder, packed);
		for (const inst of [stack.main, single]) {
			await inst.importCredentials([cred]);
			await inst.importWorkflows(files);
			for (const wf of wfs) await inst.publishWorkflow(wf.id);
		}
		await stack.start();
		await single.start();
		for (const inst of [stack.main, single]) {
			await inst.ensureOwnerAndLogin({ email: 'bench@example.com', password: 'RunningHub1bench' });
			await inst.createApiKey('bench');
		}
		await sleep(3000); // webhooks registered by main at start-up
		console.log(
			`\nn8n ${rt.N8N_VERSION}; queue mode: 2 workers × concurrency ${workerConcurrency}, 1 webhook processor, Postgres, Redis; ` +
				`single process: regular mode, SQLite. RunningHub concurrency ${c}, ${n} tasks of ${t / 1000} s.\n`,
		);
		await pollingRun(
			'Wait for Completion, queue',
			stack.main,
			stack.webhooks[0].baseUrl,
			sim.url,
			n,
			c,
			t,
		);
		await pollingRun('Wait for Completion, single', single, single.baseUrl, sim.url, n, c, t);
		await callbackRun(stack.main, stack.webhooks[0].baseUrl, sim.url, w, 30000);
	} finally {
		if (single) await single.stop();
		await stack.stop();
		await rt.cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	(e: Error) => {
		console.error(e);
		process.exit(1);
	},
);
