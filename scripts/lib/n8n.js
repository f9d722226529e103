'use strict';
/**
 * One real n8n: its CLI (import, publish, execute), `n8n start` with readiness, and its REST and
 * public APIs (owner set-up, login, API key).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { NODE_BIN, N8N_BIN, N8N_DIR } = require('./paths');
const { sleep, tailFile } = require('./log');
const { run, spawnService, stopChild } = require('./processes');
const { fetchText } = require('./net');
const { runtimeEnv } = require('./install');

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

module.exports = { N8nInstance, parseExecuteOutput };
