'use strict';
/**
 * What the end-to-end run (scripts/e2e.js) expects: per demo workflow assertions on
 * `n8n execute --rawOutput` run data, the server-side cases (RunningHub Trigger on its production
 * webhook URL, wait-for-callback through /webhook-waiting/), and the editor's data.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(REPO, 'package.json')).name;
const ACTION_TYPE = `${PACKAGE}.runningHub`;
const TRIGGER_TYPE = `${PACKAGE}.runningHubTrigger`;

const OWNER = {
	email: 'e2e@example.com',
	password: 'RunningHub1e2e',
	firstName: 'E2E',
	lastName: 'Runner',
};

/**
 * Simulator timing for the e2e run: tasks take ~1.5 s, long enough for an execution in callback
 * mode to be saved as `waiting` before the callback arrives, short enough to keep the run quick.
 */
const SIMULATOR_ARGS = [
	'--queued-ms',
	'300',
	'--running-ms',
	'1200',
	// a failed workflow task's v2 answer without details, as in RunningHub's own v2 failure example
	'--v2-failed-reason',
	'empty',
];

/** Workflow ids that `n8n execute` must not run (need a server, e.g. waitMode "callback"). */
const NOT_FOR_CLI = [];

const TASK_ID = /^\d{19}$/;

// ------------------------------------------------------------------------------ run data helpers
function lastRun(runData, nodeName) {
	const runs = runData[nodeName];
	if (!runs || !runs.length)
		throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ')})`);
	const r = runs[runs.length - 1];
	if (r.error)
		throw new Error(`node "${nodeName}" failed: ${r.error.message} ${r.error.description || ''}`);
	return r;
}

function outputItems(runData, nodeName, output = 0) {
	const r = lastRun(runData, nodeName);
	const main = (r.data && r.data.main) || [];
	return main[output] || [];
}

/** Every `taskId` value anywhere in a JSON value. */
function collectTaskIds(value, out = []) {
	if (Array.isArray(value)) value.forEach((v) => collectTaskIds(v, out));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			if (k === 'taskId' && (typeof v === 'string' || typeof v === 'number')) out.push(v);
			else collectTaskIds(v, out);
		}
	}
	return out;
}

function assertTaskIds(items, where) {
	const ids = items.flatMap((it) => collectTaskIds(it.json));
	for (const id of ids) {
		if (typeof id !== 'string' || !TASK_ID.test(id)) {
			throw new Error(`${where}: taskId ${JSON.stringify(id)} is not a 19-digit string`);
		}
	}
	return ids;
}

function binaries(items) {
	return items.flatMap((it) =>
		Object.entries(it.binary || {}).map(([prop, b]) => ({ prop, ...b })),
	);
}

// ----------------------------------------------------------------------- per-workflow expectations
/**
 * Expectations for the demo workflows, by workflow id. `node`: the node whose output is checked
 * (default: the last RunningHub node that ran); `status`: expected json.status; `mime`: a regexp
 * every downloaded file must match (and at least one file must exist); `taskId`: a taskId must be present.
 */
