#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e:queue`: the package in n8n's queue mode, the scaled-out deployment: Postgres,
 * Redis, one main, 2 workers and webhook processors (scripts/lib/queue.js), the package installed on
 * every process like the Community Nodes panel does, against the RunningHub simulator. Every case is
 * asserted through n8n's public API and the simulator's records; see test/e2e/queue-cases.js.
 * Then, on the same ports, `npm start -- --queue` from an empty state folder: ready, a demo runs on a
 * worker, Ctrl-C leaves nothing running.
 *
 * Environment: RH_N8N_CACHE (runtime cache), RH_QUEUE_PORT (first n8n port, default 5790; takes 12
 * ports, the simulator the next free one), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390),
 * RH_E2E_ONLY=<substring> (only cases whose name contains it), RH_SKIP_BUILD=1, RH_E2E_START=0 (skip
 * the `npm start -- --queue` part).
 */
const fs = require('fs');
const path = require('path');
const rt = require('./lib/runtime');
const { QueueStack } = require('./lib/queue');
const { createSuite, NpmStart, processesIn } = require('./lib/session');
const flows = require('../test/e2e/queue-workflows');
const cases = require('../test/e2e/queue-cases');
const e2eCases = require('../test/e2e/cases');

const log = rt.log;
const ARTIFACTS = path.join(rt.REPO, 'test-artifacts', 'e2e-queue');
const OWNER = {
	email: 'queue@example.com',
	password: 'RunningHub1queue',
	firstName: 'Queue',
	lastName: 'Runner',
};

const suite = createSuite('Queue-mode end-to-end summary');
const { check, skip, only } = suite;

// ----------------------------------------------------------------------------------------- main
async function main() {
	const t0 = Date.now();
	rt.installSignalHandlers();
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const ctx = { t0 };
	try {
		await setUp(ctx);
		ctx.setUpDone = true;
		for (const c of cases.queueCases()) await check(c.name, () => c.run(ctx));
	} catch (e) {
		suite.aborted('queue e2e run', e);
	}
	await saveArtifacts(ctx);
	log('stopping n8n, Redis and Postgres');
	if (ctx.stack) await ctx.stack.stop().catch((e) => log(`stop: ${e.message}`));
	if (ctx.sim) await rt.stopChild(ctx.sim);
	if (ctx.setUpDone) await npmStartChecks(ctx).catch((e) => suite.aborted('npm start --queue', e));
	const failed = suite.summary(t0);
	await rt.cleanupAll();
	process.exit(failed ? 1 : 0);
}

async function saveArtifacts(ctx) {
	if (ctx.stack) {
		for (const f of fs.existsSync(ctx.stack.logDir) ? fs.readdirSync(ctx.stack.logDir) : [])
			fs.copyFileSync(path.join(ctx.stack.logDir, f), path.join(ARTIFACTS, f));
	}
	if (ctx.sim) {
		try {
			const state = await rt.fetchText(`${ctx.sim.url}/__sim/state`);
			fs.writeFileSync(path.join(ARTIFACTS, 'simulator-state.json'), state.text);
		} catch {
			/* simulator gone */
		}
	}
}

