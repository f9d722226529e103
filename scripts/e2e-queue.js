#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e:queue`: the package in n8n's queue mode, the scaled-out deployment: Postgres,
 * Redis, one main, 2 workers and webhook processors (scripts/lib/queue.js), the package installed on
 * every process like the Community Nodes panel does, against the RunningHub simulator. Every case is
 * asserted through n8n's public API and the simulator's records; see test/e2e/queue-cases.js.
 *
 * Environment: RH_N8N_CACHE (runtime cache), RH_QUEUE_PORT (first n8n port, default 5790; takes 12
 * ports, the simulator the next free one), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390),
 * RH_E2E_ONLY=<substring> (only cases whose name contains it), RH_SKIP_BUILD=1.
 */
const fs = require('fs');
const path = require('path');
const rt = require('./lib/runtime');
const { QueueStack } = require('./lib/queue');
const flows = require('../test/e2e/queue-workflows');
const cases = require('../test/e2e/queue-cases');

const log = rt.log;
const ARTIFACTS = path.join(rt.REPO, 'test-artifacts', 'e2e-queue');
const OWNER = {
	email: 'queue@example.com',
	password: 'RunningHub1queue',
	firstName: 'Queue',
	lastName: 'Runner',
};

// ------------------------------------------------------------------------------ tiny test runner
const results = [];
const only = process.env.RH_E2E_ONLY;
class SetupFailed extends Error {}
function indent(s) {
	return String(s)
		.split('\n')
		.slice(0, 40)
		.map((l) => `        ${l}`)
		.join('\n');
}
async function check(name, fn, { setup = false } = {}) {
	if (only && !setup && !name.includes(only)) return undefined;
	const started = Date.now();
	try {
		const value = await fn();
		const ms = Date.now() - started;
		results.push({ name, ok: true, ms, note: typeof value === 'string' ? value : undefined });
		log(
			`  PASS  ${name} (${(ms / 1000).toFixed(1)} s)${typeof value === 'string' ? `\n${indent(value)}` : ''}`,
		);
		return value;
	} catch (e) {
		const ms = Date.now() - started;
		results.push({ name, ok: false, ms, error: e });
		log(
			`  FAIL  ${name} (${(ms / 1000).toFixed(1)} s)\n${indent(e && e.message ? e.message : String(e))}`,
		);
		if (setup) throw new SetupFailed(name);
		return undefined;
	}
}

function summary(t0) {
	const passed = results.filter((r) => r.ok).length;
	const failed = results.filter((r) => !r.ok).length;
	console.log('\n' + '═'.repeat(72));
	console.log(` Queue-mode end-to-end summary (n8n ${rt.N8N_VERSION}, ${rt.elapsed(t0)})`);
	console.log('─'.repeat(72));
	for (const r of results) {
		console.log(` ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  ${(r.ms / 1000).toFixed(1)} s`);
		if (r.note) console.log(indent(r.note));
		if (!r.ok)
			console.log(
				indent(r.error && r.error.message ? r.error.message : r.error)
					.split('\n')
					.slice(0, 8)
					.join('\n'),
			);
	}
	console.log('═'.repeat(72));
	console.log(`${passed} passed, ${failed} failed`);
	return failed;
}

// ----------------------------------------------------------------------------------------- main
async function main() {
	const t0 = Date.now();
	rt.installSignalHandlers();
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const ctx = { t0 };
	try {
		await setUp(ctx);
		for (const c of cases.queueCases()) await check(c.name, () => c.run(ctx));
	} catch (e) {
		if (!(e instanceof SetupFailed)) {
			results.push({ name: 'queue e2e run', ok: false, ms: 0, error: e });
			log(`queue e2e run aborted: ${e.stack || e}`);
		}
	}
	await saveArtifacts(ctx);
	const failed = summary(t0);
	log('stopping n8n, Redis and Postgres');
	if (ctx.stack) await ctx.stack.stop().catch((e) => log(`stop: ${e.message}`));
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

main();
