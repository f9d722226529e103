'use strict';
/**
 * Runs the package inside a REAL n8n (2.41.x), the way a user gets it from the Community Nodes panel.
 *
 * - Node 24 comes from the npm package `node-linux-<arch>` (n8n >= 2.37 needs Node >= 24), n8n itself
 *   is installed from the npm registry with CKJS_LINKING=dynamic (so librdkafka builds offline).
 *   Both live in a cache folder shared by `npm start` and `npm run test:e2e`
 *   (RH_N8N_CACHE, default ~/.cache/n8n-runninghub). One install at a time (install.lock).
 * - The package is `npm pack`ed and extracted into <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>,
 *   with dev/peer/optional dependencies stripped, exactly like n8n's own installer does.
 * - Helpers to run n8n CLI commands, start/stop `n8n start`, set up the owner, log in, create a public
 *   API key, import credentials and workflows, start the RunningHub simulator, and clean up on Ctrl-C.
 *
 * Plain CommonJS on purpose: this file is run by whatever Node the machine has (20+), while n8n runs
 * on the cached Node 24.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const crypto = require('crypto');
const cp = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
const NODE_RUNTIME_VERSION = process.env.NODE_RUNTIME_VERSION || '24.21.0';
const CACHE = path.resolve(
	process.env.RH_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-runninghub'),
);
const NODE_PKG = `node-linux-${process.arch}`;
const NODE_DIR = path.join(CACHE, 'node', 'node_modules', NODE_PKG);
const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
const N8N_DIR = path.join(CACHE, 'n8n');
const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const INSTALL_OK = path.join(CACHE, 'install.ok');
const INSTALL_LOCK = path.join(CACHE, 'install.lock');
const N8N_INSTALL_LOG = path.join(CACHE, 'n8n-install.log');
const NODE_INSTALL_LOG = path.join(CACHE, 'node-install.log');

const PACKAGE_JSON = require(path.join(REPO, 'package.json'));
const PACKAGE_NAME = PACKAGE_JSON.name;

// ------------------------------------------------------------------------------------------ logging
const t0 = Date.now();
function hhmmss() {
	return new Date().toTimeString().slice(0, 8);
}
function log(...args) {
	console.log(`[${hhmmss()}]`, ...args);
}
function elapsed(since = t0) {
	const s = Math.round((Date.now() - since) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------- child processes
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

// ------------------------------------------------------------------------------------------ ports
function isPortFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

/** First `count` consecutive free ports at or above `start` (127.0.0.1). */
async function findFreePorts(start, count) {
	for (let base = start; base < start + 400; base += count) {
		let ok = true;
		for (let p = base; p < base + count; p++) {
			if (!(await isPortFree(p))) {
				ok = false;
				break;
			}
		}
		if (ok) return Array.from({ length: count }, (_, i) => base + i);
	}
	throw new Error(`no ${count} free consecutive ports found from ${start}`);
}

// ------------------------------------------------------------------------------- runtime install
function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function installedN8nVersion() {
	try {
		return readJson(path.join(N8N_DIR, 'node_modules', 'n8n', 'package.json')).version;
	} catch {
		return null;
	}
}
function installedNodeVersion() {
	try {
		return readJson(path.join(NODE_DIR, 'package.json')).version;
	} catch {
		return null;
	}
}

function runtimeReady() {
	if (!fs.existsSync(INSTALL_OK) || !fs.existsSync(NODE_BIN) || !fs.existsSync(N8N_BIN))
		return false;
	return installedN8nVersion() === N8N_VERSION;
}

