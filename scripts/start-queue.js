'use strict';
/**
 * `RH_QUEUE=1 npm start` (or `npm start -- --queue`): the demo in n8n's queue mode, the way n8n is
 * scaled out: Postgres and Redis started for the session, one main (editor) on PORT, 2 workers and
 * one webhook processor, the package installed on each, the demo workflows and the credentials
 * imported. WEBHOOK_URL of every process is the webhook processor, so RunningHub's callbacks and
 * the /webhook-waiting/ resume calls go there. The state is fresh each time (Postgres in a
 * temporary folder, n8n's user folders and logs in <RH_STATE_DIR>/queue, default
 * <cache>/start-queue-home; the regular-mode state beside it is left alone). Ctrl-C stops everything.
 *
 * Environment (besides those of `npm start`): RH_QUEUE_WORKERS (2), RH_QUEUE_CONCURRENCY (10 per
 * worker), RH_QUEUE_PG_PORT (5833), RH_QUEUE_REDIS_PORT (6390).
 */
const path = require('path');
const rt = require('./lib/runtime');
const session = require('./lib/session');
const { QueueStack } = require('./lib/queue');

const log = rt.log;

async function startQueue() {
	const demo = session.demoSession();
	const { port, email, password } = demo;
	await session.requireFreePort(port);

	await rt.buildPackage();
	await rt.ensureRuntime();
	const stack = new QueueStack({
		home: process.env.RH_STATE_DIR
			? path.join(path.resolve(process.env.RH_STATE_DIR), 'queue')
			: path.join(rt.CACHE, 'start-queue-home'),
		basePort: port,
		pgPort: Number(process.env.RH_QUEUE_PG_PORT || 5833),
		redisPort: Number(process.env.RH_QUEUE_REDIS_PORT || 6390),
		workers: Number(process.env.RH_QUEUE_WORKERS || 2),
		webhooks: 1,
		workerConcurrency: Number(process.env.RH_QUEUE_CONCURRENCY || 10),
		encryptionKey: 'n8n-nodes-runninghub-local-dev',
	});
	const stopStack = () => stack.stop();
	try {
		await runStack(demo, stack, { port, email, password });
	} catch (e) {
		await session.failAndStop('npm start (queue mode)', e, stopStack);
	}
}

async function runStack(demo, stack, { port, email, password }) {
	log('starting Postgres and Redis');
	await stack.prepare();
	if (stack.main.port !== port) throw new Error(`port ${port} is taken`);
	if (process.env.WEBHOOK_URL) {
		for (const p of stack.processes) p.webhookUrl = process.env.WEBHOOK_URL.replace(/\/?$/, '/');
	}

	const { sim, simKey } = await session.startDemoSimulator(demo, {
		logFile: path.join(stack.logDir, 'simulator.log'),
	});
	const packed = await rt.packPackage(rt.REPO, path.join(stack.home, 'pack'));
	await stack.installPackage(packed);
	log(
		`installed ${packed.name}@${packed.version} on main, ${stack.workers.length} workers and the webhook processor`,
	);
	const { cred, modelCred } = await session.demoCredentials({ sim, simKey });
	await stack.main.importCredentials([cred, modelCred]);
	const examples = rt.listWorkflows();
	await stack.main.importWorkflows(examples.map((w) => w.file));
	for (const w of examples.filter((x) => x.active)) await stack.main.publishWorkflow(w.id);
	log(`imported ${examples.length} demo workflow(s): ${examples.map((w) => w.name).join('; ')}`);

	log('starting n8n: main, then workers and the webhook processor');
	await stack.start();
	await stack.main.ensureOwnerAndLogin({ email, password });

	const line = '─'.repeat(72);
	console.log(`\n${line}`);
	console.log(
		`  n8n ${rt.N8N_VERSION} in queue mode with ${packed.name}@${packed.version} (ready in ${rt.elapsed(demo.t0)})\n`,
	);
	console.log(`  Editor:    ${stack.main.baseUrl}/   (${email} / ${password})`);
	console.log(
		`  Webhooks:  ${stack.webhooks[0].webhookUrl}webhook/…  and  …webhook-waiting/…  (webhook processor)`,
	);
	console.log(
		`  Workers:   ${stack.workers.map((w) => `${w.name} (health ${w.baseUrl}/healthz)`).join(', ')}`,
	);
	console.log(
		`  Postgres:  127.0.0.1:${stack.pgPort} (database n8n, user n8n, data in ${stack.pgDir}, removed on exit)`,
	);
	console.log(`  Redis:     127.0.0.1:${stack.redisPort}`);
	console.log(`  Credential: "${cred.name}" -> ${sim ? `simulator ${sim.url}` : 'RunningHub'}`);
	console.log(
		`  Model:     "${modelCred.name}" (AI Agent demo) -> ${modelCred.data.url || 'OpenAI (OPENAI_API_KEY)'}`,
	);
	console.log(`  Logs:      ${stack.logDir}`);
	console.log(`\n  Press Ctrl-C to stop everything.`);
	console.log(`${line}\n`);

	await session.untilOneExits(demo, [
		...stack.processes.map((p) => p.server),
		stack.postgres.child,
		stack.redis.child,
		sim,
	]);
	await stack.stop();
	await rt.cleanupAll();
	process.exit(1);
}

module.exports = { startQueue };

if (require.main === module) startQueue();
