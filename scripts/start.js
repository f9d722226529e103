#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a real n8n (2.41) with this package installed, the demo workflows imported, and the
 * RunningHub simulator behind a ready-made credential (or the real RunningHub when
 * RUNNINGHUB_API_KEY is set). Runs until Ctrl-C, then stops everything it started.
 *
 * Environment:
 *   RUNNINGHUB_API_KEY   use the real RunningHub with this key instead of the simulator
 *   RUNNINGHUB_SITE      https://www.runninghub.ai (default) | https://www.runninghub.cn | another base URL
 *   PORT                 n8n port on 127.0.0.1 (default 5678)
 *   RH_SIM_PORT          simulator port (default 5700, or the next free one)
 *   OPENAI_API_KEY       the AI Agent demo's "OpenAI account" uses the real OpenAI with this key
 *                        (otherwise a local fake OpenAI-compatible model, port RH_MODEL_PORT, default 5710)
 *   RH_N8N_CACHE         where Node 24 and n8n live (default ~/.cache/n8n-runninghub)
 *   RH_STATE_DIR         the n8n state (user folder) and logs (default <cache>/start-home, <cache>/start-logs)
 *   WEBHOOK_URL          public base URL of n8n, if RunningHub must reach it (e.g. a tunnel)
 *   RH_N8N_EMAIL / RH_N8N_PASSWORD   owner login (default demo@example.com / RunningHub1)
 *   RH_RESET=1           start from an empty n8n state (deletes the state folder)
 *   RH_REIMPORT_EXAMPLES=1  re-import all demo workflows (overwrites your edits of them)
 *   RH_SKIP_BUILD=1      do not run `npm run build` first
 *   RH_QUEUE=1 (or `npm start -- --queue`)  n8n in queue mode instead: Postgres, Redis, main, 2 workers
 *                        and a webhook processor (scripts/start-queue.js)
 */
const fs = require('fs');
const path = require('path');
const rt = require('./lib/runtime');
const session = require('./lib/session');

const log = rt.log;

async function main() {
	if (process.env.RH_QUEUE === '1' || process.argv.includes('--queue'))
		return require('./start-queue').startQueue();
	const demo = session.demoSession();
	const { port, email, password, realMode } = demo;
	const stateDir = process.env.RH_STATE_DIR && path.resolve(process.env.RH_STATE_DIR);
	const home = stateDir || path.join(rt.CACHE, 'start-home');
	const logDir = stateDir ? path.join(stateDir, 'logs') : path.join(rt.CACHE, 'start-logs');

	await session.requireFreePort(port);

	// 1. build + runtime
	await rt.buildPackage();
	await rt.ensureRuntime();

	// 2. state folder
	if (process.env.RH_RESET === '1') {
		log(`RH_RESET=1: deleting ${home}`);
		fs.rmSync(home, { recursive: true, force: true });
	}
	fs.mkdirSync(home, { recursive: true });
	fs.mkdirSync(logDir, { recursive: true });

	const brokerPort = (await rt.findFreePorts(port === 5678 ? 5679 : port + 1, 1))[0];
	const n8n = new rt.N8nInstance({
		userFolder: home,
		port,
		brokerPort,
		encryptionKey: 'n8n-nodes-runninghub-local-dev',
		webhookUrl: process.env.WEBHOOK_URL,
		logDir,
	});

	// 3. simulator (unless the real RunningHub is used)
	const { sim, simKey } = await session.startDemoSimulator(demo, {
		logFile: path.join(logDir, 'simulator.log'),
	});

	// 4. package, credential, demo workflows
	const packed = await rt.packPackage();
	await rt.installPackage(home, packed);
	log(`installed ${packed.name}@${packed.version} (${packed.files} files) into ${home}/.n8n/nodes`);

	const { cred, modelCred } = await session.demoCredentials({ sim, simKey });
	await n8n.importCredentials([cred, modelCred]);
	log(
		`credential "${cred.name}" (${cred.id}) -> ${cred.data.site === 'custom' ? cred.data.customBaseUrl : cred.data.site}`,
	);

	const stateFile = path.join(home, 'imported-examples.json');
	let imported = {};
	try {
		imported = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	} catch {
		/* first run */
	}
	const examples = rt.listWorkflows();
	const toImport = examples.filter(
		(w) =>
			process.env.RH_REIMPORT_EXAMPLES === '1' ||
			imported[w.id] !== rt.sha1(JSON.stringify(w.json)),
	);
	if (toImport.length) {
		await n8n.importWorkflows(toImport.map((w) => w.file));
		for (const w of toImport) {
			if (w.active) await n8n.publishWorkflow(w.id);
			imported[w.id] = rt.sha1(JSON.stringify(w.json));
		}
		fs.writeFileSync(stateFile, JSON.stringify(imported, null, 2));
		log(`imported ${toImport.length} demo workflow(s): ${toImport.map((w) => w.name).join('; ')}`);
	} else if (examples.length) {
		log(
			`${examples.length} demo workflows already imported (unchanged; RH_REIMPORT_EXAMPLES=1 to overwrite)`,
		);
	}

	// 5. n8n
	log(`starting n8n on ${n8n.baseUrl} (log ${path.join(logDir, 'n8n.log')})`);
	const readyMs = await n8n.start();
	log(`n8n ready after ${Math.round(readyMs / 1000)} s`);
	let loginOk = true;
	try {
		await n8n.ensureOwnerAndLogin({ email, password });
	} catch (e) {
		loginOk = false;
		log(
			`could not log in as ${email} (${e.message.split('\n')[0]}); the owner of ${home} has another password (RH_RESET=1 starts over)`,
		);
	}

	const line = '─'.repeat(72);
	console.log(`\n${line}`);
	console.log(
		`  n8n ${rt.N8N_VERSION} with ${packed.name}@${packed.version} is running (ready in ${rt.elapsed(demo.t0)})\n`,
	);
	console.log(`  Editor:    http://127.0.0.1:${port}/`);
	if (loginOk) {
		console.log(`  Email:     ${email}`);
		console.log(`  Password:  ${password}`);
	}
	console.log(
		`  Workflows: ${examples.map((w) => w.name).join('\n             ') || '(none in examples/)'}`,
	);
	console.log(
		`  Credential: "${cred.name}" -> ${realMode ? (cred.data.site === 'custom' ? cred.data.customBaseUrl : cred.data.site) : `simulator ${sim.url}`}`,
	);
	console.log(
		`  Webhooks:  ${n8n.webhookUrl}${realMode && !process.env.WEBHOOK_URL ? '  (not reachable by RunningHub: set WEBHOOK_URL to a public URL for callbacks)' : ''}`,
	);
	console.log(
		`  Model:     "${modelCred.name}" (AI Agent demo) -> ${modelCred.data.url || 'OpenAI (OPENAI_API_KEY)'}`,
	);
	console.log(`  Logs:      ${logDir}`);
	console.log(`\n  Press Ctrl-C to stop.`);
	console.log(`${line}\n`);

	// 6. keep running; if n8n or the simulator dies, stop the rest
	await session.untilOneExits(demo, [n8n.server, sim]);
	await rt.cleanupAll();
	process.exit(1);
}

main().catch((e) => session.failAndStop('npm start', e));