function countDir(dir) {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

function lastLine(file) {
	try {
		const st = fs.statSync(file);
		const fd = fs.openSync(file, 'r');
		const len = Math.min(st.size, 4096);
		const buf = Buffer.alloc(len);
		fs.readSync(fd, buf, 0, len, st.size - len);
		fs.closeSync(fd);
		// npm's own warnings say nothing about progress
		const lines = buf
			.toString('utf8')
			.trim()
			.split('\n')
			.filter((l) => l.trim() && !/^npm (warn|WARN)/.test(l));
		return (lines[lines.length - 1] || '').slice(0, 140);
	} catch {
		return '';
	}
}

/** Lock with a pid inside; a lock whose pid is dead is stale and taken over. */
async function acquireInstallLock() {
	fs.mkdirSync(CACHE, { recursive: true });
	let waitingSince = null;
	let lastMsg = 0;
	for (;;) {
		try {
			const fd = fs.openSync(INSTALL_LOCK, 'wx');
			fs.writeSync(fd, String(process.pid));
			fs.closeSync(fd);
			return () => {
				try {
					if (fs.readFileSync(INSTALL_LOCK, 'utf8').trim() === String(process.pid))
						fs.unlinkSync(INSTALL_LOCK);
				} catch {
					/* gone */
				}
			};
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let pid = NaN;
		try {
			pid = parseInt(fs.readFileSync(INSTALL_LOCK, 'utf8'), 10);
		} catch {
			continue; // removed meanwhile
		}
		if (!pid || !isAlive(pid)) {
			log(`removing stale install lock (pid ${pid} is gone)`);
			try {
				fs.unlinkSync(INSTALL_LOCK);
			} catch {
				/* someone else did */
			}
			continue;
		}
		waitingSince = waitingSince || Date.now();
		if (Date.now() - lastMsg > 15000) {
			lastMsg = Date.now();
			log(
				`another install (pid ${pid}) holds ${INSTALL_LOCK}; waiting ${elapsed(waitingSince)} ` +
					`(${countDir(path.join(N8N_DIR, 'node_modules'))} packages so far) ${lastLine(N8N_INSTALL_LOG)}`,
			);
		}
		await sleep(2000);
	}
}

/**
 * An install started without our lock (e.g. by hand with the recipe) is recognised by a growing
 * n8n-install.log and no install.ok: wait for it instead of starting a second one.
 */
async function waitForForeignInstall() {
	let lastMsg = 0;
	const since = Date.now();
	for (;;) {
		if (runtimeReady()) return;
		let age = Infinity;
		try {
			age = Date.now() - fs.statSync(N8N_INSTALL_LOG).mtimeMs;
		} catch {
			return;
		}
		const npmRunning = age < 120000 && npmInstallRunningIn(N8N_DIR);
		if (!npmRunning) return;
		if (Date.now() - lastMsg > 15000) {
			lastMsg = Date.now();
			log(
				`an n8n install is already running in ${N8N_DIR}; waiting ${elapsed(since)} ` +
					`(${countDir(path.join(N8N_DIR, 'node_modules'))} packages so far)`,
			);
		}
		await sleep(3000);
	}
}

/** Is an `npm install` process running with cwd `dir`? (Linux /proc; false elsewhere.) */
function npmInstallRunningIn(dir) {
	let entries = [];
	try {
		entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
	} catch {
		return false;
	}
	for (const pid of entries) {
		try {
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
			if (!/npm(-cli\.js)? (install|i|ci)\b/.test(cmd) && !/^npm install/.test(cmd)) continue;
			if (fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dir)) return true;
		} catch {
			/* process ended or not ours to read */
		}
	}
	return false;
}

async function runWithProgress(label, cmd, args, { cwd, env, logFile, everyMs = 15000, countIn }) {
	const started = Date.now();
	const out = fs.openSync(logFile, 'w');
	const child = cp.spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	children.add(child);
	const timer = setInterval(() => {
		const n = countIn ? `, ${countDir(countIn)} packages` : '';
		log(`  … ${label}: ${elapsed(started)}${n}  ${lastLine(logFile)}`);
	}, everyMs);
	const code = await new Promise((r) => child.on('exit', (c) => r(c === null ? 1 : c)));
	clearInterval(timer);
	children.delete(child);
	if (code !== 0) {
		const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-40).join('\n');
		throw new Error(`${label} failed (exit ${code}); see ${logFile}\n${tail}`);
	}
	log(`  ${label}: done in ${elapsed(started)}`);
}

/** Node 24 on PATH first, and native addons compiled against Node 24's headers. */
function runtimeEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	env.PATH = `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH || ''}`;
	env.npm_config_nodedir = NODE_DIR; // ~/.npmrc may say nodedir=/usr (= the machine's Node 20)
	// npm exports the repo's .npmrc (ignore-scripts=true) to child processes; n8n's native modules
	// (sqlite3) need their install scripts.
	env.npm_config_ignore_scripts = 'false';
	return env;
}