async function setUp(ctx) {
	log('── set-up: Postgres, Redis, n8n main + 2 workers + 2 webhook processors');
	await check('build the package (npm run build)', () => rt.buildPackage(), { setup: true });
	await check(`runtime: Node 24 + n8n ${rt.N8N_VERSION}`, () => rt.ensureRuntime(), {
		setup: true,
	});
	const home = path.join(rt.CACHE, 'e2e-queue-home');
	ctx.stack = new QueueStack({
		home,
		basePort: Number(process.env.RH_QUEUE_PORT || 5790),
		pgPort: Number(process.env.RH_QUEUE_PG_PORT || 5833),
		redisPort: Number(process.env.RH_QUEUE_REDIS_PORT || 6390),
		workers: 2,
		webhooks: 2,
		workerConcurrency: 10,
		encryptionKey: 'n8n-nodes-runninghub-queue-e2e',
		// a lost worker's job is noticed within ~20 s instead of n8n's default ~2 min
		extraEnv: {
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
		},
	});
	await check(
		'Postgres and Redis on loopback, as services of this run (installed with apt-get when missing)',
		() => ctx.stack.prepare(),
		{ setup: true },
	);
	const simPort = (await rt.findFreePorts(ctx.stack.basePort + 12, 1))[0];
	ctx.sim = await check(
		'simulator starts',
		() =>
			rt.startSimulator({
				port: simPort,
				logFile: path.join(ctx.stack.logDir, 'simulator.log'),
				extraArgs: ['--queued-ms', '300', '--running-ms', '1500'],
			}),
		{ setup: true },
	);
	ctx.simKey = rt.simulatorKeys().SIM_KEY_SHARED;
	await check(
		"npm pack + install into every process's ~/.n8n/nodes (like the Community Nodes panel)",
		async () => {
			const packed = await rt.packPackage(rt.REPO, path.join(home, 'pack'));
			await ctx.stack.installPackage(packed);
		},
		{ setup: true },
	);
	ctx.workflows = cases.WORKFLOWS();
	await check(
		'start main, then 2 workers and 2 webhook processors (/healthz/readiness)',
		() => ctx.stack.start(),
		{
			setup: true,
		},
	);
	await check(
		'owner, login, public API key; every process loaded the package',
		async () => {
			const main = ctx.stack.main;
			await main.ensureOwnerAndLogin(OWNER);
			await main.createApiKey('queue-e2e');
			const types = await main.rest('GET', '/types/nodes.json');
			if (!types.json.some((t) => t.name === flows.ACTION_TYPE))
				throw new Error(`${flows.ACTION_TYPE} not loaded on main`);
			for (const p of ctx.stack.processes) {
				const installed = path.join(
					p.userFolder,
					'.n8n',
					'nodes',
					'node_modules',
					rt.PACKAGE_NAME,
					'package.json',
				);
				if (!fs.existsSync(installed)) throw new Error(`${p.name}: package not installed`);
				if (/Unrecognized node type|is not known/i.test(p.logText()))
					throw new Error(
						`${p.name} could not load a node type:\n${rt.tailFile(p.server.logFile, 10)}`,
					);
			}
		},
		{ setup: true },
	);
	await check(
		`credential and ${ctx.workflows.length} workflows created and activated through the public API; webhooks registered in Postgres`,
		() =>
			cases.provision(
				ctx,
				rt.credentialFor({ simulatorUrl: ctx.sim.url, simulatorKey: ctx.simKey }),
			),
		{ setup: true },
	);
}

// ---------------------------------------------------------------- npm start --queue, cold
/**
 * `npm start -- --queue` as a user runs it, on the suite's ports once its own stack is stopped: it
 * reaches ready with the demos imported, a demo runs on a worker (Wait for Callback, resumed through
 * the webhook processor), and Ctrl-C stops n8n, Redis, Postgres and the simulator.
 */
