'use strict';
/**
 * "n8n can really run here", checked on a runtime cache folder. Each problem names what is wrong
 * and the repair that fixes it:
 *
 *   node      Node 24 is missing or does not start                    -> install Node again
 *   n8n       n8n is missing or another version                       -> install n8n again
 *   sqlite3   n8n's database driver does not load under Node 24        -> npm rebuild sqlite3
 *             (e.g. its install script never ran, or it was built for another Node)
 *   database  a throw-away n8n user folder cannot open its database    -> install n8n again
 *
 * The first three take well under a second and run on every start; the last one starts the n8n CLI
 * (its database migrations included) and runs before install.ok is written.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { N8N_VERSION, DEFAULT_LAYOUT } = require('./paths');
const { run } = require('./processes');
const { runtimeEnv, installedVersion } = require('./install');

/** Loads sqlite3 the way n8n's database layer does and opens a database file with it. */
const SQLITE_PROBE = `
const path = require('path');
const file = path.join(process.argv[2], 'probe.sqlite');
const sqlite3 = require(require.resolve('sqlite3', { paths: [process.argv[1]] }));
const db = new sqlite3.Database(file, (openError) => {
	if (openError) throw openError;
	db.get('SELECT sqlite_version() AS version', (queryError, row) => {
		if (queryError) throw queryError;
		console.log(row.version);
		db.close();
	});
});`;

function firstLines(text, n = 3) {
	return String(text || '')
		.trim()
		.split('\n')
		.filter((line) => line.trim())
		.slice(0, n)
		.join(' | ');
}

async function checkNode(layout) {
	if (!fs.existsSync(layout.nodeBin)) {
		return {
			part: 'node',
			repair: 'install-node',
			missing: true,
			message: `Node 24 is missing (${layout.nodeBin})`,
		};
	}
	const r = await run(layout.nodeBin, ['--version'], { timeoutMs: 30000 });
	const version = r.stdout.trim();
	if (r.code !== 0 || !version.startsWith('v24.')) {
		return {
			part: 'node',
			repair: 'install-node',
			message: `${layout.nodeBin} is not a working Node 24 (${version || firstLines(r.stderr)})`,
		};
	}
	return null;
}

function checkN8n(layout) {
	const version = installedVersion(layout.n8nPackageDir);
	if (version !== N8N_VERSION || !fs.existsSync(layout.n8nBin)) {
		return {
			part: 'n8n',
			repair: 'install-n8n',
			missing: !version,
			message: version
				? `n8n ${version} is installed, ${N8N_VERSION} is needed`
				: `n8n is not installed in ${layout.n8nDir}`,
		};
	}
	return null;
}

async function checkSqliteDriver(layout) {
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-sqlite-probe-'));
	try {
		const r = await run(layout.nodeBin, ['-e', SQLITE_PROBE, layout.n8nPackageDir, scratch], {
			cwd: scratch,
			env: runtimeEnv({}, layout),
			timeoutMs: 60000,
		});
		if (r.code === 0 && /^\d+\.\d+/.test(r.stdout.trim())) return null;
		const errorLine = r.stderr.split('\n').find((line) => /^\s*\w*Error\b/.test(line));
		const why = (errorLine || firstLines(r.stderr) || `exit ${r.code}`).trim().slice(0, 240);
		return {
			part: 'sqlite3',
			repair: 'rebuild-sqlite3',
			message: `n8n's database driver (sqlite3) does not load under Node 24: ${why}`,
		};
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** `n8n list:workflow` on an empty user folder: n8n starts, creates its database and migrates it. */
async function checkDatabaseOpens(layout) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-n8n-probe-'));
	try {
		const env = runtimeEnv(
			{
				N8N_USER_FOLDER: userFolder,
				N8N_ENCRYPTION_KEY: 'readiness-probe',
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_DISABLED_MODULES: 'mcp-registry',
				DB_TYPE: 'sqlite',
			},
			layout,
		);
		delete env.N8N_CUSTOM_EXTENSIONS;
		const r = await run(layout.nodeBin, [layout.n8nBin, 'list:workflow'], {
			cwd: userFolder,
			env,
			timeoutMs: 300000,
		});
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		if (r.code === 0 && fs.existsSync(database)) return null;
		const output = `${r.stdout}\n${r.stderr}`;
		const reason =
			output
				.split('\n')
				.find((line) => /error|failed|not been found|cannot/i.test(line))
				?.trim() || `exit ${r.code}`;
		return {
			part: 'database',
			repair: 'install-n8n',
			message: `n8n could not open a new SQLite database in a throw-away user folder: ${reason}`,
		};
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

/**
 * Problems of the runtime in `layout` (empty when n8n can run). `openDatabase` adds the n8n CLI
 * check (tens of seconds); the rest stop at the first missing piece, since later checks need it.
 */
async function checkRuntime(layout = DEFAULT_LAYOUT, { openDatabase = false } = {}) {
	const node = await checkNode(layout);
	if (node) return [node];
	const n8n = checkN8n(layout);
	if (n8n) return [n8n];
	const driver = await checkSqliteDriver(layout);
	if (driver) return [driver];
	if (openDatabase) {
		const database = await checkDatabaseOpens(layout);
		if (database) return [database];
	}
	return [];
}

function describeProblems(problems) {
	return problems.map((p) => p.message).join('; ');
}

module.exports = { checkRuntime, describeProblems };