/** Make sure Node 24 and n8n are in the cache; installs what is missing (~6 min cold). */
async function ensureRuntime() {
	if (runtimeReady()) {
		log(`runtime: node ${installedNodeVersion()}, n8n ${N8N_VERSION} (cached in ${CACHE})`);
		return;
	}
	fs.mkdirSync(CACHE, { recursive: true });
	await waitForForeignInstall();
	const release = await acquireInstallLock();
	try {
		if (runtimeReady()) {
			log(`runtime: node ${installedNodeVersion()}, n8n ${N8N_VERSION} (installed meanwhile)`);
			return;
		}
		if (!fs.existsSync(NODE_BIN) || !installedNodeVersion()?.startsWith('24.')) {
			log(
				`installing ${NODE_PKG}@${NODE_RUNTIME_VERSION} from the npm registry into ${CACHE}/node`,
			);
			fs.mkdirSync(path.join(CACHE, 'node'), { recursive: true });
			const pj = path.join(CACHE, 'node', 'package.json');
			if (!fs.existsSync(pj)) fs.writeFileSync(pj, '{"private":true}\n');
			await runWithProgress(
				`npm install ${NODE_PKG}`,
				'npm',
				['install', '--no-audit', '--no-fund', `${NODE_PKG}@${NODE_RUNTIME_VERSION}`],
				{ cwd: path.join(CACHE, 'node'), env: process.env, logFile: NODE_INSTALL_LOG },
			);
		}
		if (installedN8nVersion() !== N8N_VERSION || !fs.existsSync(N8N_BIN)) {
			log(
				`installing n8n@${N8N_VERSION} into ${N8N_DIR} — takes about 6 minutes the first time ` +
					`(sqlite3 and librdkafka are compiled); log: ${N8N_INSTALL_LOG}`,
			);
			fs.mkdirSync(N8N_DIR, { recursive: true });
			const pj = path.join(N8N_DIR, 'package.json');
			if (!fs.existsSync(pj)) fs.writeFileSync(pj, '{"name":"n8n-runtime","private":true}\n');
			await runWithProgress(
				`npm install n8n@${N8N_VERSION}`,
				'npm',
				['install', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`],
				{
					cwd: N8N_DIR,
					// CKJS_LINKING=dynamic: @confluentinc/kafka-javascript builds librdkafka without
					// downloading zlib/openssl/zstd/curl from the internet.
					env: runtimeEnv({ CKJS_LINKING: 'dynamic', SCARF_ANALYTICS: 'false' }),
					logFile: N8N_INSTALL_LOG,
					countIn: path.join(N8N_DIR, 'node_modules'),
				},
			);
		}
		const r = await run(NODE_BIN, [N8N_BIN, '--version'], { cwd: CACHE, env: runtimeEnv() });
		const v = r.stdout.trim().split('\n').pop();
		if (v !== N8N_VERSION) throw new Error(`n8n --version printed "${v}", expected ${N8N_VERSION}`);
		fs.writeFileSync(
			INSTALL_OK,
			`node ${installedNodeVersion()} n8n ${N8N_VERSION} ${new Date().toISOString()}\n`,
		);
		log(`runtime ready: node ${installedNodeVersion()}, n8n ${N8N_VERSION}`);
	} finally {
		release();
	}
}

// ---------------------------------------------------------------------------- build, pack, install
async function buildPackage({ skip = process.env.RH_SKIP_BUILD === '1' } = {}) {
	if (skip) log('RH_SKIP_BUILD=1: not rebuilding the package');
	else {
		log('building the package (npm run build)');
		const started = Date.now();
		await runOrThrow('npm', ['run', 'build'], { cwd: REPO, env: process.env });
		log(`  build done in ${elapsed(started)}`);
	}
	for (const f of [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO, f))) throw new Error(`${f} is missing after the build`);
	}
}

/** `npm pack` the package into `destDir`; returns the tarball path. */
async function packPackage(
	pkgDir = REPO,
	destDir = path.join(CACHE, 'packs', String(process.pid)),
) {
	fs.mkdirSync(destDir, { recursive: true });
	const r = await runOrThrow(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', destDir],
		{ cwd: pkgDir, env: process.env },
	);
	const json = r.stdout.slice(r.stdout.indexOf('['));
	const info = JSON.parse(json)[0];
	return {
		tgz: path.join(destDir, info.filename),
		name: info.name,
		version: info.version,
		files: info.files.length,
	};
}

/**
 * Install a packed package into <userFolder>/.n8n/nodes like Settings > Community nodes does:
 * untar into nodes/node_modules/<name>, drop dev/peer/optional deps, `npm install` runtime deps.
 */
async function installPackage(userFolder, packed) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dest = path.join(nodesDir, 'node_modules', packed.name);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	await runOrThrow('tar', ['-xzf', packed.tgz, '-C', dest, '--strip-components=1']);
	const pjFile = path.join(dest, 'package.json');
	const pj = readJson(pjFile);
	for (const k of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pj[k];
	fs.writeFileSync(pjFile, JSON.stringify(pj, null, 2));
	if (Object.keys(pj.dependencies || {}).length) {
		await runOrThrow(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dest, env: runtimeEnv() },
		);
	}
	const listFile = path.join(nodesDir, 'package.json');
	let list = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		list = readJson(listFile);
		list.dependencies = list.dependencies || {};
	} catch {
		/* first install */
	}
	list.dependencies[packed.name] = pj.version;
	fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
	// the tarball was packed into a folder of this process (npm start and the e2e run may pack at once)
	if (path.basename(path.dirname(packed.tgz)) === String(process.pid))
		fs.rmSync(path.dirname(packed.tgz), { recursive: true, force: true });
	return dest;
}

// ----------------------------------------------------------------------------------------- n8n
/**
 * One n8n instance: a user folder (state in <userFolder>/.n8n), a port and a task-runner broker port.
 */
class N8nInstance {
	constructor({ userFolder, port, brokerPort, encryptionKey, webhookUrl, logDir, extraEnv = {} }) {
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.webhookUrl = (webhookUrl || `${this.baseUrl}/`).replace(/\/?$/, '/');
		this.logDir = logDir || userFolder;
		this.encryptionKey = encryptionKey;
		this.extraEnv = extraEnv;
		this.server = null;
		this.cookie = null;
		this.apiKey = null;
	}

	env() {
		const env = runtimeEnv({
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry', // avoids a failing fetch of api.n8n.io at startup
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: this.webhookUrl,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_TASK_TIMEOUT: '60',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info', // --rawOutput JSON is printed at info level
			DB_SQLITE_POOL_SIZE: process.env.DB_SQLITE_POOL_SIZE || '2',
			...this.extraEnv,
		});
		delete env.N8N_CUSTOM_EXTENSIONS; // installed like a real community package instead
		for (const k of Object.keys(env))
			if (k.startsWith('npm_lifecycle') || k === 'npm_package_json') delete env[k];
		return env;
	}

	/** Run an n8n CLI command to completion (cwd = user folder: n8n reads ./.env via dotenv). */
	cli(args, opts = {}) {
		fs.mkdirSync(this.userFolder, { recursive: true });
		return run(NODE_BIN, [N8N_BIN, ...args], { cwd: this.userFolder, env: this.env(), ...opts });
	}

	async cliOrThrow(args, opts = {}) {
		const r = await this.cli(args, opts);
		if (r.code !== 0) {
			const tail = (r.stdout + '\n' + r.stderr).trim().split('\n').slice(-30).join('\n');
			throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code})\n${tail}`);
		}
		return r;
	}

	/** `n8n import:credentials` from an array of {id,name,type,data} (data encrypted on import). */
	async importCredentials(creds) {
		const file = path.join(this.userFolder, `credentials-import-${process.pid}.json`);
		fs.writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
		try {
			await this.cliOrThrow(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Import workflow JSON files (each one workflow with a fixed "id"). */
	async importWorkflows(files) {
		if (!files.length) return;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-wf-'));
		try {
			for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
			await this.cliOrThrow(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	/** Publish (activate) a workflow; must run BEFORE `n8n start` (takes effect at start). */
	async publishWorkflow(id) {
		await this.cliOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id <id> --rawOutput`; returns { code, result (parsed run JSON or null), stdout, stderr }.
	 */
	async execute(id, { timeoutMs = 180000 } = {}) {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		return { ...r, result: parseExecuteOutput(r.stdout) };
	}

	/**
	 * The error saved with the newest execution of a workflow, read from n8n's SQLite database with
	 * Node 24's node:sqlite. `n8n execute` prints only "No active execution found" when a workflow
	 * fails before its first node runs (e.g. WorkflowHasIssuesError), so this is where the reason is.
	 */
	async savedExecutionError(workflowId) {
		const script = `
			const { DatabaseSync } = require('node:sqlite');
			const flatted = require(${JSON.stringify(path.join(N8N_DIR, 'node_modules', 'flatted'))});
			const db = new DatabaseSync(process.argv[1], { readOnly: true });
			const row = db.prepare("SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1").get(process.argv[2]);
			if (!row) { console.log('{}'); process.exit(0); }
			const data = flatted.parse(row.data);
			const err = data.resultData && data.resultData.error;
			console.log(JSON.stringify({ id: row.id, status: row.status, error: err ? { name: err.name, message: err.message, description: err.description } : null }));`;
		const r = await run(
			NODE_BIN,
			[
				'--no-warnings',
				'-e',
				script,
				path.join(this.userFolder, '.n8n', 'database.sqlite'),
				workflowId,
			],
			{
				env: runtimeEnv(),
			},
		);
		try {
			return JSON.parse(r.stdout.trim().split('\n').pop());
		} catch {
			return { lookupFailed: (r.stderr || r.stdout).slice(0, 300) };
		}
	}

	/** Start `n8n start` in the background and wait for /healthz/readiness. */
	async start({ timeoutMs = 180000 } = {}) {
		fs.mkdirSync(this.logDir, { recursive: true });
		const logFile = path.join(this.logDir, 'n8n.log');
		this.server = spawnService(NODE_BIN, [N8N_BIN, 'start'], {
			cwd: this.userFolder,
			env: this.env(),
			logFile,
			name: 'n8n',
		});
		const started = Date.now();
		for (;;) {
			if (this.server.exitCode !== null || this.server.signalCode !== null) {
				throw new Error(
					`n8n exited during start-up (code ${this.server.exitCode}); log:\n${tailFile(logFile, 40)}`,
				);
			}
			try {
				const res = await fetchText(`${this.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
				if (res.status === 200) break;
			} catch {
				/* not listening yet */
			}
			if (Date.now() - started > timeoutMs)
				throw new Error(`n8n not ready after ${timeoutMs} ms; log:\n${tailFile(logFile, 40)}`);
			await sleep(500);
		}
		return Date.now() - started;
	}

	async stop() {
		if (this.server) await stopChild(this.server, 15000);
		this.server = null;
	}

	async rest(method, p, body, { headers = {}, okStatuses } = {}) {
		const h = { 'content-type': 'application/json', ...headers };
		if (this.cookie) h.cookie = this.cookie;
		const res = await fetchText(`${this.baseUrl}${p}`, {
			method,
			headers: h,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
		for (const c of setCookie) if (c.startsWith('n8n-auth=')) this.cookie = c.split(';')[0];
		let json = null;
		try {
			json = JSON.parse(res.text);
		} catch {
			/* not JSON */
		}
		if (okStatuses ? !okStatuses.includes(res.status) : res.status >= 400) {
			const err = new Error(`${method} ${p} -> ${res.status} ${res.text.slice(0, 300)}`);
			err.status = res.status;
			throw err;
		}
		return { status: res.status, json, text: res.text };
	}

	/** Owner setup (first run only) + login; returns the session cookie. */
	async ensureOwnerAndLogin({ email, password, firstName = 'Demo', lastName = 'User' }) {
		const setup = await this.rest(
			'POST',
			'/rest/owner/setup',
			{ email, firstName, lastName, password },
			{
				okStatuses: [200, 400, 403],
			},
		);
		this.ownerCreated = setup.status === 200;
		this.cookie = null;
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		return this.cookie;
	}

	/** Create a public API key (after login). */
	async createApiKey(label = `rh-${Date.now()}`) {
		const scopes = [
			'workflow:read',
			'workflow:list',
			'workflow:create',
			'workflow:update',
			'workflow:activate',
			'workflow:deactivate',
			'execution:read',
			'execution:list',
			'credential:create',
		];
		const r = await this.rest('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = r.json.data.rawApiKey;
		return this.apiKey;
	}

	async publicApi(method, p, body) {
		const res = await fetchText(`${this.baseUrl}/api/v1${p}`, {
			method,
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		let json = null;
		try {
			json = JSON.parse(res.text);
		} catch {
			/* not JSON */
		}
		if (res.status >= 400)
			throw new Error(`public API ${method} ${p} -> ${res.status} ${res.text.slice(0, 300)}`);
		return json;
	}
}

/** `n8n execute --rawOutput` prints log lines, then the run data as JSON: take the last JSON object. */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!lines[i].startsWith('{')) continue;
		try {
			return JSON.parse(lines.slice(i).join('\n'));
		} catch {
			/* a log line that happens to start with { */
		}
	}
	return null;
}

function tailFile(file, n) {
	try {
		return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n');
	} catch {
		return '(no log)';
	}
}

/** fetch() with a timeout; resolves { status, headers, text }. */
async function fetchText(url, { method = 'GET', headers, body, timeoutMs = 30000 } = {}) {
	const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
	return { status: res.status, headers: res.headers, text: await res.text() };
}

// ------------------------------------------------------------------------------------ simulator
/**
 * Start the RunningHub simulator (test/simulator/cli.ts through ts-node) on 127.0.0.1:port and wait
 * until its control API answers.
 */
async function startSimulator({ port, logFile, extraArgs = [], env = {} }) {
	const cli = path.join(REPO, 'test', 'simulator', 'cli.ts');
	if (!fs.existsSync(cli))
		throw new Error(`${cli} does not exist (the simulator is not in this checkout)`);
	const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [REPO] });
	const child = spawnService(
		process.execPath,
		[tsNode, '--transpile-only', cli, '--port', String(port), ...extraArgs],
		{ cwd: REPO, env: { ...process.env, ...env }, logFile, name: 'simulator' },
	);
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`simulator exited (code ${child.exitCode}); log:\n${tailFile(logFile, 30)}`);
		try {
			const r = await fetchText(`${url}/__sim/state`, { timeoutMs: 2000 });
			if (r.status === 200) break;
		} catch {
			/* not yet */
		}
		if (Date.now() - started > 60000)
			throw new Error(`simulator not ready after 60 s; log:\n${tailFile(logFile, 30)}`);
		await sleep(300);
	}
	child.url = url;
	return child;
}

/** Simulator test keys (test/simulator/keys.ts), read without compiling TypeScript. */
function simulatorKeys() {
	const file = path.join(REPO, 'test', 'simulator', 'keys.ts');
	const keys = {};
	try {
		const src = fs.readFileSync(file, 'utf8');
		const re = /export\s+const\s+(SIM_KEY_\w+)\s*(?::\s*\w+\s*)?=\s*['"`]([^'"`]+)['"`]/g;
		let m;
		while ((m = re.exec(src))) keys[m[1]] = m[2];
	} catch {
		/* no simulator */
	}
	return keys;
}

// -------------------------------------------------------------------------------- credentials
const CREDENTIAL_ID = 'rhDemoCredential1';
const CREDENTIAL_NAME = 'RunningHub account';

/**
 * The credential every example workflow references. Against the simulator unless RUNNINGHUB_API_KEY
 * is set (then the real site from RUNNINGHUB_SITE, default https://www.runninghub.ai).
 */
function credentialFor({ simulatorUrl, simulatorKey }) {
	if (process.env.RUNNINGHUB_API_KEY) {
		const site = (process.env.RUNNINGHUB_SITE || 'https://www.runninghub.ai').replace(/\/+$/, '');
		const known = ['https://www.runninghub.ai', 'https://www.runninghub.cn'];
		return {
			id: CREDENTIAL_ID,
			name: CREDENTIAL_NAME,
			type: 'runningHubApi',
			data: known.includes(site)
				? { apiKey: process.env.RUNNINGHUB_API_KEY, site }
				: { apiKey: process.env.RUNNINGHUB_API_KEY, site: 'custom', customBaseUrl: site },
		};
	}
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: 'runningHubApi',
		data: { apiKey: simulatorKey, site: 'custom', customBaseUrl: simulatorUrl },
	};
}

// ---------------------------------------------------------------------------------- workflows
const EXAMPLES_DIR = path.join(REPO, 'examples');

/** Example workflow files: [{ file, id, name, active, hasManualTrigger, json }]. */
function listWorkflows(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const file = path.join(dir, f);
			const json = readJson(file);
			return {
				file,
				id: json.id,
				name: json.name,
				active: !!json.active,
				hasManualTrigger: (json.nodes || []).some((n) => n.type === 'n8n-nodes-base.manualTrigger'),
				json,
			};
		});
}

function sha1(s) {
	return crypto.createHash('sha1').update(s).digest('hex');
}

module.exports = {
	REPO,
	CACHE,
	N8N_VERSION,
	NODE_BIN,
	N8N_BIN,
	PACKAGE_NAME,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	EXAMPLES_DIR,
	log,
	elapsed,
	sleep,
	run,
	runOrThrow,
	spawnService,
	stopChild,
	cleanupAll,
	installSignalHandlers,
	isPortFree,
	findFreePorts,
	ensureRuntime,
	runtimeReady,
	runtimeEnv,
	buildPackage,
	packPackage,
	installPackage,
	N8nInstance,
	parseExecuteOutput,
	fetchText,
	tailFile,
	startSimulator,
	simulatorKeys,
	credentialFor,
	listWorkflows,
	sha1,
};
