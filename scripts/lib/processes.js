'use strict';
/**
 * Child processes started by the scripts: each leads its own process group and is tracked, so
 * Ctrl-C or an exit stops everything that was started (n8n with its task runners, the simulator,
 * npm installs).
 */
const fs = require('fs');
const path = require('path');
const cp = require('child_process');
const { log, sleep } = require('./log');

/** Everything we started, so Ctrl-C / exit can stop it (each child leads its own process group). */
const children = new Set();
let cleaningUp = null;

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

function killGroup(child, signal) {
	if (!child || !child.pid) return;
	try {
		process.kill(-child.pid, signal); // the whole group: n8n starts task-runner children
	} catch {
		try {
			process.kill(child.pid, signal);
		} catch {
			/* already gone */
		}
	}
}

/** Stop one started process: SIGTERM, then SIGKILL after `graceMs`. */
async function stopChild(child, graceMs = 10000) {
	if (!child) return;
	children.delete(child);
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(child, 'SIGKILL'); // leftovers of the group, if any
		return;
	}
	const exited = new Promise((r) => child.once('exit', r));
	killGroup(child, 'SIGTERM');
	const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
	if (!done) {
		killGroup(child, 'SIGKILL');
		await Promise.race([exited, sleep(2000)]);
	}
	killGroup(child, 'SIGKILL');
}

async function cleanupAll() {
	if (!cleaningUp) {
		cleaningUp = (async () => {
			const list = [...children].reverse(); // last started first (n8n before the simulator)
			for (const c of list) await stopChild(c);
		})();
	}
	return cleaningUp;
}

let handlersInstalled = false;
/** Ctrl-C / SIGTERM: stop everything we started, then exit. `onSignal` may print something first. */
function installSignalHandlers(onSignal) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	let count = 0;
	const handler = (sig) => {
		count++;
		if (count > 1) {
			for (const c of children) killGroup(c, 'SIGKILL');
			process.exit(130);
		}
		if (onSignal) onSignal(sig);
		log(`${sig}: stopping everything that was started (press Ctrl-C again to force)`);
		cleanupAll().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	process.on('SIGHUP', handler);
	process.on('exit', () => {
		for (const c of children) killGroup(c, 'SIGKILL');
	});
}

/**
 * Spawn a long-running child in its own process group; stdout/stderr go to `logFile`.
 * Returns the ChildProcess (tracked for cleanup).
 */
function spawnService(cmd, args, { cwd, env, logFile, name }) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = fs.openSync(logFile, 'w');
	const child = cp.spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	child.serviceName = name || path.basename(cmd);
	child.logFile = logFile;
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

/** Run a command to completion; resolves { code, stdout, stderr }. Never rejects on non-zero exit. */
function run(cmd, args, { cwd, env, input, timeoutMs, onStdout } = {}) {
	return new Promise((resolve, reject) => {
		const child = cp.spawn(cmd, args, {
			cwd,
			env,
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true,
		});
		children.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => {
			stdout += d;
			if (onStdout) onStdout(String(d));
		});
		child.stderr.on('data', (d) => (stderr += d));
		let timer = null;
		if (timeoutMs) {
			timer = setTimeout(() => {
				stderr += `\n[killed after ${timeoutMs} ms]`;
				killGroup(child, 'SIGKILL');
			}, timeoutMs);
		}
		child.on('error', (e) => {
			children.delete(child);
			if (timer) clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			children.delete(child);
			if (timer) clearTimeout(timer);
			resolve({ code: code === null ? 128 : code, signal, stdout, stderr });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

async function runOrThrow(cmd, args, opts = {}) {
	const r = await run(cmd, args, opts);
	if (r.code !== 0) {
		const tail = (r.stdout + '\n' + r.stderr).trim().split('\n').slice(-40).join('\n');
		throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.code})\n${tail}`);
	}
	return r;
}

module.exports = {
	children,
	isAlive,
	killGroup,
	stopChild,
	cleanupAll,
	installSignalHandlers,
	spawnService,
	run,
	runOrThrow,
};
