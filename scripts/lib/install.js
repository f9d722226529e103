'use strict';
/**
 * Installs the runtime (Node 24 and n8n) into the cache folder, one install at a time, and makes
 * sure it can really run before it is used: see readiness.js for the checks and repairs.
 *
 * Install scripts always run here. n8n's database driver (sqlite3) is a native module built by its
 * install script; the repository's .npmrc turns scripts off for the package's own dev dependencies,
 * npm exports that to every child process as npm_config_ignore_scripts=true, and a user's ~/.npmrc
 * may say the same. So the runtime's npm commands get a clean environment and an explicit
 * --ignore-scripts=false (the command line beats every config file and variable).
 */
const fs = require('fs');
const path = require('path');
const cp = require('child_process');
const {
	DEFAULT_LAYOUT,
	N8N_VERSION,
	NODE_RUNTIME_VERSION,
	NODE_PKG,
	readJson,
} = require('./paths');
const { log, elapsed, sleep, tailFile } = require('./log');
const { children, isAlive } = require('./processes');

/** npm settings a person may pass through the environment that the runtime install still honours. */
const NETWORK_NPM_CONFIG =
	/^npm_config_(registry|proxy|https_proxy|http_proxy|noproxy|cafile|ca|strict_ssl|cache|userconfig|fetch_\w+)$/i;

/**
 * Environment for the runtime's npm and n8n processes: Node 24 first on PATH, native addons compiled
 * against Node 24's headers, and none of the npm settings of the command that started us (npm run
 * exports the repository's own config, e.g. ignore-scripts and local-prefix) except network ones.
 */
function runtimeEnv(extra = {}, layout = DEFAULT_LAYOUT) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		const fromNpmRun =
			/^npm_(lifecycle|package)_/i.test(key) ||
			['npm_command', 'npm_execpath', 'npm_node_execpath', 'INIT_CWD'].includes(key) ||
			(/^npm_config_/i.test(key) && !NETWORK_NPM_CONFIG.test(key));
		if (!fromNpmRun) env[key] = value;
	}
	Object.assign(env, extra);
	env.PATH = `${path.dirname(layout.nodeBin)}${path.delimiter}${process.env.PATH || ''}`;
	env.npm_config_nodedir = layout.nodeDir; // ~/.npmrc may say nodedir=/usr (the machine's Node)
	env.npm_config_ignore_scripts = 'false';
	return env;
}

/** Flags of every npm command that installs or rebuilds the runtime. */
const RUNTIME_NPM_FLAGS = ['--ignore-scripts=false', '--loglevel=info', '--no-audit', '--no-fund'];

function installedVersion(packageDir) {
	try {
		return readJson(path.join(packageDir, 'package.json')).version;
	} catch {
		return null;
	}
}

/** Cheap file-level view (no process started): install.ok written and the right versions present. */
function runtimeReady(layout = DEFAULT_LAYOUT) {
	if (!fs.existsSync(layout.installOk) || !fs.existsSync(layout.nodeBin)) return false;
	if (!fs.existsSync(layout.n8nBin)) return false;
	return installedVersion(layout.n8nPackageDir) === N8N_VERSION;
}

