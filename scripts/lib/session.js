'use strict';
/**
 * The set-up `npm start` (regular and queue mode) and the end-to-end suites share, so both modes
 * behave alike:
 *
 *   demoSession()          Ctrl-C handling, and the port, login and mode read from the environment
 *   startDemoSimulator()   the simulator on RH_SIM_PORT (or the next free port), unless the real
 *                          RunningHub is used
 *   demoCredentials()      the RunningHub credential and the AI Agent demo's model credential
 *   untilOneExits()        keep running until a started process dies unexpectedly
 *   failAndStop()          the last word of a start script that failed: message, stop everything
 *   createSuite()          the suites' check runner (PASS/FAIL lines, summary, RH_E2E_ONLY)
 *   NpmStart               `npm start` run as a user runs it, for the suites: ready, then Ctrl-C and
 *                          nothing left behind (ports, processes in its state folder)
 */
const fs = require('fs');
const path = require('path');
const cp = require('child_process');
const { REPO, N8N_VERSION } = require('./paths');
const { log, elapsed, sleep, tailFile } = require('./log');
const { installSignalHandlers, cleanupAll, isAlive } = require('./processes');
const { isPortFree, findFreePorts } = require('./net');
const { startSimulator, simulatorKeys } = require('./simulator');
const { credentialFor } = require('./demo');

// ------------------------------------------------------------------------------ npm start side
/**
 * Ctrl-C / SIGTERM stop everything started (processes.js); `session.shuttingDown` tells watchers
 * that an exit is expected.
 */
function demoSession() {
	const session = {
		t0: Date.now(),
		shuttingDown: false,
		port: Number(process.env.PORT || 5678),
		email: process.env.RH_N8N_EMAIL || 'demo@example.com',
		password: process.env.RH_N8N_PASSWORD || 'RunningHub1',
		realMode: !!process.env.RUNNINGHUB_API_KEY,
	};
	installSignalHandlers(() => {
		session.shuttingDown = true;
	});
	return session;
}

async function requireFreePort(port) {
	if (!(await isPortFree(port)))
		throw new Error(
			`port ${port} on 127.0.0.1 is in use (another n8n?). Stop it or run with PORT=<other port>.`,
		);
}

/** The simulator for the demo credential, or nothing when RUNNINGHUB_API_KEY is set. */
async function startDemoSimulator(session, { logFile, extraArgs }) {
	if (session.realMode) {
		log(
			`RUNNINGHUB_API_KEY is set: using the real RunningHub (${process.env.RUNNINGHUB_SITE || 'https://www.runninghub.ai'}), no simulator`,
		);
		return { sim: null, simKey: null };
	}
	const port = (await findFreePorts(Number(process.env.RH_SIM_PORT || 5700), 1))[0];
	const sim = await startSimulator({ port, logFile, extraArgs });
	const keys = simulatorKeys();
	const simKey = keys.SIM_KEY_SHARED || Object.values(keys)[0];
	if (!simKey) throw new Error('no SIM_KEY_* found in test/simulator/keys.ts');
	log(`simulator on ${sim.url} (log ${logFile})`);
	return { sim, simKey };
}

/**
 * The "OpenAI account" of the AI Agent demo: the real OpenAI when OPENAI_API_KEY is set, otherwise a
 * fake OpenAI-compatible model in this process that calls the RunningHub tool and quotes its answer.
 */
async function agentDemoModelCredential() {
	const agent = require('../../test/e2e/agent');
	if (process.env.OPENAI_API_KEY) {
		return {
			...agent.OPENAI_CREDENTIAL,
			type: 'openAiApi',
			data: { apiKey: process.env.OPENAI_API_KEY },
		};
	}
	const { startFakeOpenAi } = require('../../test/e2e/agent/fake-openai');
	const modelPort = (await findFreePorts(Number(process.env.RH_MODEL_PORT || 5710), 1))[0];
	const fake = await startFakeOpenAi({ port: modelPort });
	log(`fake OpenAI-compatible model on ${fake.baseUrl} (set OPENAI_API_KEY to use OpenAI)`);
	return agent.openAiCredential(fake);
}

/** [RunningHub credential, model credential] every demo workflow references. */
async function demoCredentials({ sim, simKey }) {
	const cred = credentialFor({ simulatorUrl: sim && sim.url, simulatorKey: simKey });
	const modelCred = await agentDemoModelCredential();
	return { cred, modelCred };
}

/** Resolves when one of `children` exits while the session is not shutting down (logged). */
function untilOneExits(session, children) {
	return new Promise((resolve) => {
		for (const child of children.filter(Boolean)) {
			child.on('exit', (code, signal) => {
				if (session.shuttingDown) return;
				log(
					`${child.serviceName} exited (code ${code}, signal ${signal}); last log lines:\n${tailFile(child.logFile, 20)}`,
				);
				resolve(child);
			});
		}
	});
}

/** Print why a start script failed, stop everything it started and exit 1. */
async function failAndStop(what, error, stop) {
	console.error(`\n${what} failed: ${error && error.message ? error.message : error}`);
	if (stop) await stop().catch(() => {});
	await cleanupAll();
	process.exit(1);
}

// ---------------------------------------------------------------------------------- suite side
class SetupFailed extends Error {}

function indent(s) {
	return String(s)
		.split('\n')
		.slice(0, 40)
		.map((l) => `        ${l}`)
		.join('\n');
}

/**
 * The suites' tiny test runner. `check(name, fn)` runs one check: PASS with the string it returns
 * (a measured figure) or FAIL with the error; a failed set-up check (`setup: true`) ends the run.
 * RH_E2E_ONLY=<substring> runs only the checks whose name contains it (plus set-up and `always`).
 */