const EXPECT = {
	rhDemoTxt2Img001: { taskId: true, status: 'SUCCESS', mime: /^image\//, outputs: true },
	rhDemoImg2Video1: {
		taskId: true,
		status: 'SUCCESS',
		mime: /^video\//,
		outputs: true,
		uploaded: true,
	},
	rhDemoAiApp00001: { taskId: true, status: 'SUCCESS', mime: /^image\//, outputs: true },
	rhDemoModelGen01: { taskId: true, status: 'SUCCESS', mime: /^image\//, outputs: true },
};

const FIDELITY_WORKFLOW_ID = 'rhE2eFidelity01';

/**
 * Price Preview answers the flat price; a workflow task that fails (its v2 answer without details)
 * reports the failing node; a Quick Create module runs to its files.
 */
function assertFidelityRun(runData) {
	const price = outputItems(runData, 'Price Preview')[0];
	if (!price || typeof price.json.estimatedPrice !== 'number' || !price.json.currency)
		throw new Error(`Price Preview gave ${JSON.stringify(price && price.json)}`);
	const failed = outputItems(runData, 'Failing workflow task')[0];
	const error = failed && String(failed.json.error || '');
	const details = failed && String(failed.json.description || '');
	// one plain sentence naming the node and exception; RunningHub's code only in the details
	if (!/^Task failed in node #6 CLIPTextEncode with \S+/.test(error) || /1015|\bcode\b/.test(error))
		throw new Error(`the failed task's headline is not one plain sentence: ${error}`);
	if (!/RunningHub code 1015/.test(details))
		throw new Error(`the failed task's details do not give RunningHub's code: ${details}`);
	const quick = outputItems(runData, 'Quick Create');
	if (!quick.length || quick[0].json.status !== 'SUCCESS')
		throw new Error(`Quick Create gave ${JSON.stringify(quick[0] && quick[0].json).slice(0, 400)}`);
	assertTaskIds(quick, 'Quick Create');
	const files = binaries(quick);
	if (!files.length || !/^image\//.test(files[0].mimeType || ''))
		throw new Error(
			`Quick Create returned no image (${JSON.stringify(files.map((f) => f.mimeType))})`,
		);
}

/** Assertions on the run data of a demo workflow run with `n8n execute`. */
function assertWorkflowRun(workflow, runData) {
	const agent = require('./agent');
	if (workflow.id === agent.DEMO_WORKFLOW_ID) return agent.assertDemoRun(runData);
	if (workflow.id === FIDELITY_WORKFLOW_ID) return assertFidelityRun(runData);
	const rhNodes = workflow.json.nodes
		.filter((n) => n.type === ACTION_TYPE && !n.disabled)
		.map((n) => n.name);
	if (!rhNodes.length) throw new Error('workflow has no RunningHub node');
	for (const name of rhNodes) lastRun(runData, name); // all ran, none failed
	const exp = EXPECT[workflow.id] || {};
	const nodeName = exp.node || [...rhNodes].reverse().find((n) => runData[n]);
	const items = outputItems(runData, nodeName);
	if (!items.length) throw new Error(`"${nodeName}" returned no items`);
	const ids = assertTaskIds(items, nodeName);
	if (exp.taskId && !ids.length)
		throw new Error(
			`"${nodeName}" output has no taskId: ${JSON.stringify(items[0].json).slice(0, 400)}`,
		);
	const j = items[0].json;
	if (exp.status && j.status !== exp.status)
		throw new Error(`"${nodeName}" status ${j.status}, expected ${exp.status}`);
	if (exp.outputs && !(Array.isArray(j.outputs) && j.outputs.length)) {
		throw new Error(`"${nodeName}" has no outputs: ${JSON.stringify(j).slice(0, 400)}`);
	}
	if (exp.mime) {
		const files = binaries(items);
		if (!files.length) throw new Error(`"${nodeName}" returned no binary data`);
		for (const f of files) {
			// default Output Items: one item per file, in the property file nodes read by default
			if (f.prop !== 'data')
				throw new Error(`"${nodeName}" put a file in binary ${f.prop}, expected "data"`);
			if (!exp.mime.test(f.mimeType || ''))
				throw new Error(`binary ${f.prop} has MIME type ${f.mimeType}, expected ${exp.mime}`);
		}
	}
	if (exp.uploaded) {
		// an earlier RunningHub node uploaded a file and handed its name on
		const up = rhNodes
			.map((n) => outputItems(runData, n))
			.flat()
			.map((it) => it.json);
		if (!up.some((x) => typeof x.fileName === 'string' && x.fileName.length)) {
			throw new Error(
				`no RunningHub node output a fileName from an upload (${JSON.stringify(up.map((x) => Object.keys(x)))})`,
			);
		}
	}
}

// ----------------------------------------------------------------------------- node descriptions
function loadDescription(kind) {
	const file =
		kind === 'trigger'
			? path.join(REPO, 'dist', 'nodes', 'RunningHubTrigger', 'RunningHubTrigger.node.js')
			: path.join(REPO, 'dist', 'nodes', 'RunningHub', 'RunningHub.node.js');
	const mod = require(file);
	const Cls = Object.values(mod).find((v) => typeof v === 'function');
	return new Cls().description;
}

/**
 * Path of a RunningHub Trigger's Production URL as the editor shows it (<webhookId>/<path>): its
 * shown webhook's path expression evaluated for the node's parameters, as n8n does.
 */
function triggerUrlPath(trig) {
	const hook = loadDescription('trigger').webhooks.find((w) => !w.ndvHideUrl);
	let hookPath = hook.path;
	const expression = /^=\{\{([\s\S]*)\}\}$/.exec(hookPath);
	if (expression)
		hookPath = new Function('$parameter', `return (${expression[1]});`)(trig.parameters);
	return hook.isFullPath ? hookPath : `${trig.webhookId}/${hookPath}`;
}

/** Resources of the action node, from its built description: [{ value, label }]. */
function resources() {
	const d = loadDescription('action');
	const p = d.properties.find((x) => x.name === 'resource');
	return p.options.map((o) => ({ value: o.value, label: o.name }));
}

const RESOURCE_NODE_PREFIX = 'Resource: ';
const ALL_RESOURCES_WORKFLOW = 'rhE2eAllResource';

/** A workflow with one RunningHub node per resource (default operation), for the editor checks. */
function allResourcesWorkflow() {
	const nodes = [
		{
			id: 'allres-manual',
			name: 'Manual',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	resources().forEach((r, i) => {
		nodes.push({
			id: `allres-${r.value}`,
			name: `${RESOURCE_NODE_PREFIX}${r.label}`,
			type: ACTION_TYPE,
			typeVersion: 1,
			position: [260 + (i % 3) * 260, Math.floor(i / 3) * 200],
			parameters: { resource: r.value },
			credentials: { runningHubApi: { id: 'rhDemoCredential1', name: 'RunningHub account' } },
		});
	});
	return {
		id: ALL_RESOURCES_WORKFLOW,
		name: 'e2e: one RunningHub node per resource',
		active: false,
		nodes,
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

// ------------------------------------------------------------------------------- demos in editor
const EXAMPLES_DIR = path.join(REPO, 'examples');

/** The demo workflows of examples/, as imported. */
function demoWorkflows(ctx) {
	return ctx.workflows.filter((w) => path.dirname(w.file) === EXAMPLES_DIR);
}

/** Parameter holding the resource mapper of a RunningHub node, if it shows one. */
function mapperParameter(node) {
	const p = node.parameters || {};
	if ((p.resource === 'workflow' || p.resource === 'aiApp') && p.operation === 'run')
		return p.inputMode === 'mapper' ? 'inputs' : undefined;
	if (p.resource === 'model') return 'modelParameters';
	return undefined;
}

/** Names of the demo's RunningHub nodes that show a field list. */
function mapperNodes(demo) {
	return demo.json.nodes
		.filter((n) => n.type === ACTION_TYPE && mapperParameter(n))
		.map((n) => n.name);
}

/** The rows the field list of a demo node shows: the fields it sets (and required ones). */
function expectedMapperRows(demo, nodeName) {
	const node = demo.json.nodes.find((n) => n.name === nodeName);
	const mapper = node.parameters[mapperParameter(node)];
	return (mapper.schema || []).filter((field) => field.removed !== true && field.display !== false);
}

const MODEL_DEMO = { id: 'rhDemoModelGen01', node: 'Generate image (rhart-image-v1)' };

// ------------------------------------------------------------- RunningHub → Write File to Disk
/** n8n 2.x lets nodes write only below ~/.n8n-files (N8N_RESTRICT_FILE_ACCESS_TO's default). */
const WRITE_FILE_DIR = path.join(os.homedir(), '.n8n-files', 'runninghub-e2e');
/** A RunningHub node that runs the simulator's text-to-image workflow, second in its workflow. */
function workflowRunNode(id, name, parameters = {}) {
	return {
		id,
		name,
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [240, 0],
		parameters: {
			resource: 'workflow',
			operation: 'run',
			workflowId: { __rl: true, mode: 'id', value: '1851826914200891393' },
			...parameters,
		},
		credentials: { runningHubApi: { id: 'rhDemoCredential1', name: 'RunningHub account' } },
	};
}

const WRITE_FILE_WORKFLOW = { id: 'rhE2eWriteFile01', writeNode: 'Write File to Disk' };

/**
 * Manual trigger → RunningHub (Workflow › Run, default settings) → Write File to Disk (default
 * settings: binary property "data"): the node's files must fit the next node as they come.
 */
function writeFileWorkflow() {
	return {
		id: WRITE_FILE_WORKFLOW.id,
		name: 'e2e: RunningHub → Write File to Disk',
		active: false,
		nodes: [
			{
				id: 'wf-manual',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			workflowRunNode('wf-runninghub', 'Generate image'),
			{
				id: 'wf-write',
				name: WRITE_FILE_WORKFLOW.writeNode,
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [480, 0],
				parameters: {
					operation: 'write',
					fileName: `=${WRITE_FILE_DIR}/{{ $json.taskId }}-{{ $itemIndex }}.{{ $binary.data.fileExtension }}`,
					options: {},
				},
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Generate image', type: 'main', index: 0 }]] },
			'Generate image': {
				main: [[{ node: WRITE_FILE_WORKFLOW.writeNode, type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

const LATE_CALLBACK_WORKFLOW = {
	id: 'rhE2eLateCallbk1',
	path: 'runninghub-late-callback',
	runNode: 'Generate and wait for callback',
	waitNode: 'Wait for approval',
};

/**
 * RunningHub (Wait for Callback) → n8n's Wait node (resume on a webhook call): after the callback
 * resumed the RunningHub node, the execution waits again, at the Wait node, with the same resume
 * URL base. A late copy of RunningHub's callback must not resume that Wait node.
 */
function lateCallbackWorkflow() {
	const { id, path: hookPath, runNode, waitNode } = LATE_CALLBACK_WORKFLOW;
	return {
		id,
		name: 'e2e: Wait for Callback, then an n8n Wait node',
		active: true,
		nodes: [
			{
				id: 'lc-webhook-01',
				name: 'Prompt received',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '7a1d3c52-0b9e-4f61-8c2a-5e4b3d2c1f10',
				parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} },
			},
			workflowRunNode('lc-runninghub', runNode, {
				waitMode: 'callback',
				options: { downloadOutputs: false },
			}),
			{
				id: 'lc-wait-0001',
				name: waitNode,
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [480, 0],
				webhookId: '2c9e8f41-6d3a-4b7e-9a15-0f8d7c6b5a43',
				parameters: { resume: 'webhook', httpMethod: 'POST', options: {} },
			},
		],
		connections: {
			'Prompt received': { main: [[{ node: runNode, type: 'main', index: 0 }]] },
			[runNode]: { main: [[{ node: waitNode, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Files the Write File to Disk workflow wrote. */
function writtenFiles() {
	if (!fs.existsSync(WRITE_FILE_DIR)) return [];
	return fs
		.readdirSync(WRITE_FILE_DIR)
		.filter((f) => fs.statSync(path.join(WRITE_FILE_DIR, f)).size);
}

// ----------------------------------------------------------------------------------- server cases
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll the public API until `workflowId` has a finished execution; returns it (with data). */
async function waitForExecution(
	n8n,
	workflowId,
	{ timeoutMs = 60000, since = 0, wantStatus = 'success' } = {},
) {
	const started = Date.now();
	let last = null;
	while (Date.now() - started < timeoutMs) {
		const r = await n8n.publicApi(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=20`,
		);
		const list = (r.data || []).filter((e) => Number(e.id) > since);
		last = list;
		const done = list.find((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));
		if (done) {
			if (done.status !== wantStatus) {
				const err = done.data && done.data.resultData && done.data.resultData.error;
				throw new Error(`execution ${done.id} ended "${done.status}": ${err ? err.message : ''}`);
			}
			return done;
		}
		await sleep(1000);
	}
	throw new Error(
		`no finished execution of ${workflowId} within ${timeoutMs} ms (saw ${JSON.stringify((last || []).map((e) => ({ id: e.id, status: e.status })))})`,
	);
}

/** Starts a webhook-triggered workflow with a prompt, as a form or app would. */
async function postPrompt(n8n, webhookPath, prompt) {
	const res = await fetch(`${n8n.webhookUrl}webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompt }),
	});
	if (res.status >= 400) throw new Error(`webhook answered ${res.status} ${await res.text()}`);
}

/** The newest execution ID of a workflow so far (0 if none): later ones are the test's own. */
async function lastExecutionId(n8n, workflowId) {
	const before = await n8n.publicApi('GET', `/executions?workflowId=${workflowId}&limit=20`);
	return Math.max(0, ...(before.data || []).map((e) => Number(e.id)));
}

async function simState(ctx) {
	const r = await fetch(`${ctx.sim.url}/__sim/state`);
	return r.json();
}

function findWorkflow(ctx, pred, what) {
	const w = ctx.workflows.find(pred);
	if (!w) throw new Error(`no ${what} workflow in examples/`);
	return w;
}

/** The active Wait for Callback demo: the workflow, its Webhook node and its RunningHub node. */
function callbackDemo(ctx) {
	const isCallbackRun = (n) =>
		n.type === ACTION_TYPE && n.parameters && n.parameters.waitMode === 'callback';
	const w = findWorkflow(
		ctx,
		(x) => x.active && x.id !== LATE_CALLBACK_WORKFLOW.id && x.json.nodes.some(isCallbackRun),
		'active wait-for-callback',
	);
	return {
		w,
		hookNode: w.json.nodes.find((n) => n.type === 'n8n-nodes-base.webhook'),
		rh: w.json.nodes.find(isCallbackRun),
	};
}

/**
 * The RunningHub Trigger demo: a task created straight on the simulator with the trigger's production
 * URL as its webhookUrl makes the workflow run; its output carries the task ID.
 */
async function runTriggerDemo(ctx, n8n) {
	const w = findWorkflow(
		ctx,
		(x) => x.active && x.json.nodes.some((n) => n.type === TRIGGER_TYPE),
		'active RunningHub Trigger',
	);
	const trig = w.json.nodes.find((n) => n.type === TRIGGER_TYPE);
	// the Production URL exactly as the editor shows it, the Secret Token included
	const url = `${n8n.webhookUrl}webhook/${triggerUrlPath(trig)}`;
	// a task created straight on the simulator's API, with the trigger's URL as webhookUrl
	const created = await createSimTask(ctx, url);
	const exec = await waitForExecution(n8n, w.id, { timeoutMs: 60000 });
	const items = outputItems(exec.data.resultData.runData, trig.name);
	if (!items.length) throw new Error('trigger produced no items');
	const ids = assertTaskIds(items, trig.name);
	if (!ids.includes(created.taskId))
		throw new Error(
			`trigger output lacks taskId ${created.taskId}: ${JSON.stringify(items[0].json).slice(0, 400)}`,
		);
	return { url, created };
}

/** Server-side cases run after `n8n start` (see scripts/e2e.js). */
function serverCases() {
	return [
		{
			name: 'RunningHub Trigger: the simulator calls the production webhook URL, a workflow runs',
			async run({ ctx, n8n }) {
				const { url } = await runTriggerDemo(ctx, n8n);
				const st = await simState(ctx);
				const deliveries = (st.webhookDeliveries || st.deliveries || []).filter(
					(d) => d.url === url,
				);
				if (deliveries.length && !deliveries.some((d) => d.status === 200)) {
					throw new Error(
						`simulator deliveries to ${url}: ${JSON.stringify(deliveries.map((d) => d.status))}`,
					);
				}
			},
		},
		{
			name: 'wait-for-callback: execution waits, the simulator calls /webhook-waiting/, it resumes',
			async run({ ctx, n8n }) {
				const { w, hookNode, rh } = callbackDemo(ctx);
				await postPrompt(
					n8n,
					hookNode.parameters.path,
					'a lighthouse in a storm, from the e2e test',
				);
				// first it is waiting …
				let waiting = null;
				for (let i = 0; i < 30 && !waiting; i++) {
					const r = await n8n.publicApi('GET', `/executions?workflowId=${w.id}&status=waiting`);
					waiting = (r.data || [])[0];
					if (!waiting) {
						const done = await n8n.publicApi('GET', `/executions?workflowId=${w.id}`);
						if (
							(done.data || []).some(
								(e) => e.status !== 'waiting' && e.status !== 'running' && e.status !== 'new',
							)
						)
							break;
						await sleep(200);
					}
				}
				// … then the callback resumes it
				const exec = await waitForExecution(n8n, w.id, { timeoutMs: 60000 });
				const items = outputItems(exec.data.resultData.runData, rh.name);
				const ids = assertTaskIds(items, rh.name);
				if (!ids.length)
					throw new Error(
						`no taskId in the resumed output: ${JSON.stringify(items[0] && items[0].json).slice(0, 400)}`,
					);
				if (items[0].json.status !== 'SUCCESS') throw new Error(`status ${items[0].json.status}`);
				const files = binaries(items);
				if (!files.length || !/^image\//.test(files[0].mimeType))
					throw new Error(`expected an image, got ${JSON.stringify(files.map((f) => f.mimeType))}`);
				const st = await simState(ctx);
				const deliveries = (st.webhookDeliveries || st.deliveries || []).filter((d) =>
					/\/webhook-waiting\//.test(d.url),
				);
				if (!deliveries.some((d) => d.status === 200)) {
					throw new Error(
						`no successful delivery to /webhook-waiting/ (${JSON.stringify(deliveries.map((d) => [d.url, d.status]))})`,
					);
				}
				if (!waiting)
					throw new Error('the execution was never seen in status "waiting" before it resumed');
				if (String(waiting.id) !== String(exec.id))
					throw new Error(
						`waiting execution ${waiting.id} is not the one that finished (${exec.id})`,
					);
			},
		},
		{
			name: 'wait-for-callback: a late callback does not resume the n8n Wait node that follows',
			async run({ ctx, n8n }) {
				const { id, path: hookPath, runNode, waitNode } = LATE_CALLBACK_WORKFLOW;
				const since = await lastExecutionId(n8n, id);
				await postPrompt(n8n, hookPath, 'a lighthouse, then a human approves it');
				// the callback resumes the RunningHub node; the execution then waits at the Wait node
				let exec = null;
				for (let i = 0; i < 120 && !exec; i++) {
					const r = await n8n.publicApi(
						'GET',
						`/executions?workflowId=${id}&status=waiting&includeData=true&limit=5`,
					);
					exec = (r.data || []).find(
						(e) => Number(e.id) > since && e.data.resultData.lastNodeExecuted === waitNode,
					);
					if (!exec) await sleep(500);
				}
				if (!exec) throw new Error(`no execution of ${id} came to wait at "${waitNode}"`);
				const [taskId] = assertTaskIds(outputItems(exec.data.resultData.runData, runNode), runNode);
				const st = await simState(ctx);
				const delivered = (st.webhookDeliveries || []).find(
					(d) => d.taskId === taskId && d.status === 200,
				);
				if (!delivered) throw new Error(`no delivered callback of task ${taskId}`);
				if (!delivered.url.includes(`/webhook-waiting/${exec.id}/`))
					throw new Error(`callback URL ${delivered.url} has no node suffix`);

				// RunningHub sends the same TASK_END again (a resend, a retry after a lost answer)
				const late = await fetch(delivered.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						event: 'TASK_END',
						taskId,
						eventData: JSON.stringify({ code: 0, msg: 'success', data: [] }),
					}),
				});
				const lateBody = await late.text();
				if (late.status !== 404)
					throw new Error(`the late callback was answered ${late.status}: ${lateBody}`);
				const still = await n8n.publicApi('GET', `/executions/${exec.id}?includeData=true`);
				if (still.status !== 'waiting' || still.data.resultData.lastNodeExecuted !== waitNode)
					throw new Error(
						`after the late callback the execution is ${still.status} at ` +
							`${still.data.resultData.lastNodeExecuted}`,
					);

				// the Wait node's own resume URL (no suffix, n8n's signature kept) still resumes it
				const resumeUrl = new URL(delivered.url);
				resumeUrl.pathname = resumeUrl.pathname.replace(/\/[^/]+$/, '');
				const approve = await fetch(resumeUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ approved: true }),
				});
				if (approve.status >= 400)
					throw new Error(
						`the Wait node's resume URL answered ${approve.status} ${await approve.text()}`,
					);
				const done = await waitForExecution(n8n, id, { timeoutMs: 60000, since });
				if (String(done.id) !== String(exec.id))
					throw new Error(`execution ${done.id} finished, not ${exec.id}`);
				return `late callback of task ${taskId} answered 404; the Wait node resumed by its own URL`;
			},
		},
		{
			name: 'wait-for-callback: a task that ends before the execution waits is returned without waiting',
			async run({ ctx, n8n }) {
				const { w, hookNode, rh } = callbackDemo(ctx);
				const since = await lastExecutionId(n8n, w.id);
				// The task ends as it is created: RunningHub calls back while the execution still runs.
				await simConfig(ctx, { nextTaskOutcome: { result: 'success', queuedMs: 0, runningMs: 0 } });
				await postPrompt(
					n8n,
					hookNode.parameters.path,
					'a lighthouse at dawn, a task faster than the pause',
				);
				const exec = await waitForExecution(n8n, w.id, { timeoutMs: 60000, since });
				const items = outputItems(exec.data.resultData.runData, rh.name);
				const [taskId] = assertTaskIds(items, rh.name);
				if (!taskId || items[0].json.status !== 'SUCCESS')
					throw new Error(`output: ${JSON.stringify(items[0] && items[0].json).slice(0, 400)}`);
				if (!binaries(items).length) throw new Error('the result has no file');
				// Resumed by neither a callback nor the wait limit (30 min): it never waited.
				const st = await simState(ctx);
				const deliveries = (st.webhookDeliveries || []).filter((d) => d.taskId === taskId);
				if (!deliveries.length || deliveries.some((d) => d.status === 200))
					throw new Error(
						`callback deliveries of ${taskId}: ${JSON.stringify(deliveries.map((d) => d.status))} (all refused expected)`,
					);
				return `execution ${exec.id} returned task ${taskId} without waiting; n8n answered its callbacks ${[...new Set(deliveries.map((d) => d.status))].join('/')}`;
			},
		},
	];
}

/** Sets simulator options for the next tasks (POST /__sim/config). */
async function simConfig(ctx, config) {
	const r = await fetch(`${ctx.sim.url}/__sim/config`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(config),
	});
	if (!r.ok) throw new Error(`simulator config answered ${r.status} ${await r.text()}`);
}

/** Create a txt2img task directly on the simulator (v1 API) with a webhookUrl. */
async function createSimTask(ctx, webhookUrl) {
	const r = await fetch(`${ctx.sim.url}/task/openapi/create`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', Host: 'www.runninghub.ai' },
		body: JSON.stringify({ apiKey: ctx.simKey, workflowId: '1851826914200891393', webhookUrl }),
	});
	const text = await r.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		throw new Error(`simulator create answered ${r.status} ${text.slice(0, 200)}`);
	}
	const taskId = json.data && String(json.data.taskId);
	if (json.code !== 0 || !TASK_ID.test(taskId || ''))
		throw new Error(`simulator create answered ${text.slice(0, 300)}`);
	// the numericIds quirk: taskId may be a JSON number; take it from the text to keep all 19 digits
	const m = text.match(/"taskId"\s*:\s*"?(\d{19})"?/);
	return { taskId: m ? m[1] : taskId };
}

module.exports = {
	OWNER,
	SIMULATOR_ARGS,
	NOT_FOR_CLI,
	EXPECT,
	ACTION_TYPE,
	TRIGGER_TYPE,
	assertWorkflowRun,
	serverCases,
	resources,
	allResourcesWorkflow,
	ALL_RESOURCES_WORKFLOW,
	RESOURCE_NODE_PREFIX,
	demoWorkflows,
	mapperNodes,
	expectedMapperRows,
	MODEL_DEMO,
	triggerUrlPath,
	WRITE_FILE_DIR,
	WRITE_FILE_WORKFLOW,
	LATE_CALLBACK_WORKFLOW,
	lateCallbackWorkflow,
	writeFileWorkflow,
	writtenFiles,
	EDITOR_RUN_WORKFLOW: { id: 'rhDemoTxt2Img001', node: 'Generate image' },
	get RESOURCES() {
		return resources();
	},
	outputItems,
	waitForExecution,
	runTriggerDemo,
	fs,
};
