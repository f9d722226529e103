'use strict';
/** The RunningHub simulator (test/simulator/) as a background service for n8n to talk to. */
const fs = require('fs');
const path = require('path');
const { REPO } = require('./paths');
const { sleep, tailFile } = require('./log');
const { spawnService } = require('./processes');
const { fetchText } = require('./net');

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

module.exports = { startSimulator, simulatorKeys };