function createSuite(title) {
	const results = [];
	const only = process.env.RH_E2E_ONLY;
	async function check(name, fn, { setup = false, always = false } = {}) {
		if (only && !setup && !always && !name.includes(only)) return undefined;
		const started = Date.now();
		try {
			const value = await fn();
			const ms = Date.now() - started;
			const note = typeof value === 'string' ? value : undefined;
			results.push({ name, ok: true, ms, note });
			log(`  PASS  ${name} (${(ms / 1000).toFixed(1)} s)${note ? `\n${indent(note)}` : ''}`);
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
	function skip(name, why) {
		results.push({ name, skipped: true, why });
		log(`  SKIP  ${name}: ${why}`);
	}
	/** Print the summary; returns the number of failed checks. */
	function summary(t0) {
		const passed = results.filter((r) => r.ok).length;
		const failed = results.filter((r) => !r.ok && !r.skipped).length;
		const skipped = results.filter((r) => r.skipped).length;
		console.log('\n' + '═'.repeat(72));
		console.log(` ${title} (n8n ${N8N_VERSION}, ${elapsed(t0)})`);
		console.log('─'.repeat(72));
		for (const r of results) {
			const tag = r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL';
			const extra = r.skipped ? `  (${r.why})` : `  ${(r.ms / 1000).toFixed(1)} s`;
			console.log(` ${tag}  ${r.name}${extra}`);
			if (r.note) console.log(indent(r.note));
			if (!r.ok && !r.skipped)
				console.log(
					indent(r.error && r.error.message ? r.error.message : r.error)
						.split('\n')
						.slice(0, 8)
						.join('\n'),
				);
		}
		console.log('═'.repeat(72));
		console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
		return failed;
	}
	/** Record an error that ended the run outside any check. */
	function aborted(name, e) {
		if (e instanceof SetupFailed) return;
		results.push({ name, ok: false, ms: 0, error: e });
		log(`${name} aborted: ${e.stack || e}`);
	}
	return { check, skip, summary, aborted, results, only };
}

/** Processes (other than this one) whose working folder or command line lies in `folder`. */
function processesIn(folder) {
	const found = [];
	let pids = [];
	try {
		pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
	} catch {
		return found; // no /proc: nothing to look at
	}
	for (const pid of pids) {
		if (Number(pid) === process.pid) continue;
		try {
			const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
			if (cwd.startsWith(folder) || cmd.includes(folder)) found.push(`${pid} ${cmd.slice(0, 160)}`);
		} catch {
			/* gone, or not ours to read */
		}
	}
	return found;
}

/**
 * `npm start` (node scripts/start.js) run as a user runs it, on the suite's ports and an empty state
 * folder: `ready()` waits for its "Press Ctrl-C" banner, `interrupt()` presses Ctrl-C and checks
 * that it exits 130 and leaves no port open and no process behind.
 */
class NpmStart {
	constructor({ args = [], env = {}, stateDir }) {
		this.stateDir = stateDir;
		this.output = '';
		fs.rmSync(stateDir, { recursive: true, force: true });
		const childEnv = { ...process.env, RH_STATE_DIR: stateDir, RH_SKIP_BUILD: '1', ...env };
		for (const k of ['RUNNINGHUB_API_KEY', 'OPENAI_API_KEY', 'RH_RESET', 'WEBHOOK_URL', 'RH_QUEUE'])
			if (!(k in env)) delete childEnv[k];
		this.child = cp.spawn(process.execPath, [path.join(REPO, 'scripts', 'start.js'), ...args], {
			cwd: REPO,
			env: childEnv,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child.stdout.on('data', (d) => (this.output += d));
		this.child.stderr.on('data', (d) => (this.output += d));
		this.exited = new Promise((resolve) =>
			this.child.on('exit', (code, signal) => resolve({ code, signal })),
		);
		process.on('exit', () => this.child.exitCode === null && this.child.kill('SIGTERM'));
	}

	async waitForOutput(pattern, timeoutMs) {
		const started = Date.now();
		while (!pattern.test(this.output)) {
			if (this.child.exitCode !== null)
				throw new Error(`npm start exited (${this.child.exitCode}):\n${this.output.slice(-3000)}`);
			if (Date.now() - started > timeoutMs)
				throw new Error(`npm start not ready after ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
			await sleep(500);
		}
	}

	ready(timeoutMs = 600000) {
		return this.waitForOutput(/Press Ctrl-C to stop/, timeoutMs);
	}

	/** Every text must be in the output so far. */
	expectPrinted(expected) {
		for (const [what, text] of expected)
			if (!this.output.includes(text)) throw new Error(`${what}: "${text}" not printed`);
	}

	/** Ctrl-C: exit 130 within 60 s, `ports` free, no process left in the state folder. */
	async interrupt(ports) {
		this.child.kill('SIGINT');
		const exit = await Promise.race([this.exited, sleep(60000).then(() => null)]);
		if (!exit) throw new Error('npm start still running 60 s after SIGINT');
		if (exit.code !== 130) throw new Error(`npm start exited with ${exit.code} ${exit.signal}`);
		const open = [];
		for (const p of ports) if (!(await isPortFree(p))) open.push(p);
		if (open.length) throw new Error(`port(s) ${open.join(', ')} still in use after SIGINT`);
		const left = processesIn(this.stateDir).filter((l) => isAlive(Number(l.split(' ')[0])));
		if (left.length)
			throw new Error(`processes left in ${this.stateDir} after SIGINT:\n${left.join('\n')}`);
	}
}

module.exports = {
	demoSession,
	requireFreePort,
	startDemoSimulator,
	demoCredentials,
	untilOneExits,
	failAndStop,
	SetupFailed,
	createSuite,
	NpmStart,
	processesIn,
};
