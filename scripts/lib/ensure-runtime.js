'use strict';
/**
 * `ensureRuntime()`: a runtime cache n8n can really run from, before `npm start` or the
 * end-to-end suite uses it. Checked on every call (readiness.js); what is missing is installed,
 * what is broken is repaired, and install.ok is written only after n8n has opened a database.
 */
const fs = require('fs');
const { DEFAULT_LAYOUT, N8N_VERSION } = require('./paths');
const { log, elapsed } = require('./log');
const {
	installedVersion,
	acquireInstallLock,
	waitForForeignInstall,
	installNode,
	installN8n,
	rebuildModule,
} = require('./install');
const { checkRuntime, describeProblems } = require('./readiness');

function summary(layout) {
	return `node ${installedVersion(layout.nodeDir)}, n8n ${N8N_VERSION}`;
}

/**
 * Repairs `problems`: a missing piece is installed, a driver that does not load is rebuilt, and when
 * that is not enough n8n is installed again from scratch. Returns the problems left.
 */
async function repair(layout, problems) {
	const done = new Set();
	let left = problems;
	while (left.length) {
		const [problem] = left;
		let step = problem.repair;
		if (step === 'rebuild-sqlite3' && done.has(step)) step = 'reinstall-n8n';
		if (step === 'install-n8n' && problem.part !== 'n8n') step = 'reinstall-n8n';
		if (done.has(step)) return left;
		done.add(step);
		if (!problem.missing) log(`runtime problem: ${problem.message}`);
		if (step === 'install-node') await installNode(layout);
		else if (step === 'install-n8n') await installN8n(layout);
		else if (step === 'reinstall-n8n') await installN8n(layout, { fresh: true });
		else await rebuildModule(layout, 'sqlite3');
		left = await checkRuntime(layout, { openDatabase: true });
	}
	return left;
}

async function ensureRuntime(layout = DEFAULT_LAYOUT) {
	if (fs.existsSync(layout.installOk)) {
		const problems = await checkRuntime(layout);
		if (!problems.length) {
			log(`runtime: ${summary(layout)} (cached in ${layout.cache}; its SQLite driver loads)`);
			return;
		}
		log(
			`the runtime in ${layout.cache} cannot run n8n: ${describeProblems(problems)}; repairing it`,
		);
	}
	const started = Date.now();
	fs.mkdirSync(layout.cache, { recursive: true });
	await waitForForeignInstall(layout);
	const release = await acquireInstallLock(layout);
	try {
		let problems = await checkRuntime(layout);
		if (!problems.length && fs.existsSync(layout.installOk)) {
			log(`runtime: ${summary(layout)} (made ready meanwhile by another process)`);
			return;
		}
		fs.rmSync(layout.installOk, { force: true });
		if (!problems.length) problems = await checkRuntime(layout, { openDatabase: true });
		const left = problems.length ? await repair(layout, problems) : [];
		if (left.length) {
			throw new Error(
				`the runtime in ${layout.cache} cannot run n8n: ${describeProblems(left)}. ` +
					`Logs: ${layout.n8nInstallLog}, ${layout.repairLog}. Deleting ${layout.cache} starts over.`,
			);
		}
		fs.writeFileSync(
			layout.installOk,
			`${summary(layout)}, checked (SQLite driver loads, n8n opens a new database) ${new Date().toISOString()}\n`,
		);
		log(`runtime ready: ${summary(layout)}, checked (${elapsed(started)})`);
	} finally {
		release();
	}
}

module.exports = { ensureRuntime };
