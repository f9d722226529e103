#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: the package inside a REAL n8n 2.41, against the RunningHub simulator.
 *
 *   1. build, pack and install the package like the Community Nodes panel does (fresh n8n state)
 *   2. `n8n execute --id <id> --rawOutput` for every manual demo workflow in examples/ + assertions
 *   3. `n8n start`: the simulator calls n8n's production webhook URL (RunningHub Trigger) and the
 *      /webhook-waiting/ resume URL (wait-for-callback mode); executions checked via the public API
 *   4. the editor in headless Chromium (playwright-core): login, node panel search, the node's
 *      parameter panel for every resource, the credential test; screenshots in test-artifacts/e2e/
 *
 *   5. `npm start` on an empty state folder: ready (editor URL printed, credential and demos imported),
 *      a demo runs (RunningHub Trigger), and Ctrl-C (SIGINT) stops it and everything it started
 *
 * Environment: RH_N8N_CACHE (runtime cache), RH_E2E_PORT (first of 8 ports, default 5690),
 * RH_E2E_BROWSER=0 (skip the browser part), RH_E2E_KEEP=1 (leave n8n running at the end, Ctrl-C to stop),
 * RH_E2E_ONLY=<substring> (only checks whose name contains it, plus the set-up), RH_SKIP_BUILD=1,
 * RH_E2E_HOME (n8n state folder, default <cache>/e2e-home-<port>; wiped at start),
 * RH_E2E_START=0 (skip the `npm start` part).
 */
const fs = require('fs');
const path = require('path');
const rt = require('./lib/runtime');
const { createSuite, NpmStart } = require('./lib/session');
const cases = require('../test/e2e/cases');
const agentCases = require('../test/e2e/agent');

const log = rt.log;
const ARTIFACTS = path.join(rt.REPO, 'test-artifacts', 'e2e');
const E2E_WORKFLOWS = path.join(rt.REPO, 'test', 'e2e', 'workflows');

const suite = createSuite('End-to-end summary');
const { check, skip, only } = suite;

// ----------------------------------------------------------------------------------------- main
async function main() {
	const t0 = Date.now();
	rt.installSignalHandlers();
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	for (const f of fs.readdirSync(ARTIFACTS))
		if (/\.(png|json|log)$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));

	const ctx = { t0 };
	try {
		await setUp(ctx);
		await cliChecks(ctx);
		await serverChecks(ctx);
		await browserChecks(ctx);
		await startChecks(ctx);
	} catch (e) {
		suite.aborted('e2e run', e);
	}
	if (ctx.n8n && ctx.n8n.server) {
		try {
			fs.copyFileSync(ctx.n8n.server.logFile, path.join(ARTIFACTS, 'n8n.log'));
		} catch {
			/* no log */
		}
	}
	if (ctx.sim) {
		try {
			const state = await rt.fetchText(`${ctx.sim.url}/__sim/state`);
			fs.writeFileSync(path.join(ARTIFACTS, 'simulator-state.json'), state.text);
		} catch {
			/* simulator gone */
		}
	}
	if (ctx.agent) {
		// what the fake model received: tool definitions and the tool messages of every agent turn
		fs.writeFileSync(
			path.join(ARTIFACTS, 'fake-openai-requests.json'),
			JSON.stringify(ctx.agent.fake.requests, null, 2),
		);
	}
	const failed = suite.summary(t0);
	if (process.env.RH_E2E_KEEP === '1' && ctx.n8n && ctx.n8n.server) {
		log(
			`RH_E2E_KEEP=1: n8n stays at ${ctx.n8n.baseUrl} (login ${cases.OWNER.email} / ${cases.OWNER.password}); Ctrl-C to stop`,
		);
		await new Promise(() => {});
	}
	await rt.cleanupAll();
	process.exit(failed ? 1 : 0);
}

