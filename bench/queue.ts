/**
 * Scale-out in n8n queue mode (Postgres, Redis, main + 2 workers + 1 webhook processor) next to a
 * single-process n8n, both real n8n 2.41 with the package installed, against the simulator.
 *
 *   npx ts-node --transpile-only bench/queue.ts [N=200] [C=50] [T=5000] [W=100] [workerConcurrency=25]
 *
 * 1. Wait for Completion: N webhook calls, one task of T ms each, RunningHub concurrency C; wall
 *    time from the first call to the last finished execution, against the ideal ceil(N/C)·T, for
 *    queue mode and for the single process; status requests (polls) per task.
 * 2. Wait for Callback: W executions at once (tasks of 60 s, so that all wait together); the most
 *    executions seen waiting at the same time, the executions running meanwhile (worker slots
 *    held), polls, callback deliveries, the delay from the last callback to the last finished
 *    execution, and the wall time; bounded by 15 minutes (then it prints what finished).
 *
 * RH_BENCH_PART=callback runs only part 2 (no single-process n8n), RH_BENCH_PART=completion only 1.
 * Needs `npm run build` first (or set nothing and it builds); RH_SKIP_BUILD=1 skips the build.
 * Ports: RH_QUEUE_PORT (5790…), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390).
 */
import * as fs from 'fs';
import * as os from 'os';
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
const FINISHED = ['success', 'error', 'crashed', 'canceled'];
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
		const done = all.filter((e) => FINISHED.includes(e.status));
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

/**
 * RunningHub's callback policy as far as it is known: about 3 retries over about 3 minutes. The
 * simulator's defaults (3 s per attempt, retries after 50-200 ms) suit the tests; with 100 callbacks
 * at once on a loaded machine the webhook processor answers later than 3 s, and all four attempts
 * would fail within seconds, leaving the executions waiting until their wait limit.
 */
const CALLBACK_DELIVERY = { webhookTimeoutMs: 30000, webhookRetryDelaysMs: [60000, 60000, 60000] };

interface SimDelivery {
	taskId: string;
	status: number | null;
	error?: string;
	attempt: number;
	at: number;
}

/** "3× Read timed out, 2× HTTP 500": how often each text occurs, most frequent first. */
function tally(texts: string[]): string {
	const counts = new Map<string, number>();
	for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
	return [...counts]
		.sort((a, b) => b[1] - a[1])
		.map(([t, n]) => `${n}× ${t}`)
		.join('; ');
}

