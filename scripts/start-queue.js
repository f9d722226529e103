'use strict';
/**
 * `RH_QUEUE=1 npm start` (or `npm start -- --queue`): the demo in n8n's queue mode, the way n8n is
 * scaled out: Postgres and Redis started for the session, one main (editor) on PORT, 2 workers and
 * one webhook processor, the package installed on each, the demo workflows and the credential
 * imported. WEBHOOK_URL of every process is the webhook processor, so RunningHub's callbacks and
 * the /webhook-waiting/ resume calls go there. The state is fresh each time (Postgres in a
 * temporary folder). Ctrl-C stops everything.
 *
 * Environment (besides those of `npm start`): RH_QUEUE_WORKERS (2), RH_QUEUE_CONCURRENCY (10 per
 * worker), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390).
 */
const path = require('path');
const rt = require('./lib/runtime');
const { QueueStack } = require('./lib/queue');

const log = rt.log;

async function startQueue() {
	const t0 = Date.now();
	let shuttingDown = false;
	rt.installSignalHandlers(() => {
		shuttingDown = true;
	});
	const port = Number(process.env.PORT || 5678);
	const email = process.env.RH_N8N_EMAIL || 'demo@example.com';
	const password = process.env.RH_N8N_PASSWORD || 'RunningHub1';
	const realMode = !!process.env.RUNNINGHUB_API_KEY;
	if (!(await rt.isPortFree(port)))
		throw new Error(`port ${port} on 127.0.0.1 is in use; stop what runs there or set PORT`);

	await rt.buildPackage();
	await rt.ensureRuntime();
	const stack = new QueueStack({
		home: path.join(rt.CACHE, 'start-queue-home'),
		basePort: port,
		pgPort: Number(process.env.RH_QUEUE_PG_PORT || 5833),
		redisPort: Number(process.env.RH_QUEUE_REDIS_PORT || 6390),
		workers: Number(process.env.RH_QUEUE_WORKERS || 2),
		webhooks: 1,
		workerConcurrency: Number(process.env.RH_QUEUE_CONCURRENCY || 10),
		encryptionKey: 'n8n-nodes-runninghub-local-dev',
	});
	log('starting Postgres and Redis');
	await stack.prepare();
	if (stack.main.port !== port) throw new Error(`port ${port} is taken`);
	if (process.env.WEBHOOK_URL) {
		for (const p of stack.processes) p.webhookUrl = process.env.WEBHOOK_URL.replace(/\/?$/, '/');
	}

	let sim = null;
	let simKey = null;
	if (!realMode) {
		const simPort = (await rt.findFreePorts(Number(process.env.RH_SIM_PORT || 5700), 1))[0];
		sim = await rt.startSimulator({
			port: simPort,
			logFile: path.join(stack.logDir, 'simulator.log'),
		});
		const keys = rt.simulatorKeys();
		simKey = keys.SIM_KEY_SHARED || Object.values(keys)[0];
	}
	const packed = await rt.packPackage(rt.REPO, path.join(stack.home, 'pack'));
	await stack.installPackage(packed);
	log(
		`installed ${packed.name}@${packed.version} on main, ${stack.workers.length} workers and the webhook processor`,
	);
	const cred = rt.credentialFor({ simulatorUrl: sim && sim.url, simulatorKey: simKey });
	await stack.main.importCredentials([cred]);
	const examples = rt.listWorkflows();
	await stack.main.importWorkflows(examples.map((w) => w.file));
	for (const w of examples.filter((x) => x.active)) await stack.main.publishWorkflow(w.id);

	log('starting n8n: main, then workers and the webhook processor');
	await stack.start();
	await stack.main.ensureOwnerAndLogin({ email, password });

	const line = '─'.repeat(72);
	console.log(`\n${line}`);
	console.log(
		`  n8n ${rt.N8N_VERSION} in queue mode with ${packed.name}@${packed.version} (ready in ${rt.elapsed(t0)})\n`,
	);
	console.log(`  Editor:    ${stack.main.baseUrl}/   (${email} / ${password})`);
	console.log(
		`  Webhooks:  ${stack.webhooks[0].webhookUrl}webhook/…  and  …webhook-waiting/…  (webhook processor)`,
	);
	console.log(
		`  Workers:   ${stack.workers.map((w) => `${w.name} (health ${w.baseUrl}/healthz)`).join(', ')}`,
	);
	console.log(
		`  Postgres:  127.0.0.1:${stack.pgPort} (database n8n, user n8n)   Redis: 127.0.0.1:${stack.redisPort}`,
	);
	console.log(`  Credential: "${cred.name}" -> ${sim ? `simulator ${sim.url}` : 'RunningHub'}`);
	console.log(`  Logs:      ${stack.logDir}`);
	console.log(`\n  Press Ctrl-C to stop everything.`);
	console.log(`${line}\n`);

	await new Promise((resolve) => {
		for (const child of [
			...stack.processes.map((p) => p.server),
			stack.postgres.child,
			stack.redis.child,
			sim,
		]) {
			if (!child) continue;
			child.on('exit', (code, signal) => {
				if (shuttingDown) return;
				log(
					`${child.serviceName} exited (code ${code}, signal ${signal}); last log lines:\n${rt.tailFile(child.logFile, 20)}`,
				);
				resolve();
			});
		}
	});
	await stack.stop();
	await rt.cleanupAll();
	process.exit(1);
}

module.exports = { startQueue };

if (require.main === module) {
	startQueue().catch(async (e) => {
		console.error(`\nnpm start (queue mode) failed: ${e.message}`);
		await rt.cleanupAll();
		process.exit(1);
	});
}
