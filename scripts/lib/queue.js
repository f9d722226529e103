'use strict';
/**
 * n8n in queue mode on one machine, the way it is deployed at scale: Postgres (shared database) and
 * Redis (the job queue) as services of their own, one main process (editor, REST and public API,
 * schedules, wait tracker), workers that run the executions, and webhook processors that receive
 * /webhook/* and /webhook-waiting/* calls. Each n8n process has its own user folder with the
 * package installed the way the Community Nodes panel installs it, and all share one encryption key.
 *
 * Used by `npm run test:e2e:queue` (scripts/e2e-queue.js), `RH_QUEUE=1 npm start` and bench/queue.ts.
 * Postgres and Redis come from Debian's packages (installed with apt-get when missing and running as
 * root). Postgres refuses to run as root, so it runs as the `postgres` user (or a system user this
 * module creates), from a data folder made with initdb in a temporary folder.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const rt = require('./runtime');

const log = rt.log;
const PG_USER = 'n8n';
const PG_DATABASE = 'n8n';
const UNPRIVILEGED_USER = 'postgres';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

// ------------------------------------------------------------------------------ system packages
/** Folder holding Debian's Postgres server binaries (initdb, postgres, psql), newest version first. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs
			.readdirSync(base)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
	} catch {
		/* not installed */
	}
	for (const v of versions) {
		const dir = path.join(base, v, 'bin');
		if (['initdb', 'postgres', 'psql'].every((b) => fs.existsSync(path.join(dir, b)))) return dir;
	}
	return null;
}

function redisServerBin() {
	for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (fs.existsSync(p)) return p;
	return null;
}

/**
 * Postgres and Redis binaries; installs Debian's `postgresql` / `redis-server` with apt-get when one
 * is missing (root only). Package scripts do not start the system services in containers
 * (policy-rc.d); this module starts its own instances either way.
 */
async function ensureQueueServices() {
	let pgBin = postgresBinDir();
	let redisBin = redisServerBin();
	const missing = [];
	if (!pgBin) missing.push('postgresql');
	if (!redisBin) missing.push('redis-server');
	if (missing.length) {
		if (!isRoot())
			throw new Error(
				`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed; as root: apt-get install -y ${missing.join(' ')}`,
			);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// another apt-get may hold the dpkg lock for a while: wait for it instead of failing
		const lock = ['-o', 'DPkg::Lock::Timeout=900'];
		log(`installing ${missing.join(', ')} (apt-get update && apt-get install -y) …`);
		const started = Date.now();
		const up = await rt.run('apt-get', [...lock, 'update'], { env, timeoutMs: 900000 });
		if (up.code !== 0) throw new Error(`apt-get update failed: ${up.stderr.slice(-500)}`);
		const inst = await rt.run(
			'apt-get',
			[...lock, 'install', '-y', '--no-install-recommends', ...missing],
			{ env, timeoutMs: 900000 },
		);
		if (inst.code !== 0)
			throw new Error(`apt-get install ${missing.join(' ')} failed: ${inst.stderr.slice(-800)}`);
		log(`installed ${missing.join(', ')} in ${rt.elapsed(started)}`);
		pgBin = postgresBinDir();
		redisBin = redisServerBin();
		if (!pgBin || !redisBin) throw new Error('Postgres or Redis still missing after apt-get');
	}
	return { pgBin, redisBin };
}

// ------------------------------------------------------------------------------------- Postgres
/** uid/gid of the unprivileged user Postgres runs as when we are root (created if missing). */
async function unprivilegedUser() {
	const lookup = () => {
		const line = fs
			.readFileSync('/etc/passwd', 'utf8')
			.split('\n')
			.find((l) => l.startsWith(`${UNPRIVILEGED_USER}:`));
		if (!line) return null;
		const [, , uid, gid] = line.split(':');
		return { name: UNPRIVILEGED_USER, uid: Number(uid), gid: Number(gid) };
	};
	let user = lookup();
	if (!user) {
		await rt.runOrThrow('useradd', [
			'--system',
			'--user-group',
			'--no-create-home',
			'--shell',
			'/usr/sbin/nologin',
			UNPRIVILEGED_USER,
		]);
		user = lookup();
	}
	return user;
}