// ------------------------------------------------------------------------------------- 1. set-up
async function setUp(ctx) {
	log('── set-up');
	await check('build the package (npm run build)', () => rt.buildPackage(), { setup: true });
	await check(`runtime: Node 24 + n8n ${rt.N8N_VERSION} in ${rt.CACHE}`, () => rt.ensureRuntime(), {
		setup: true,
	});

	const [port, brokerPort, simPort, modelPort, ...startPorts] = await rt.findFreePorts(
		Number(process.env.RH_E2E_PORT || 5690),
		8,
	);
	ctx.startPorts = startPorts;
	// named by its port, so runs on other ports can share the runtime cache at the same time
	const home = process.env.RH_E2E_HOME || path.join(rt.CACHE, `e2e-home-${port}`);
	fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(home, { recursive: true });
	ctx.n8n = new rt.N8nInstance({
		userFolder: home,
		port,
		brokerPort,
		encryptionKey: 'n8n-nodes-runninghub-e2e',
		logDir: path.join(home, 'logs'),
	});
	log(`ports: n8n ${port}, task broker ${brokerPort}, simulator ${simPort}; state in ${home}`);

	ctx.sim = await check(
		'simulator starts',
		async () => {
			const sim = await rt.startSimulator({
				port: simPort,
				logFile: path.join(home, 'logs', 'simulator.log'),
				extraArgs: cases.SIMULATOR_ARGS,
			});
			return sim;
		},
		{ setup: true },
	);
	const keys = rt.simulatorKeys();
	ctx.simKey = keys.SIM_KEY_SHARED;
	if (!ctx.simKey) throw new Error('SIM_KEY_SHARED not found in test/simulator/keys.ts');

	ctx.packed = await check(
		'npm pack + install into ~/.n8n/nodes (like the Community Nodes panel)',
		async () => {
			const packed = await rt.packPackage();
			const dest = await rt.installPackage(home, packed);
			for (const f of [...require(path.join(dest, 'package.json')).n8n.nodes]) {
				if (!fs.existsSync(path.join(dest, f)))
					throw new Error(`${f} missing in the installed package`);
			}
			return packed;
		},
		{ setup: true },
	);

	const genDir = path.join(home, 'generated-workflows');
	ctx.agent = await check(
		'fake OpenAI-compatible model server starts (AI Agent checks)',
		() => agentCases.setUp({ port: modelPort, dir: genDir }),
		{ setup: true },
	);

	await check(
		'import the credentials (n8n import:credentials)',
		() =>
			ctx.n8n.importCredentials([
				rt.credentialFor({ simulatorUrl: ctx.sim.url, simulatorKey: ctx.simKey }),
				ctx.agent.credential,
			]),
		{ setup: true },
	);

	// e2e-only workflows: the static ones in test/e2e/workflows/ and one generated from the built
	// node description (one RunningHub node per resource, for the editor checks)
	fs.writeFileSync(
		path.join(genDir, 'all-resources.json'),
		JSON.stringify(cases.allResourcesWorkflow(), null, 2),
	);
	fs.writeFileSync(
		path.join(genDir, 'write-file.json'),
		JSON.stringify(cases.writeFileWorkflow(), null, 2),
	);
	fs.writeFileSync(
		path.join(genDir, 'late-callback.json'),
		JSON.stringify(cases.lateCallbackWorkflow(), null, 2),
	);
	// Write File to Disk writes into an existing folder only: start with an empty one.
	fs.rmSync(cases.WRITE_FILE_DIR, { recursive: true, force: true });
	fs.mkdirSync(cases.WRITE_FILE_DIR, { recursive: true });
	ctx.workflows = [
		...rt.listWorkflows(rt.EXAMPLES_DIR),
		...rt.listWorkflows(E2E_WORKFLOWS),
		...rt.listWorkflows(genDir),
	];
	await check(
		`import ${ctx.workflows.length} workflows (examples/ + e2e ones) and publish the active ones`,
		async () => {
			if (!ctx.workflows.length) throw new Error('no workflows found in examples/');
			await ctx.n8n.importWorkflows(ctx.workflows.map((w) => w.file));
			for (const w of ctx.workflows.filter((x) => x.active)) await ctx.n8n.publishWorkflow(w.id);
		},
		{ setup: true },
	);
}