async function npmStartChecks(ctx) {
	log('── npm start -- --queue on an empty state folder');
	if (process.env.RH_E2E_START === '0') return skip('npm start -- --queue', 'RH_E2E_START=0');
	if (only && !only.includes('npm start'))
		return skip('npm start -- --queue', `RH_E2E_ONLY=${only}`);
	const port = ctx.stack.basePort;
	const [simPort, modelPort] = await rt.findFreePorts(port + 12, 2);
	const { pgPort, redisPort } = ctx.stack;
	const stateDir = path.join(rt.CACHE, `e2e-queue-start-home-${port}`);
	const startCheck = (name, fn) => check(name, fn, { always: true });
	const examples = rt.listWorkflows();
	let start = null;

	const ready = await startCheck(
		'npm start -- --queue reaches ready: Postgres, Redis, main, 2 workers, a webhook processor, the demos',
		async () => {
			start = new NpmStart({
				args: ['--queue'],
				stateDir,
				env: {
					PORT: String(port),
					RH_SIM_PORT: String(simPort),
					RH_MODEL_PORT: String(modelPort),
					RH_QUEUE_PG_PORT: String(pgPort),
					RH_QUEUE_REDIS_PORT: String(redisPort),
				},
			});
			await start.ready();
			start.expectPrinted([
				['mode', 'in queue mode with'],
				['editor URL', `Editor:    http://127.0.0.1:${port}/`],
				['demos', `imported ${examples.length} demo workflow(s)`],
				['workers', 'worker1 (health http://127.0.0.1:'],
				['model credential', 'Model:     "OpenAI account"'],
			]);
			const editor = await rt.fetchText(`http://127.0.0.1:${port}/`);
			if (editor.status !== 200 || !/<html/i.test(editor.text))
				throw new Error(`the editor URL answered ${editor.status}`);
			return true;
		},
	);

	if (ready) {
		await startCheck(
			'a demo runs in the queue-mode n8n of npm start (Wait for Callback: webhook processor, worker)',
			async () => {
				const webhookUrl = /Webhooks: {2}(http:\/\/127\.0\.0\.1:\d+\/)webhook\//.exec(
					start.output,
				)[1];
				const home = path.join(stateDir, 'queue');
				const main = new rt.N8nInstance({
					userFolder: path.join(home, 'main'),
					port,
					brokerPort: port + 1,
					webhookUrl,
				});
				await main.ensureOwnerAndLogin({ email: 'demo@example.com', password: 'RunningHub1' });
				await main.createApiKey('e2e-npm-start-queue');
				for (const w of examples) {
					const wf = await main.publicApi('GET', `/workflows/${w.id}`);
					if (!!wf.active !== w.active)
						throw new Error(`demo ${w.id} is ${wf.active ? '' : 'not '}active`);
				}
				const simUrl = /simulator (http:\/\/127\.0\.0\.1:\d+)/.exec(start.output)[1];
				const demoCtx = {
					workflows: examples,
					sim: { url: simUrl },
					simKey: rt.simulatorKeys().SIM_KEY_SHARED,
				};
				const demo = e2eCases.serverCases().find((c) => c.name.startsWith('wait-for-callback'));
				await demo.run({ ctx: demoCtx, n8n: main, rt });
				const callbackDemo = examples.find((w) =>
					w.json.nodes.some((n) => n.parameters && n.parameters.waitMode === 'callback'),
				);
				const done = await main.publicApi(
					'GET',
					`/executions?workflowId=${callbackDemo.id}&status=success`,
				);
				const id = done.data[0].id;
				const ranOn = ['worker1', 'worker2'].filter((w) =>
					new RegExp(`Worker started execution ${id}\\b`).test(
						readText(path.join(home, 'logs', `${w}.log`)),
					),
				);
				if (!ranOn.length) throw new Error(`no worker log names execution ${id}`);
				return `execution ${id} ran on ${ranOn.join(' and ')}`;
			},
		);
	}

	if (start) {
		await startCheck(
			'Ctrl-C (SIGINT) stops npm start -- --queue: n8n, Redis, Postgres, the simulator',
			async () => {
				const pgData = /data in (\S+), removed on exit/.exec(start.output);
				const nodePorts = Array.from({ length: 8 }, (_, i) => port + i);
				await start.interrupt([...nodePorts, simPort, modelPort, pgPort, redisPort]);
				if (pgData) {
					if (fs.existsSync(pgData[1])) throw new Error(`${pgData[1]} (Postgres data) left behind`);
					const left = processesIn(pgData[1]);
					if (left.length) throw new Error(`Postgres processes left:\n${left.join('\n')}`);
				} else throw new Error('the Postgres data folder was not printed');
			},
		);
		fs.writeFileSync(path.join(ARTIFACTS, 'npm-start-queue.log'), start.output);
	}
}

function readText(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

main();