async function callbackRun(
	n8n: N8n,
	webhookBase: string,
	simUrl: string,
	w: number,
	taskMs: number,
	deadlineMs: number,
) {
	await simJson(simUrl, 'POST', '/__sim/reset', {});
	await simJson(simUrl, 'POST', '/__sim/config', {
		queuedMs: 0,
		runningMs: taskMs,
		concurrency: { [SIM_KEY_SHARED]: w },
		...CALLBACK_DELIVERY,
	});
	const before = new Set((await listExecutions(n8n, CALLBACK_ID)).map((e) => e.id));
	const started = Date.now();
	await fire(webhookBase, flows.PATHS.benchCallback, w);
	const fired = (Date.now() - started) / 1000;
	let maxWaiting = 0;
	let runningAtMax = 0;
	let maxRunningWhileWaiting = 0;
	let counts: Record<string, number> = {};
	// one listing a second: the figures must not come from a machine busy answering the bench
	for (;;) {
		const mine = (await listExecutions(n8n, CALLBACK_ID)).filter((e) => !before.has(e.id));
		counts = {};
		for (const e of mine) counts[e.status] = (counts[e.status] ?? 0) + 1;
		const waiting = counts.waiting ?? 0;
		const running = counts.running ?? 0;
		if (waiting > maxWaiting) {
			maxWaiting = waiting;
			runningAtMax = running;
		}
		if (waiting > 0) maxRunningWhileWaiting = Math.max(maxRunningWhileWaiting, running);
		const finished = mine.filter((e) => FINISHED.includes(e.status)).length;
		if (finished >= w || Date.now() - started > deadlineMs) break;
		await sleep(1000);
	}
	const wall = (Date.now() - started) / 1000;
	const st = (await simJson(simUrl, 'GET', '/__sim/state')) as unknown as {
		stats: Record<string, unknown>;
		webhookDeliveries: SimDelivery[];
	};
	const polls = Number(st.stats.statusRequests ?? 0);
	const deliveries = st.webhookDeliveries ?? [];
	const delivered = deliveries.filter((d) => d.status !== null && d.status < 300);
	const failedAttempts = deliveries.length - delivered.length;
	const lastCallback = Math.max(0, ...delivered.map((d) => d.at));
	const lastFinished = Math.max(
		0,
		...(await listExecutions(n8n, CALLBACK_ID))
			.filter((e) => !before.has(e.id) && e.stoppedAt)
			.map((e) => Date.parse(e.stoppedAt as string)),
	);
	const finished = FINISHED.reduce((n, s) => n + (counts[s] ?? 0), 0);
	const failedHow = tally(
		deliveries
			.filter((d) => !delivered.includes(d))
			.map((d) => (d.status === null ? (d.error ?? 'no answer') : `HTTP ${d.status}`)),
	);
	const errors = await n8n.publicApi(
		'GET',
		`/executions?workflowId=${CALLBACK_ID}&status=error&includeData=true&limit=250`,
	);
	const errorsHow = tally(
		(errors.data as Array<{ id: string; data?: any }>)
			.filter((e) => !before.has(e.id))
			.map((e) =>
				String(e.data?.resultData?.error?.message ?? 'no message')
					// one line per kind of failure, not per task or file
					.replace(/https?:\/\/[^\s)]+/g, '<url>')
					.replace(/\d{6,}/g, '<id>')
					.slice(0, 240),
			),
	);
	const statusList = Object.entries(counts)
		.map(([s, n]) => `${n} ${s}`)
		.join(', ');
	console.log(
		`Wait for Callback, queue mode: ${w} executions started in ${fired.toFixed(1)} s, tasks of ${taskMs / 1000} s: ` +
			`at most ${maxWaiting} waiting at once (${runningAtMax} running then; at most ${maxRunningWhileWaiting} ` +
			`running while any waited), ${polls} status requests; callbacks: ${delivered.length} answered, ` +
			`${failedAttempts} attempts failed; last execution finished ${((lastFinished - lastCallback) / 1000).toFixed(1)} s ` +
			`after the last callback; ${finished}/${w} finished (${statusList}), wall ${wall.toFixed(1)} s` +
			(finished < w ? ` (stopped at the ${deadlineMs / 60000} min bound)` : '') +
			`; load average then ${os.loadavg()[0].toFixed(1)}`,
	);
	if (failedHow) console.log(`  failed callback attempts: ${failedHow}`);
	if (errorsHow) console.log(`  failed executions: ${errorsHow}`);
}

async function main(): Promise<void> {
	const [n = 200, c = 50, t = 5000, w = 100, workerConcurrency = 25] = process.argv
		.slice(2)
		.map(Number);
	const part = process.env.RH_BENCH_PART || 'all';
	if (!['all', 'completion', 'callback'].includes(part))
		throw new Error(`RH_BENCH_PART=${part}: use completion, callback or leave it unset`);
	const completion = part !== 'callback';
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
		if (completion) await rt.installPackage(single.userFolder, packed);
		const instances = completion ? [stack.main, single] : [stack.main];
		for (const inst of instances) {
			await inst.importCredentials([cred]);
			await inst.importWorkflows(files);
			for (const wf of wfs) await inst.publishWorkflow(wf.id);
		}
		await stack.start();
		if (completion) await single.start();
		else single = null;
		for (const inst of instances) {
			await inst.ensureOwnerAndLogin({ email: 'bench@example.com', password: 'RunningHub1bench' });
			await inst.createApiKey('bench');
		}
		await sleep(3000); // webhooks registered by main at start-up
		const cores = os.cpus().length;
		const load = os
			.loadavg()
			.map((l: number) => l.toFixed(1))
			.join(' ');
		console.log(
			`\nn8n ${rt.N8N_VERSION}; queue mode: 2 workers × concurrency ${workerConcurrency}, 1 webhook processor, Postgres, Redis` +
				(completion
					? `; single process: regular mode, SQLite. RunningHub concurrency ${c}, ${n} tasks of ${t / 1000} s`
					: '') +
				`. Machine: ${cores} cores, load average ${load}.\n`,
		);
		if (completion) {
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
		}
		if (part !== 'completion')
			await callbackRun(stack.main, stack.webhooks[0].baseUrl, sim.url, w, 60000, 15 * 60000);
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
