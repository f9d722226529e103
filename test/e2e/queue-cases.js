'use strict';
/**
 * Cases of the queue-mode end-to-end run (scripts/e2e-queue.js). Each starts executions the way
 * production does (a webhook processor receives the call, a worker runs the execution) and asserts
 * on n8n's public API and the simulator's records (tasks, polls, cancels, webhook deliveries).
 */
const flows = require('./queue-workflows');
const { triggerUrlPath } = require('./cases');

const TASK_ID = /^\d{19}$/;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Seconds the wait-limit case waits for its callback (n8n's wait tracker then resumes it). */
const WAIT_LIMIT_SECONDS = 3;
/**
 * "Timeout Workflow" of the timeout case: long enough for the submission on a busy machine, far
 * shorter than the task.
 */
const TIMEOUT_WORKFLOW_SECONDS = 20;

const WORKFLOWS = () => [
	flows.batchWorkflow(),
	flows.callbackWorkflow(),
	flows.waitLimitWorkflow(WAIT_LIMIT_SECONDS),
	flows.pollWorkflow(),
	flows.timeoutWorkflow(TIMEOUT_WORKFLOW_SECONDS),
	flows.triggerWorkflow(),
];

// ---------------------------------------------------------------------------------- simulator
async function sim(ctx, method, p, body) {
	const r = await fetch(`${ctx.sim.url}${p}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return r.json();
}
const simState = (ctx) => sim(ctx, 'GET', '/__sim/state');
const simReset = (ctx) => sim(ctx, 'POST', '/__sim/reset', {});
const simConfig = (ctx, cfg) => sim(ctx, 'POST', '/__sim/config', cfg);
async function simRequests(ctx, route) {
	const r = await sim(ctx, 'GET', '/__sim/requests');
	return (r.requests || []).filter((q) => !route || q.route === route);
}

const POLL_ROUTES = ['v2.query', 'v1.status', 'v1.outputs'];

/** Status requests for `taskId` so far (every way the node can ask whether a task ended). */
async function pollsOf(ctx, taskId) {
	const reqs = await simRequests(ctx);
	return reqs.filter(
		(q) => POLL_ROUTES.includes(q.route) && JSON.stringify(q.body || '').includes(taskId),
	).length;
}

/** Wait until the simulator holds exactly one task and it has been polled; returns its ID. */
async function polledTask(ctx, timeoutMs = 60000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const st = await simState(ctx);
		if (st.tasks.length === 1 && (await pollsOf(ctx, st.tasks[0].taskId)) >= 1)
			return st.tasks[0].taskId;
		await sleep(250);
	}
	throw new Error(`simulator: no task polled within ${timeoutMs} ms`);
}

/** Poll the simulator until `pred(state)` holds; returns the state. */
async function untilSim(ctx, what, pred, timeoutMs = 60000) {
	const started = Date.now();
	let st;
	while (Date.now() - started < timeoutMs) {
		st = await simState(ctx);
		if (pred(st)) return st;
		await sleep(250);
	}
	throw new Error(`simulator: ${what} did not happen within ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------- n8n
async function postWebhook(ctx, hookPath, body, processor = ctx.stack.webhooks[0]) {
	const res = await fetch(`${processor.baseUrl}/webhook/${hookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status >= 400)
		throw new Error(`${processor.name} /webhook/${hookPath} answered ${res.status} ${text}`);
	return text;
}

async function executions(ctx, workflowId, { includeData = false, status } = {}) {
	const q = [`workflowId=${workflowId}`, 'limit=100'];
	if (includeData) q.push('includeData=true');
	if (status) q.push(`status=${status}`);
	const r = await ctx.stack.main.publicApi('GET', `/executions?${q.join('&')}`);
	return r.data || [];
}

/** Highest execution id so far (for "executions started after this point"). */
async function lastExecutionId(ctx) {
	const r = await ctx.stack.main.publicApi('GET', '/executions?limit=1');
	return Number((r.data && r.data[0] && r.data[0].id) || 0);
}

/** Wait until `count` executions of the workflow newer than `since` are finished; returns them. */
async function finishedExecutions(ctx, workflowId, { since, count = 1, timeoutMs = 120000 }) {
	const started = Date.now();
	let seen = [];
	while (Date.now() - started < timeoutMs) {
		seen = (await executions(ctx, workflowId)).filter((e) => Number(e.id) > since);
		const done = seen.filter((e) => FINISHED.includes(e.status));
		if (done.length >= count && done.length === seen.length) {
			// Another execution can start between the two reads (a duplicate event): only a read with
			// every execution finished is returned.
			const full = (await executions(ctx, workflowId, { includeData: true })).filter(
				(e) => Number(e.id) > since,
			);
			if (full.every((e) => FINISHED.includes(e.status))) return full.sort((a, b) => a.id - b.id);
		}
		await sleep(500);
	}
	throw new Error(
		`${workflowId}: expected ${count} finished execution(s), saw ${JSON.stringify(seen.map((e) => [e.id, e.status]))}`,
	);
}

/**
 * Starts one polling execution through the webhook at `path` on a task that runs `runningMs`, and
 * waits until its task is polled: the simulator is reset first, so the task is the only one.
 */
async function startPolling(ctx, path, prompt, runningMs) {
	await simReset(ctx);
	await simConfig(ctx, { nextTaskOutcome: { result: 'success', runningMs } });
	const since = await lastExecutionId(ctx);
	const posted = Date.now();
	await postWebhook(ctx, path, { prompt });
	const taskId = await polledTask(ctx);
	return { since, posted, taskId };
}

/** The first execution of `workflowId` after `since` once n8n reports it running. */
async function untilRunning(ctx, workflowId, since) {
	return await untilExecution(ctx, workflowId, since, (e) => e.status === 'running', 'running');
}

async function untilExecution(ctx, workflowId, since, pred, what, timeoutMs = 60000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const list = (await executions(ctx, workflowId)).filter((e) => Number(e.id) > since);
		const hit = list.find(pred);
		if (hit) return hit;
		await sleep(250);
	}
	throw new Error(`${workflowId}: no execution ${what} within ${timeoutMs} ms`);
}

function runsOf(exec, node) {
	const runs = exec.data && exec.data.resultData && exec.data.resultData.runData[node];
	if (!runs || !runs.length)
		throw new Error(
			`execution ${exec.id}: node "${node}" did not run (${Object.keys((exec.data && exec.data.resultData.runData) || {}).join(', ')})`,
		);
	return runs;
}

function items(exec, node, output = 0) {
	const run = runsOf(exec, node).slice(-1)[0];
	if (run.error) throw new Error(`node "${node}" failed: ${run.error.message}`);
	return (run.data && run.data.main && run.data.main[output]) || [];
}

function execError(exec) {
	const e = exec.data && exec.data.resultData && exec.data.resultData.error;
	return e ? `${e.message}${e.description ? ` (${e.description})` : ''}` : '';
}

function assertSuccess(exec) {
	if (exec.status !== 'success')
		throw new Error(`execution ${exec.id} ended "${exec.status}": ${execError(exec)}`);
}

/** The binary of an item, stored outside the execution data in queue mode's binary data mode. */
function assertDatabaseBinary(item, where) {
	const files = Object.entries(item.binary || {});
	if (!files.length) throw new Error(`${where}: no binary data`);
	for (const [prop, b] of files) {
		// default Output Items: one item per file, in the property file nodes read by default
		if (prop !== 'data') throw new Error(`${where}: binary property ${prop}, expected "data"`);
		if (!/^image\//.test(b.mimeType || ''))
			throw new Error(`${where}: binary ${prop} is ${b.mimeType}, expected an image`);
		if (!String(b.id || '').startsWith('database:'))
			throw new Error(
				`${where}: binary ${prop} is not in the database binary store (id ${JSON.stringify(b.id)})`,
			);
	}
}

/** Names of the workers whose log says they ran (or resumed) execution `id`, once per run. */
function workerRuns(ctx, id) {
	const re = new RegExp(`Worker started execution ${id}\\b`, 'g');
	return ctx.stack.workers.flatMap((w) => (w.logText().match(re) || []).map(() => w.name));
}

// --------------------------------------------------------------------------------- activation
/**
 * The credential and the workflows through the public API, then activation, which takes effect
 * asynchronously: wait until Postgres holds the webhooks of every workflow. `ctx.ids` maps the
 * workflows' ids in queue-workflows.js to the ids n8n gave them.
 */
async function provision(ctx, credential) {
	const api = (m, p, b) => ctx.stack.main.publicApi(m, p, b);
	const cred = await api('POST', '/credentials', {
		name: credential.name,
		type: credential.type,
		data: credential.data,
	});
	const byKey = Object.fromEntries(Object.entries(flows.IDS).map(([k, v]) => [v, k]));
	ctx.ids = {};
	for (const wf of ctx.workflows) {
		for (const n of wf.nodes)
			if (n.credentials && n.credentials.runningHubApi)
				n.credentials.runningHubApi = { id: cred.id, name: credential.name };
		const created = await api('POST', '/workflows', {
			name: wf.name,
			nodes: wf.nodes,
			connections: wf.connections,
			settings: wf.settings,
		});
		ctx.ids[byKey[wf.id]] = created.id;
		if (wf.active) await api('POST', `/workflows/${created.id}/activate`);
	}
	const want = ctx.workflows.filter((w) => w.active).map((w) => ctx.ids[byKey[w.id]]);
	const started = Date.now();
	for (;;) {
		const r = await ctx.stack.postgres.psql('SELECT DISTINCT "workflowId" FROM webhook_entity');
		const have = r.stdout.split('\n').map((s) => s.trim());
		const missing = want.filter((id) => !have.includes(id));
		if (!missing.length) return;
		if (Date.now() - started > 60000)
			throw new Error(`webhooks of ${missing.join(', ')} not registered after 60 s`);
		await sleep(500);
	}
}

// -------------------------------------------------------------------------------------- cases
function queueCases() {
	return [
		{
			name: 'a batch of 20 items runs on a worker: every item paired, complete, files in the database',
			async run(ctx) {
				await simReset(ctx);
				const since = await lastExecutionId(ctx);
				const prompts = Array.from({ length: 20 }, (_, i) => ({ prompt: `queue prompt ${i}` }));
				await postWebhook(ctx, flows.PATHS.batch, { prompts });
				const [exec] = await finishedExecutions(ctx, ctx.ids.batch, { since, timeoutMs: 180000 });
				assertSuccess(exec);
				const generated = items(exec, 'Generate');
				const paired = items(exec, 'Paired');
				if (generated.length !== 20 || paired.length !== 20)
					throw new Error(`expected 20 items, got ${generated.length} / ${paired.length}`);
				const ids = new Set();
				generated.forEach((it, i) => {
					if (it.json.status !== 'SUCCESS') throw new Error(`item ${i}: status ${it.json.status}`);
					if (!TASK_ID.test(it.json.taskId)) throw new Error(`item ${i}: taskId ${it.json.taskId}`);
					ids.add(it.json.taskId);
					assertDatabaseBinary(it, `item ${i}`);
					const pairedTo = [].concat(it.pairedItem)[0];
					if (!pairedTo || pairedTo.item !== i)
						throw new Error(`item ${i} is paired to ${JSON.stringify(it.pairedItem)}`);
					if (
						paired[i].json.prompt !== `queue prompt ${i}` ||
						paired[i].json.taskId !== it.json.taskId
					)
						throw new Error(`item ${i} traces back to ${JSON.stringify(paired[i].json)}`);
				});
				if (ids.size !== 20) throw new Error(`${ids.size} distinct task IDs for 20 items`);
				const st = await simState(ctx);
				if (st.tasks.length !== 20)
					throw new Error(`the simulator holds ${st.tasks.length} tasks, expected 20`);
				for (const t of st.tasks)
					if (!ids.has(t.taskId) || t.status !== 'SUCCESS')
						throw new Error(`simulator task ${t.taskId} (${t.status}) is not among the outputs`);
				const ran = workerRuns(ctx, exec.id);
				if (ran.length !== 1) throw new Error(`worker runs of ${exec.id}: ${JSON.stringify(ran)}`);
				if (/Worker started execution/.test(ctx.stack.main.logText()))
					throw new Error('main ran an execution itself');
				return `execution ${exec.id} ran on ${ran[0]}; 20 tasks, 20 items, 20 files in Postgres`;
			},
		},
		{
			name: 'Wait for Callback: waits, RunningHub calls /webhook-waiting/ on the webhook processor, a worker resumes it',
			async run(ctx) {
				await simReset(ctx);
				// long enough for the pause to be saved before the callback is due
				await simConfig(ctx, { nextTaskOutcome: { result: 'success', runningMs: 4000 } });
				const since = await lastExecutionId(ctx);
				await postWebhook(ctx, flows.PATHS.callback, { prompt: 'a lighthouse, queue mode' });
				const waiting = await untilExecution(
					ctx,
					ctx.ids.callback,
					since,
					(e) => e.status === 'waiting' || FINISHED.includes(e.status),
					'waiting',
				);
				const [exec] = await finishedExecutions(ctx, ctx.ids.callback, { since });
				assertSuccess(exec);
				const [item] = items(exec, 'Generate and wait for callback');
				if (!item || item.json.status !== 'SUCCESS' || !TASK_ID.test(item.json.taskId))
					throw new Error(`resumed output: ${JSON.stringify(item && item.json).slice(0, 300)}`);
				assertDatabaseBinary(item, 'resumed item');
				const st = await simState(ctx);
				const hook = ctx.stack.webhooks[0];
				const deliveries = st.webhookDeliveries.filter((d) => d.taskId === item.json.taskId);
				const ok = deliveries.filter((d) => d.status === 200);
				if (ok.length !== 1 || !ok[0].url.startsWith(`${hook.baseUrl}/webhook-waiting/${exec.id}`))
					throw new Error(
						`callback deliveries: ${JSON.stringify(deliveries.map((d) => [d.url, d.status]))}`,
					);
				// No polling while it waits: one query right before pausing (a task may end before the
				// execution is saved as waiting) and one confirming the callback's claims before resuming.
				const polls = await pollsOf(ctx, item.json.taskId);
				if (polls !== 2)
					throw new Error(
						`the task was queried ${polls} times (a check before pausing and a confirmation expected)`,
					);
				const ran = workerRuns(ctx, exec.id);
				if (ran.length !== 2) throw new Error(`worker runs of ${exec.id}: ${JSON.stringify(ran)}`);
				return `execution ${exec.id} seen "${waiting.status}"; started on ${ran[0]}, resumed on ${ran[1]} after the callback reached ${hook.name}; a check before pausing and 1 confirming query, no polling`;
			},
		},
		{
			name: 'RunningHub Trigger on the webhook processors: one execution per event; duplicates sent to two processors at once',
			async run(ctx) {
				await simReset(ctx);
				// RunningHub's own timeout is not documented; the first call to a cold webhook processor
				// can take seconds on a busy machine
				await simConfig(ctx, { webhookTimeoutMs: 30000 });
				const saved = await ctx.stack.main.publicApi('GET', `/workflows/${ctx.ids.trigger}`);
				const trig = saved.nodes.find((n) => n.type === flows.TRIGGER_TYPE);
				const hookPath = triggerUrlPath(trig);
				const url = (p) => `${p.baseUrl}/webhook/${hookPath}`;
				const [hook1, hook2] = ctx.stack.webhooks;
				const both = (body) => Promise.all([hook1, hook2].map((p) => postRaw(url(p), body)));
				const newExecutions = async (since, count) =>
					count
						? countByTask(
								await finishedExecutions(ctx, ctx.ids.trigger, { since, count }),
								trig.name,
							)
						: {};
				// The trigger answers every event it takes with an empty 200, a duplicate too, so the
				// executions are counted, waiting only for the ones that must exist.

				// 1. RunningHub delivers each event once, one after the other: one execution each
				const sequential = [];
				let since = await lastExecutionId(ctx);
				for (let i = 0; i < 3; i++) {
					const taskId = await createSimTask(ctx, url(hook1));
					await untilSim(ctx, `delivery of ${taskId} answered 200`, (st) =>
						st.webhookDeliveries.some((d) => d.taskId === taskId && d.status === 200),
					);
					sequential.push(taskId);
				}
				const first = await newExecutions(since, 3);
				for (const t of sequential)
					if (first[t] !== 1) throw new Error(`task ${t}: ${first[t] || 0} executions`);
				const delivered = (await simState(ctx)).webhookDeliveries;
				const bodyOf = (t) => delivered.find((d) => d.taskId === t).body;

				// 2. the same events again, each to both processors at the same moment: all dropped
				since = await lastExecutionId(ctx);
				const replies = [];
				for (const t of sequential) replies.push(...(await both(bodyOf(t))));
				const bad = replies.filter((r) => r.status !== 200);
				if (bad.length) throw new Error(`replays answered ${JSON.stringify(bad)}`);
				// measured below: workers and webhook processors each save the workflow's static data
				// last-write-wins, so the delivered-task memory may have lost some of them
				const replaySince = since;

				// 3. new events, each sent to both processors at the same moment (measured)
				const { taskIds: fresh, bodies } = await endedTaskEvents(ctx, 5, 'fresh');
				since = await lastExecutionId(ctx);
				const racedReplies = [];
				for (const t of fresh) racedReplies.push(...(await both(bodies[t])));
				const bad2 = racedReplies.filter((r) => r.status !== 200);
				if (bad2.length) throw new Error(`raced events answered ${JSON.stringify(bad2)}`);
				const raced = await newExecutions(since, fresh.length);
				const perEvent = fresh.map((t) => raced[t] || 0);
				if (perEvent.some((n) => n < 1 || n > 2))
					throw new Error(`executions per event sent to both processors: ${perEvent.join(', ')}`);
				const replays = countByTask(
					await finishedExecutions(ctx, ctx.ids.trigger, { since: replaySince, count: 0 }),
					trig.name,
				);
				const replayedAccepted = sequential.reduce((n, t) => n + (replays[t] || 0), 0);

				// 4. different events arriving together at one processor, then RunningHub's retry of each
				// (measured: the delivered-task memory is one static-data value, written last-write-wins)
				const { taskIds: burst, bodies: burstBodies } = await endedTaskEvents(ctx, 5, 'burst');
				since = await lastExecutionId(ctx);
				await Promise.all(burst.map((t) => postRaw(url(hook1), burstBodies[t])));
				const burstRuns = await newExecutions(since, burst.length);
				const burstMissing = burst.filter((t) => !burstRuns[t]);
				if (burstMissing.length)
					throw new Error(
						`${burst.length} different events at once: no execution for ${burstMissing.join(', ')}`,
					);
				since = await lastExecutionId(ctx);
				for (const t of burst) await postRaw(url(hook1), burstBodies[t]);
				// The retries' executions, if any, are counted (a lower bound) once a new event has run.
				const marker = await createSimTask(ctx, url(hook1));
				await untilSim(ctx, `delivery of ${marker} answered 200`, (st) =>
					st.webhookDeliveries.some((d) => d.taskId === marker && d.status === 200),
				);
				const afterRetries = await newExecutions(since, 1);
				const retried = burst.reduce((n, t) => n + (afterRetries[t] || 0), 0);
				return (
					`3 events delivered one by one → 1 execution each; the same 3 again, each to both processors at once → ${replayedAccepted} more. ` +
					`5 new events each sent to both processors at once → ${perEvent.reduce((a, b) => a + b, 0)} executions ` +
					`(${perEvent.filter((n) => n === 2).length} duplicated). 5 different events at once to one processor → 5; ` +
					`their retries afterwards → ${retried} more (the delivered-task memory kept ${burst.length - retried} of 5)`
				);
			},
		},
		{
			name: 'Wait for Callback whose wait limit passes: the error output cancels the RunningHub task',
			async run(ctx) {
				await simReset(ctx);
				await simConfig(ctx, { nextTaskOutcome: { result: 'success', runningMs: 300000 } });
				const since = await lastExecutionId(ctx);
				await postWebhook(ctx, flows.PATHS.waitLimit, { prompt: 'never called back in time' });
				// n8n's wait tracker looks for due executions once a minute
				const [exec] = await finishedExecutions(ctx, ctx.ids.waitLimit, {
					since,
					timeoutMs: 150000,
				});
				const rh = 'Generate and wait for callback';
				const errItems = items(exec, rh, 1);
				if (
					errItems.length !== 1 ||
					!/did not call back within 3 s \[task \d{19}\]/.test(errItems[0].json.error)
				)
					throw new Error(`error output: ${JSON.stringify(errItems.map((i) => i.json))}`);
				const [cancelled] = items(exec, 'Cancel the late task');
				const st = await simState(ctx);
				const task = st.tasks[0];
				if (st.tasks.length !== 1 || !task.cancelled || cancelled.json.taskId !== task.taskId)
					throw new Error(
						`simulator tasks: ${JSON.stringify(st.tasks.map((t) => [t.taskId, t.status, t.cancelled]))}`,
					);
				const cancels = await simRequests(ctx, 'v1.cancel');
				if (cancels.length !== 1) throw new Error(`${cancels.length} cancel requests`);
				return `execution ${exec.id}: wait limit error on the error output, task ${task.taskId} cancelled (1 cancel request)`;
			},
		},
		{
			name: 'the user presses Stop while a worker polls',
			async run(ctx) {
				const { since, taskId } = await startPolling(ctx, flows.PATHS.poll, 'stop me', 20000);
				const running = await untilRunning(ctx, ctx.ids.poll, since);
				const stoppedAt = Date.now();
				const stop = await ctx.stack.main.rest('POST', `/rest/executions/${running.id}/stop`);
				const pollsAtStop = await pollsOf(ctx, taskId);
				const st = await untilSim(
					ctx,
					'the task cancelled or ended',
					(s) => s.tasks[0].cancelled || s.tasks[0].status !== 'RUNNING',
					60000,
				);
				const endedAfter = ((Date.now() - stoppedAt) / 1000).toFixed(1);
				await sleep(3000);
				const [exec] = await executions(ctx, ctx.ids.poll, { includeData: true }).then((l) =>
					l.filter((e) => Number(e.id) === Number(running.id)),
				);
				const t = st.tasks[0];
				if (exec.status !== 'canceled')
					throw new Error(`execution ${exec.id} ended "${exec.status}" after Stop`);
				return (
					`Stop answered "${stop.json && stop.json.data && stop.json.data.status}"; execution ${exec.id} stays "${exec.status}"; ` +
					`task ${taskId} ${t.cancelled ? 'cancelled' : `not cancelled (${t.status})`} ${endedAfter} s after Stop; ` +
					`polls: ${pollsAtStop} before Stop, ${(await pollsOf(ctx, taskId)) - pollsAtStop} after`
				);
			},
		},
		{
			name: 'Timeout Workflow passes while a worker polls: the worker stops the node, which cancels the task',
			async run(ctx) {
				const { since, posted, taskId } = await startPolling(
					ctx,
					flows.PATHS.timeout,
					'too slow for the timeout',
					120000,
				);
				const st = await untilSim(
					ctx,
					'the task cancelled',
					(s) => s.tasks[0].cancelled,
					(TIMEOUT_WORKFLOW_SECONDS + 60) * 1000,
				);
				const cancelledAfter = ((Date.now() - posted) / 1000).toFixed(1);
				const [exec] = await finishedExecutions(ctx, ctx.ids.timeout, { since });
				if (exec.status === 'success')
					throw new Error(`execution ${exec.id} succeeded although its task was cancelled`);
				const cancels = (await simRequests(ctx)).filter((q) => /cancel/i.test(q.route));
				if (cancels.length !== 1) throw new Error(`${cancels.length} cancel requests`);
				if (st.tasks.length !== 1) throw new Error(`${st.tasks.length} tasks`);
				return (
					`execution ${exec.id} ended "${exec.status}" (${execError(exec) || 'no error'}); task ${taskId} ` +
					`cancelled ${cancelledAfter} s after the webhook call (Timeout Workflow ${TIMEOUT_WORKFLOW_SECONDS} s), ` +
					`1 cancel request, polled ${await pollsOf(ctx, taskId)} times`
				);
			},
		},
		{
			name: 'a worker stopped while it polls a task',
			async run(ctx) {
				const { since, taskId } = await startPolling(
					ctx,
					flows.PATHS.poll,
					'worker goes away',
					60000,
				);
				const running = await untilRunning(ctx, ctx.ids.poll, since);
				const [name] = workerRuns(ctx, running.id);
				const worker = ctx.stack.workers.find((w) => w.name === name);
				const stoppedAt = Date.now();
				await worker.stop();
				const stopSeconds = ((Date.now() - stoppedAt) / 1000).toFixed(1);
				const [exec] = await finishedExecutions(ctx, ctx.ids.poll, { since, timeoutMs: 180000 });
				const st = await simState(ctx);
				if (exec.status === 'success')
					throw new Error(`execution ${exec.id} succeeded after its worker left`);
				if (st.tasks.length !== 1)
					throw new Error(
						`${st.tasks.length} tasks: the execution was run again and submitted again`,
					);
				const note =
					`${name} stopped (SIGTERM, exited after ${stopSeconds} s); execution ${exec.id} ended "${exec.status}" ` +
					`${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after: ${execError(exec)}; ` +
					`tasks: ${JSON.stringify(st.tasks.map((t) => [t.taskId, t.status, t.cancelled]))}; ` +
					`task ${taskId} polled ${await pollsOf(ctx, taskId)} times; worker runs ${JSON.stringify(workerRuns(ctx, exec.id))}`;
				return note;
			},
		},
	];
}

/** `count` tasks run to SUCCESS without a callback, and the TASK_END body RunningHub would send each. */
async function endedTaskEvents(ctx, count, what) {
	const taskIds = [];
	for (let i = 0; i < count; i++) taskIds.push(await createSimTask(ctx, null));
	await untilSim(ctx, `${what} tasks ended`, (st) =>
		taskIds.every((t) => st.tasks.find((x) => x.taskId === t).status === 'SUCCESS'),
	);
	const bodies = {};
	for (const t of taskIds)
		bodies[t] = JSON.stringify({
			event: 'TASK_END',
			taskId: t,
			eventData: await simOutputs(ctx, t),
		});
	return { taskIds, bodies };
}

function countByTask(execs, node) {
	const out = {};
	for (const e of execs) {
		assertSuccess(e);
		for (const it of items(e, node)) out[it.json.taskId] = (out[it.json.taskId] || 0) + 1;
	}
	return out;
}

async function postRaw(url, body) {
	const r = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
	});
	return { status: r.status, text: await r.text() };
}

/** The v1 outputs answer of a finished task, as RunningHub puts it in a TASK_END event. */
async function simOutputs(ctx, taskId) {
	const r = await fetch(`${ctx.sim.url}/task/openapi/outputs`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ apiKey: ctx.simKey, taskId }),
	});
	return r.text();
}

/** Create a task straight on the simulator's API (v1), with `webhookUrl` when given. */
async function createSimTask(ctx, webhookUrl) {
	const r = await fetch(`${ctx.sim.url}/task/openapi/create`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			apiKey: ctx.simKey,
			workflowId: flows.SIM_WORKFLOW_ID,
			...(webhookUrl ? { webhookUrl } : {}),
		}),
	});
	const text = await r.text();
	const m = text.match(/"taskId"\s*:\s*"?(\d{19})"?/);
	if (!m) throw new Error(`simulator create answered ${text.slice(0, 300)}`);
	return m[1];
}

module.exports = { queueCases, provision, WORKFLOWS, WAIT_LIMIT_SECONDS };