/** A command as the unprivileged user when we are root (setpriv keeps one process, no PAM). */
function asUser(user, bin, args) {
	if (!user) return [bin, args];
	return [
		'setpriv',
		[`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', bin, ...args],
	];
}

function tcpReady(port, { send, expect } = {}) {
	return new Promise((resolve) => {
		const sock = net.connect({ port, host: '127.0.0.1' });
		let buf = '';
		const done = (ok) => {
			sock.destroy();
			resolve(ok);
		};
		sock.setTimeout(2000, () => done(false));
		sock.on('error', () => done(false));
		sock.on('connect', () => {
			if (!send) return done(true);
			sock.write(send);
		});
		sock.on('data', (d) => {
			buf += d;
			if (buf.includes(expect)) done(true);
		});
	});
}

async function waitFor(what, child, probe, timeoutMs = 60000) {
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`${what} exited (code ${child.exitCode}); log:\n${rt.tailFile(child.logFile, 30)}`,
			);
		if (await probe()) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`${what} not ready after ${timeoutMs} ms; log:\n${rt.tailFile(child.logFile, 30)}`,
			);
		await rt.sleep(250);
	}
}

/**
 * initdb into `<dir>/pgdata` and run `postgres` on 127.0.0.1:port (durability off: test data),
 * then create the n8n database. Returns { child, port, env } where env is n8n's DB_* variables.
 */
async function startPostgres({ pgBin, port, dir, logDir }) {
	const user = isRoot() ? await unprivilegedUser() : null;
	const data = path.join(dir, 'pgdata');
	fs.rmSync(data, { recursive: true, force: true });
	fs.mkdirSync(data, { recursive: true, mode: 0o700 });
	if (user) {
		fs.chownSync(dir, user.uid, user.gid);
		fs.chownSync(data, user.uid, user.gid);
	}
	const [initCmd, initArgs] = asUser(user, path.join(pgBin, 'initdb'), [
		'-D',
		data,
		'-U',
		PG_USER,
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	await rt.runOrThrow(initCmd, initArgs, { cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
	const [cmd, args] = asUser(user, path.join(pgBin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		data,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=300',
	]);
	const child = rt.spawnService(cmd, args, {
		cwd: dir,
		env: { ...process.env, LC_ALL: 'C' },
		logFile: path.join(logDir, 'postgres.log'),
		name: 'postgres',
	});
	const psql = (sql, db = 'postgres') =>
		rt.run(
			path.join(pgBin, 'psql'),
			['-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', db, '-tAc', sql],
			{ env: { ...process.env, PGCONNECT_TIMEOUT: '3' }, timeoutMs: 20000 },
		);
	await waitFor('postgres', child, async () => (await psql('SELECT 1')).code === 0);
	const created = await psql(`CREATE DATABASE ${PG_DATABASE}`);
	if (created.code !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
	return {
		child,
		port,
		psql: (sql) => psql(sql, PG_DATABASE),
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: PG_DATABASE,
			DB_POSTGRESDB_USER: PG_USER,
			DB_POSTGRESDB_PASSWORD: '',
		},
	};
}

// ---------------------------------------------------------------------------------------- Redis
async function startRedis({ redisBin, port, dir, logDir }) {
	fs.mkdirSync(dir, { recursive: true });
	const child = rt.spawnService(
		redisBin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ cwd: dir, env: process.env, logFile: path.join(logDir, 'redis.log'), name: 'redis' },
	);
	await waitFor('redis', child, () => tcpReady(port, { send: 'PING\r\n', expect: '+PONG' }));
	return {
		child,
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
	};
}

// ------------------------------------------------------------------------------------- n8n roles
/**
 * One n8n process of the queue stack. `role` is 'main' (`n8n start`), 'worker' (`n8n worker`,
 * health server on `port`) or 'webhook' (`n8n webhook`). Readiness is /healthz/readiness on `port`.
 */
class QueueProcess extends rt.N8nInstance {
	constructor({ role, name, concurrency, ...opts }) {
		super(opts);
		this.role = role;
		this.name = name;
		this.concurrency = concurrency;
	}

	env() {
		const env = super.env();
		if (this.role === 'worker') {
			env.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			env.QUEUE_HEALTH_CHECK_PORT = String(this.port);
		}
		return env;
	}

	args() {
		if (this.role === 'worker') return ['worker', `--concurrency=${this.concurrency || 10}`];
		if (this.role === 'webhook') return ['webhook'];
		return ['start'];
	}

	async start({ timeoutMs = 240000 } = {}) {
		fs.mkdirSync(this.logDir, { recursive: true });
		const logFile = path.join(this.logDir, `${this.name}.log`);
		this.server = rt.spawnService(rt.NODE_BIN, [rt.N8N_BIN, ...this.args()], {
			cwd: this.userFolder,
			env: this.env(),
			logFile,
			name: this.name,
		});
		const started = Date.now();
		await waitFor(
			`n8n ${this.name}`,
			this.server,
			async () => {
				try {
					const r = await rt.fetchText(`${this.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
					return r.status === 200;
				} catch {
					return false;
				}
			},
			timeoutMs,
		);
		return Date.now() - started;
	}

	/** Log of this process so far (for "which worker ran execution N"). */
	logText() {
		try {
			return fs.readFileSync(
				this.server ? this.server.logFile : path.join(this.logDir, `${this.name}.log`),
				'utf8',
			);
		} catch {
			return '';
		}
	}
}

/**
 * The whole stack: Postgres, Redis, main, `workers` workers and `webhooks` webhook processors.
 * Ports: `basePort` and up for n8n (each process takes 2: HTTP/health and task broker).
 * WEBHOOK_URL of every process is the first webhook processor, as a load balancer would route it.
 */