// ------------------------------------------------------------------------- 2. headless CLI runs
async function cliChecks(ctx) {
	log('── n8n execute --id <id> --rawOutput (headless, no server)');
	const manual = ctx.workflows.filter(
		(w) =>
			w.hasManualTrigger &&
			!w.active &&
			!cases.NOT_FOR_CLI.includes(w.id) &&
			w.id !== cases.ALL_RESOURCES_WORKFLOW,
	);
	if (!manual.length) skip('manual demo workflows', 'none in examples/');
	for (const w of manual) {
		await check(`execute "${w.name}" (${w.id})`, async () => {
			await resetSimulator(ctx);
			const r = await ctx.n8n.execute(w.id);
			const outFile = path.join(ARTIFACTS, `execute-${w.id}.json`);
			fs.writeFileSync(
				outFile,
				r.result ? JSON.stringify(r.result, null, 2) : r.stdout + '\n' + r.stderr,
			);
			if (!r.result) {
				// n8n execute loses the run data when the workflow fails before its first node runs
				const saved = await ctx.n8n.savedExecutionError(w.id);
				if (saved && saved.error)
					throw new Error(
						`execution ${saved.id} ${saved.status}: ${saved.error.name}: ${saved.error.message}`,
					);
				throw new Error(
					`no run data printed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-1500)}`,
				);
			}
			const err = r.result.data && r.result.data.resultData && r.result.data.resultData.error;
			if (err) throw new Error(`workflow error: ${err.message} ${err.description || ''}`);
			if (r.code !== 0) throw new Error(`n8n execute exited with ${r.code}`);
			const runData = r.result.data.resultData.runData;
			cases.assertWorkflowRun(w, runData, { packageName: rt.PACKAGE_NAME });
		});
	}
}