function countDir(dir) {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

/**
 * What npm is doing, read from its --loglevel=info log: fetching manifests (resolving the tree),
 * fetching tarballs, or running install scripts (which one, since when). `seen` keeps the time a
 * script was first seen running between two calls.
 */
function npmPhase(logFile, seen = new Map()) {
	let text = '';
	try {
		text = fs.readFileSync(logFile, 'utf8');
	} catch {
		return 'starting npm';
	}
	let manifests = 0;
	let tarballs = 0;
	let scriptsDone = 0;
	const running = new Set();
	for (const line of text.split('\n')) {
		let m = /^npm http (?:fetch GET \d+|cache \S+@)\s*(\S+)/.exec(line);
		if (m) {
			if (/\/-\/[^/]+\.tgz$/.test(m[1])) tarballs++;
			else manifests++;
			continue;
		}
		m = /^npm info run (\S+) (\w+) (.*)$/.exec(line);
		if (m) {
			const id = `${m[1]} ${m[2]}`;
			if (m[3].startsWith('{ code')) {
				running.delete(id);
				scriptsDone++;
			} else running.add(id);
		}
	}
	for (const id of [...seen.keys()]) if (!running.has(id)) seen.delete(id);
	for (const id of running) if (!seen.has(id)) seen.set(id, Date.now());
	if (running.size || scriptsDone) {
		const now = [...running].map((id) => `${id} for ${elapsed(seen.get(id))}`).join(', ');
		return `running install scripts (${scriptsDone} done)${now ? `: ${now}` : ''}`;
	}
	if (tarballs) return `downloading and unpacking packages: ${tarballs} fetched`;
	if (manifests) return `resolving the dependency tree: ${manifests} package manifests fetched`;
	return 'starting npm';
}

/** Run an npm command with its output in `logFile`, printing elapsed time and npm's phase. */
async function runNpmWithProgress(label, args, { cwd, env, logFile, everyMs = 15000 }) {
	const started = Date.now();
	const out = fs.openSync(logFile, 'w');
	const child = cp.spawn('npm', args, { cwd, env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	children.add(child);
	const seen = new Map();
	const timer = setInterval(
		() => log(`  … ${label}: ${elapsed(started)}, ${npmPhase(logFile, seen)}`),
		everyMs,
	);
	const code = await new Promise((resolve) => {
		child.on('error', () => resolve(127));
		child.on('exit', (c) => resolve(c === null ? 1 : c));
	});
	clearInterval(timer);
	children.delete(child);
	if (code !== 0) {
		throw new Error(`${label} failed (exit ${code}); see ${logFile}\n${tailFile(logFile, 40)}`);
	}
	log(`  ${label}: done in ${elapsed(started)}`);
}

/** Lock with a pid inside; a lock whose pid is dead is stale and taken over. */
async function acquireInstallLock(layout) {
	fs.mkdirSync(layout.cache, { recursive: true });
	let waitingSince = null;
	let lastMessage = 0;
	const seen = new Map();
	for (;;) {
		try {
			const fd = fs.openSync(layout.installLock, 'wx');
			fs.writeSync(fd, String(process.pid));
			fs.closeSync(fd);
			return () => {
				try {
					if (fs.readFileSync(layout.installLock, 'utf8').trim() === String(process.pid))
						fs.unlinkSync(layout.installLock);
				} catch {
					/* gone */
				}
			};
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let pid = NaN;
		try {
			pid = parseInt(fs.readFileSync(layout.installLock, 'utf8'), 10);
		} catch {
			continue; // removed meanwhile
		}
		if (!pid || !isAlive(pid)) {
			log(`removing stale install lock (pid ${pid} is gone)`);
			try {
				fs.unlinkSync(layout.installLock);
			} catch {
				/* someone else did */
			}
			continue;
		}
		waitingSince = waitingSince || Date.now();
		if (Date.now() - lastMessage > 15000) {
			lastMessage = Date.now();
			log(
				`another install (pid ${pid}) holds ${layout.installLock}; waiting ${elapsed(waitingSince)}; ` +
					`it is ${npmPhase(layout.n8nInstallLog, seen)} ` +
					`(${countDir(path.join(layout.n8nDir, 'node_modules'))} entries in node_modules)`,
			);
		}
		await sleep(2000);
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
			if (!/npm(-cli\.js)? (install|i|ci|rebuild)\b/.test(cmd) && !/^npm install/.test(cmd))
				continue;
			if (fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dir)) return true;
		} catch {
			/* process ended or not ours to read */
		}
	}
	return false;
}

/**
 * An install started without our lock (e.g. by hand) is recognised by a growing n8n-install.log and
 * an npm process in the n8n folder: wait for it instead of starting a second one.
 */
async function waitForForeignInstall(layout) {
	let lastMessage = 0;
	const since = Date.now();
	for (;;) {
		if (runtimeReady(layout)) return;
		let age = Infinity;
		try {
			age = Date.now() - fs.statSync(layout.n8nInstallLog).mtimeMs;
		} catch {
			return;
		}
		if (!(age < 120000 && npmInstallRunningIn(layout.n8nDir))) return;
		if (Date.now() - lastMessage > 15000) {
			lastMessage = Date.now();
			log(`an n8n install is already running in ${layout.n8nDir}; waiting ${elapsed(since)}`);
		}
		await sleep(3000);
	}
}

const SCRIPTS_NOTE =
	'install scripts on (--ignore-scripts=false: no .npmrc or npm_config_ignore_scripts turns them off here)';

async function installNode(layout) {
	log(
		`installing ${NODE_PKG}@${NODE_RUNTIME_VERSION} from the npm registry into ${layout.cache}/node`,
	);
	const dir = path.join(layout.cache, 'node');
	fs.mkdirSync(dir, { recursive: true });
	const pj = path.join(dir, 'package.json');
	if (!fs.existsSync(pj)) fs.writeFileSync(pj, '{"private":true}\n');
	await runNpmWithProgress(
		`npm install ${NODE_PKG}`,
		['install', ...RUNTIME_NPM_FLAGS, `${NODE_PKG}@${NODE_RUNTIME_VERSION}`],
		{ cwd: dir, env: runtimeEnv({}, layout), logFile: layout.nodeInstallLog },
	);
}

async function installN8n(layout, { fresh = false } = {}) {
	if (fresh) {
		log(`removing ${layout.n8nDir} to install n8n again from scratch`);
		fs.rmSync(layout.n8nDir, { recursive: true, force: true });
	}
	log(
		`installing n8n@${N8N_VERSION} into ${layout.n8nDir}: about 6 minutes on a fresh machine ` +
			`(sqlite3 and librdkafka are compiled); ${SCRIPTS_NOTE}; log: ${layout.n8nInstallLog}`,
	);
	fs.mkdirSync(layout.n8nDir, { recursive: true });
	const pj = path.join(layout.n8nDir, 'package.json');
	if (!fs.existsSync(pj)) fs.writeFileSync(pj, '{"name":"n8n-runtime","private":true}\n');
	await runNpmWithProgress(
		`npm install n8n@${N8N_VERSION}`,
		['install', ...RUNTIME_NPM_FLAGS, `n8n@${N8N_VERSION}`],
		{
			cwd: layout.n8nDir,
			// CKJS_LINKING=dynamic: @confluentinc/kafka-javascript builds librdkafka without
			// downloading zlib/openssl/zstd/curl from the internet.
			env: runtimeEnv({ CKJS_LINKING: 'dynamic', SCARF_ANALYTICS: 'false' }, layout),
			logFile: layout.n8nInstallLog,
		},
	);
}

/** `npm rebuild <module>` in the n8n folder, scripts on, against Node 24's headers. */
async function rebuildModule(layout, moduleName) {
	log(`rebuilding ${moduleName} for Node 24 (npm rebuild ${moduleName}; ${SCRIPTS_NOTE})`);
	await runNpmWithProgress(
		`npm rebuild ${moduleName}`,
		['rebuild', ...RUNTIME_NPM_FLAGS, moduleName],
		{ cwd: layout.n8nDir, env: runtimeEnv({}, layout), logFile: layout.repairLog },
	);
}

module.exports = {
	runtimeEnv,
	runtimeReady,
	installedVersion,
	npmPhase,
	acquireInstallLock,
	waitForForeignInstall,
	installNode,
	installN8n,
	rebuildModule,
};