class QueueStack {
	constructor({
		home,
		basePort = 5790,
		pgPort = 5833,
		redisPort = 6390,
		workers = 2,
		webhooks = 1,
		workerConcurrency = 10,
		encryptionKey = 'n8n-nodes-runninghub-queue',
		extraEnv = {},
	}) {
		this.home = home;
		this.logDir = path.join(home, 'logs');
		this.basePort = basePort;
		this.pgPort = pgPort;
		this.redisPort = redisPort;
		this.workerCount = workers;
		this.webhookCount = webhooks;
		this.workerConcurrency = workerConcurrency;
		this.encryptionKey = encryptionKey;
		this.extraEnv = extraEnv;
		this.main = null;
		this.workers = [];
		this.webhooks = [];
	}

	/** Postgres + Redis up; the n8n processes are created (not started) with their user folders. */
	async prepare() {
		const { pgBin, redisBin } = await ensureQueueServices();
		fs.rmSync(this.home, { recursive: true, force: true });
		fs.mkdirSync(this.logDir, { recursive: true });
		if (!(await rt.isPortFree(this.pgPort)))
			throw new Error(`port ${this.pgPort} (Postgres) is in use; set another one`);
		if (!(await rt.isPortFree(this.redisPort)))
			throw new Error(`port ${this.redisPort} (Redis) is in use; set another one`);
		const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-queue-pg-'));
		this.pgDir = pgDir;
		process.on('exit', () => fs.rmSync(pgDir, { recursive: true, force: true }));
		this.postgres = await startPostgres({
			pgBin,
			port: this.pgPort,
			dir: pgDir,
			logDir: this.logDir,
		});
		this.redis = await startRedis({
			redisBin,
			port: this.redisPort,
			dir: path.join(this.home, 'redis'),
			logDir: this.logDir,
		});
		const count = 1 + this.workerCount + this.webhookCount;
		const ports = await rt.findFreePorts(this.basePort, count * 2);
		const take = () => [ports.shift(), ports.shift()];
		const common = {
			...this.postgres.env,
			...this.redis.env,
			EXECUTIONS_MODE: 'queue',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// n8n's default pool of 2 connections answers bursts of webhooks with 503 "Database is not ready"
			DB_POSTGRESDB_POOL_SIZE: '10',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			QUEUE_BULL_PREFIX: 'rhqueue',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...this.extraEnv,
		};
		const webhookPorts = [];
		const mainPorts = take();
		const workerPorts = Array.from({ length: this.workerCount }, take);
		for (let i = 0; i < this.webhookCount; i++) webhookPorts.push(take());
		this.webhookUrl = `http://127.0.0.1:${webhookPorts[0][0]}/`;
		const make = (role, name, [port, brokerPort], extra = {}) =>
			new QueueProcess({
				role,
				name,
				concurrency: this.workerConcurrency,
				userFolder: path.join(this.home, name),
				port,
				brokerPort,
				encryptionKey: this.encryptionKey,
				webhookUrl: this.webhookUrl,
				logDir: this.logDir,
				extraEnv: { ...common, ...extra },
			});
		this.main = make('main', 'main', mainPorts);
		this.workers = workerPorts.map((p, i) => make('worker', `worker${i + 1}`, p));
		this.webhooks = webhookPorts.map((p, i) => make('webhook', `webhook${i + 1}`, p));
		return this;
	}

	get processes() {
		return [this.main, ...this.workers, ...this.webhooks];
	}

	/** Install the packed package into every process's user folder (Community Nodes panel layout). */
	async installPackage(packed) {
		for (const p of this.processes) await rt.installPackage(p.userFolder, packed);
	}

	/** Main first (it runs the database migrations), then workers and webhook processors together. */
	async start() {
		const mainMs = await this.main.start();
		log(`  main ready on ${this.main.baseUrl} after ${(mainMs / 1000).toFixed(1)} s`);
		const others = [...this.workers, ...this.webhooks];
		const times = await Promise.all(others.map((p) => p.start()));
		others.forEach((p, i) =>
			log(`  ${p.name} ready on ${p.baseUrl} after ${(times[i] / 1000).toFixed(1)} s`),
		);
	}

	/** Which process's log says it ran execution `id` ("Worker started execution <id>"). */
	workersThatRan(executionId) {
		const re = new RegExp(`Worker started execution ${executionId}\\b`);
		return this.workers.filter((w) => re.test(w.logText())).map((w) => w.name);
	}

	/** Stop everything: n8n processes first, then Redis and Postgres; remove the database folder. */
	async stop() {
		for (const p of [...this.webhooks, ...this.workers, this.main].filter(Boolean)) await p.stop();
		if (this.redis) await rt.stopChild(this.redis.child, 5000);
		if (this.postgres) await rt.stopChild(this.postgres.child, 10000);
		if (this.pgDir) fs.rmSync(this.pgDir, { recursive: true, force: true });
	}
}

module.exports = {
	QueueStack,
	QueueProcess,
	ensureQueueServices,
	startPostgres,
	startRedis,
	postgresBinDir,
	redisServerBin,
};