async function resetSimulator(ctx) {
	try {
		await rt.fetchText(`${ctx.sim.url}/__sim/reset`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
	} catch {
		/* best effort */
	}
}

// ------------------------------------------------------------------------------ 3. n8n start
async function serverChecks(ctx) {
	log('── n8n start: webhooks, wait-for-callback, public API');
	const n8n = ctx.n8n;
	await check(
		'n8n start + /healthz/readiness',
		async () => {
			const ms = await n8n.start();
			log(`     ready after ${(ms / 1000).toFixed(1)} s`);
		},
		{ setup: true },
	);
	await check(
		'owner setup, login, public API key',
		async () => {
			await n8n.ensureOwnerAndLogin(cases.OWNER);
			await n8n.createApiKey('e2e');
		},
		{ setup: true },
	);
	await check('both node types and the credential type are loaded (/types/*.json)', async () => {
		const nodes = await n8n.rest('GET', '/types/nodes.json');
		const names = nodes.json.map((t) => t.name);
		for (const t of [`${rt.PACKAGE_NAME}.runningHub`, `${rt.PACKAGE_NAME}.runningHubTrigger`]) {
			if (!names.includes(t))
				throw new Error(
					`${t} not in /types/nodes.json (${names.filter((n) => n.startsWith(rt.PACKAGE_NAME)).join(', ') || 'no package nodes'})`,
				);
		}
		const creds = await n8n.rest('GET', '/types/credentials.json');
		if (!creds.json.some((c) => c.name === 'runningHubApi'))
			throw new Error('runningHubApi not in /types/credentials.json');
	});
	await check('published workflows are active (public API)', async () => {
		for (const w of ctx.workflows.filter((x) => x.active)) {
			const wf = await n8n.publicApi('GET', `/workflows/${w.id}`);
			if (!wf.active) throw new Error(`${w.id} is not active`);
		}
	});
	await check(
		'credential test on the server (POST /rest/credentials/test) succeeds against the simulator',
		async () => {
			const cred = await n8n.rest('GET', `/rest/credentials/${rt.CREDENTIAL_ID}?includeData=true`);
			const r = await n8n.rest('POST', '/rest/credentials/test', { credentials: cred.json.data });
			const status = r.json && r.json.data && r.json.data.status;
			if (status !== 'OK') throw new Error(`credential test answered ${JSON.stringify(r.json)}`);
		},
	);

	for (const c of [...cases.serverCases(ctx), ...agentCases.serverCases()]) {
		await check(c.name, () => c.run({ ctx, n8n, rt, resetSimulator: () => resetSimulator(ctx) }));
	}
}

// --------------------------------------------------------------------------------- 4. browser
async function browserChecks(ctx) {
	log('── editor in headless Chromium');
	if (process.env.RH_E2E_BROWSER === '0') return skip('editor checks', 'RH_E2E_BROWSER=0');
	const chromium = await ensureChromium();
	if (!chromium)
		return skip('editor checks', 'Chromium is not installed (apt-get install -y chromium as root)');
	let pw;
	try {
		pw = require('playwright-core');
	} catch {
		return skip('editor checks', 'playwright-core is not installed (npm install)');
	}
	const browserCases = require('../test/e2e/browser');
	await browserCases.run({ ctx, check, skip, pw, chromium, artifacts: ARTIFACTS, rt, cases });
}

// ------------------------------------------------------------------------ 5. npm start, cold
async function startChecks(ctx) {
	log('── npm start on an empty state folder');
	if (process.env.RH_E2E_START === '0') return skip('npm start', 'RH_E2E_START=0');
	if (only && !'npm start'.includes(only) && !only.includes('npm start'))
		return skip('npm start', `RH_E2E_ONLY=${only}`);
	if (process.env.RH_E2E_KEEP === '1')
		return skip('npm start', 'RH_E2E_KEEP=1 keeps the n8n above');
	if (ctx.n8n.server) fs.copyFileSync(ctx.n8n.server.logFile, path.join(ARTIFACTS, 'n8n.log'));
	await ctx.n8n.stop(); // one n8n at a time on small machines
	const [port, brokerPort, simPort, modelPort] = ctx.startPorts;
	const stateDir = path.join(rt.CACHE, `e2e-start-home-${port}`);
	let start = null;
	const startCheck = (name, fn) => check(name, fn, { always: true });

	const ready = await startCheck('npm start reaches ready on an empty state folder', async () => {
		start = new NpmStart({
			stateDir,
			env: {
				PORT: String(port),
				RH_SIM_PORT: String(simPort),
				RH_MODEL_PORT: String(modelPort),
			},
		});
		await start.ready();
		start.expectPrinted([
			[`editor URL`, `Editor:    http://127.0.0.1:${port}/`],
			['credential', 'credential "RunningHub account" (rhDemoCredential1) -> http://127.0.0.1:'],
			['demos', `imported ${rt.listWorkflows().length} demo workflow(s)`],
		]);
		const editor = await rt.fetchText(`http://127.0.0.1:${port}/`);
		if (editor.status !== 200 || !/<html/i.test(editor.text))
			throw new Error(`the editor URL answered ${editor.status}`);
		fs.writeFileSync(path.join(ARTIFACTS, 'npm-start.log'), start.output);
		return true;
	});

	if (ready) {
		await startCheck(
			'a demo runs in the n8n started by npm start (RunningHub Trigger)',
			async () => {
				const n8n = new rt.N8nInstance({ userFolder: stateDir, port, brokerPort });
				await n8n.ensureOwnerAndLogin({ email: 'demo@example.com', password: 'RunningHub1' });
				await n8n.createApiKey('e2e-npm-start');
				const simUrl = /simulator (http:\/\/127\.0\.0\.1:\d+)/.exec(start.output)[1];
				const demoCtx = {
					workflows: rt.listWorkflows(),
					sim: { url: simUrl },
					simKey: rt.simulatorKeys().SIM_KEY_SHARED,
				};
				await cases.runTriggerDemo(demoCtx, n8n);
			},
		);
	}

	if (start) {
		await startCheck('Ctrl-C (SIGINT) stops npm start and everything it started', () =>
			start.interrupt([port, simPort, modelPort]),
		);
		fs.writeFileSync(path.join(ARTIFACTS, 'npm-start.log'), start.output);
	}
}

async function ensureChromium() {
	const candidates = [
		process.env.CHROMIUM_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
	].filter(Boolean);
	const found = candidates.find((p) => fs.existsSync(p));
	if (found) return found;
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		log('Chromium missing and not root: cannot apt-get install it');
		return null;
	}
	log('installing Chromium (apt-get update && apt-get install -y chromium) …');
	const started = Date.now();
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const up = await rt.run('apt-get', ['update'], { env, timeoutMs: 300000 });
	const inst =
		up.code === 0
			? await rt.run('apt-get', ['install', '-y', 'chromium'], { env, timeoutMs: 600000 })
			: up;
	if (inst.code !== 0 || !fs.existsSync('/usr/bin/chromium')) {
		log(
			`Chromium install failed (exit ${inst.code}): ${(inst.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
		);
		return null;
	}
	log(`Chromium installed in ${rt.elapsed(started)}`);
	return '/usr/bin/chromium';
}

main();
