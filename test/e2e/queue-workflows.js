'use strict';
/**
 * Workflows for the queue-mode end-to-end run (scripts/e2e-queue.js) and bench/queue.ts. Each starts
 * from a production webhook, so the webhook processor receives it and a worker runs it.
 */
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(REPO, 'package.json')).name;
const ACTION_TYPE = `${PACKAGE}.runningHub`;
const TRIGGER_TYPE = `${PACKAGE}.runningHubTrigger`;
const CREDENTIALS = { runningHubApi: { id: 'rhDemoCredential1', name: 'RunningHub account' } };
/** A workflow of the simulator's fixtures (text-to-image: #6 text, #3 seed). */
const SIM_WORKFLOW_ID = '1851826914200891393';
const TRIGGER_TOKEN = 'queue-e2e-token-5c1d';

const IDS = {
	batch: 'rhQueueBatch0001',
	callback: 'rhQueueCallbck01',
	waitLimit: 'rhQueueWaitLim01',
	poll: 'rhQueuePolling01',
	timeout: 'rhQueueTimeout01',
	trigger: 'rhQueueTrigger01',
	benchPoll: 'rhQueueBenchPl01',
	benchCallback: 'rhQueueBenchCb01',
};

const PATHS = {
	batch: 'rh-queue-batch',
	callback: 'rh-queue-callback',
	waitLimit: 'rh-queue-wait-limit',
	poll: 'rh-queue-poll',
	timeout: 'rh-queue-timeout',
	benchPoll: 'rh-queue-bench-poll',
	benchCallback: 'rh-queue-bench-callback',
};

function webhookNode(name, hookPath, webhookId) {
	return {
		id: `${webhookId}-hook`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} },
	};
}

/** RunningHub › Workflow › Run on the simulator's text-to-image workflow, prompt from `promptExpr`. */
function runNode(name, { promptExpr, waitMode, options, position = [240, 0], extra = {} }) {
	return {
		id: `${name.replace(/\W+/g, '-').toLowerCase()}-rh`,
		name,
		type: ACTION_TYPE,
		typeVersion: 1,
		position,
		parameters: {
			resource: 'workflow',
			operation: 'run',
			workflowId: { __rl: true, mode: 'id', value: SIM_WORKFLOW_ID },
			inputMode: 'mapper',
			inputs: {
				mappingMode: 'defineBelow',
				value: { '6##text': promptExpr },
				matchingColumns: [],
				schema: [
					{
						id: '6##text',
						displayName: '#6 CLIP Text Encode (Positive Prompt) (CLIPTextEncode) › text',
						required: false,
						defaultMatch: false,
						canBeUsedToMatch: false,
						display: true,
						removed: false,
						type: 'string',
					},
				],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			waitMode,
			options,
		},
		credentials: CREDENTIALS,
		...extra,
	};
}

function link(from, to, output = 0) {
	return {
		[from]: { main: Object.assign([], { [output]: [{ node: to, type: 'main', index: 0 }] }) },
	};
}

function connections(...links) {
	const out = {};
	for (const l of links) {
		for (const [from, value] of Object.entries(l)) {
			const main = (out[from] && out[from].main) || [];
			value.main.forEach((targets, i) => {
				if (targets) main[i] = [...(main[i] || []), ...targets];
			});
			for (let i = 0; i < main.length; i++) if (!main[i]) main[i] = [];
			out[from] = { main };
		}
	}
	return out;
}

function workflow(id, name, nodes, conns, { active = true, settings = {} } = {}) {
	return {
		id,
		name,
		active,
		nodes,
		connections: conns,
		settings: { executionOrder: 'v1', ...settings },
	};
}

/** Webhook → Split Out (body.prompts) → RunningHub (Wait for Completion) → Set (prompt via pairing). */
function batchWorkflow() {
	return workflow(
		IDS.batch,
		'queue e2e: batch of prompts on the workers',
		[
			webhookNode('Prompts received', PATHS.batch, '7a0c1d2e-0000-4000-8000-00000000b001'),
			{
				id: 'queue-split',
				name: 'Split prompts',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [120, 0],
				parameters: { fieldToSplitOut: 'body.prompts', options: {} },
			},
			runNode('Generate', {
				promptExpr: '={{ $json.prompt }}',
				waitMode: 'wait',
				options: { maxConcurrentTasks: 20, pollIntervalSeconds: 0.5 },
			}),
			{
				id: 'queue-paired',
				name: 'Paired',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [480, 0],
				parameters: {
					assignments: {
						assignments: [
							{
								id: 'p1',
								name: 'prompt',
								value: "={{ $('Split prompts').item.json.prompt }}",
								type: 'string',
							},
							{ id: 'p2', name: 'taskId', value: '={{ $json.taskId }}', type: 'string' },
							{ id: 'p3', name: 'status', value: '={{ $json.status }}', type: 'string' },
						],
					},
					includeOtherFields: false,
					options: {},
				},
			},
		],
		connections(
			link('Prompts received', 'Split prompts'),
			link('Split prompts', 'Generate'),
			link('Generate', 'Paired'),
		),
	);
}

/** Webhook → RunningHub (Wait for Callback). */
function callbackWorkflow(
	id = IDS.callback,
	hookPath = PATHS.callback,
	timeoutSeconds = 600,
	webhookId = '7a0c1d2e-0000-4000-8000-00000000c001',
) {
	return workflow(
		id,
		`queue e2e: wait for callback (${hookPath})`,
		[
			webhookNode('Prompt received', hookPath, webhookId),
			runNode('Generate and wait for callback', {
				promptExpr: "={{ $json.body.prompt || 'a lighthouse' }}",
				waitMode: 'callback',
				options: { timeoutSeconds },
			}),
		],
		connections(link('Prompt received', 'Generate and wait for callback')),
	);
}

/**
 * Wait for Callback with a short wait limit, its error output wired to Task › Cancel: when the
 * limit passes n8n raises the node's error without running node code, so the cancel is a node of
 * the workflow (README, "Queue mode").
 */
function waitLimitWorkflow(limitSeconds) {
	const wf = callbackWorkflow(
		IDS.waitLimit,
		PATHS.waitLimit,
		limitSeconds,
		'7a0c1d2e-0000-4000-8000-00000000d001',
	);
	const rh = wf.nodes[1];
	rh.onError = 'continueErrorOutput';
	wf.nodes.push({
		id: 'queue-cancel-late-task',
		name: 'Cancel the late task',
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [480, 120],
		parameters: {
			resource: 'task',
			operation: 'cancel',
			taskId: '={{ $json.error.match(/task (\\d{19})/)[1] }}',
		},
		credentials: CREDENTIALS,
	});
	wf.connections = connections(
		link('Prompt received', rh.name),
		link(rh.name, 'Cancel the late task', 1),
	);
	return wf;
}

/** Webhook → RunningHub (Wait for Completion): one long task, polled. */
function pollWorkflow(
	id = IDS.poll,
	hookPath = PATHS.poll,
	options = {},
	webhookId = '7a0c1d2e-0000-4000-8000-00000000e001',
) {
	return workflow(
		id,
		`queue e2e: one polled task (${hookPath})`,
		[
			webhookNode('Prompt received', hookPath, webhookId),
			runNode('Generate', {
				promptExpr: "={{ $json.body.prompt || 'a lighthouse' }}",
				waitMode: 'wait',
				options: { pollIntervalSeconds: 1, ...options },
			}),
			{
				id: 'queue-after',
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [480, 0],
				parameters: {},
			},
		],
		connections(link('Prompt received', 'Generate'), link('Generate', 'After')),
	);
}

/**
 * The polled task of pollWorkflow in a workflow whose "Timeout Workflow" setting ends the execution
 * on the worker after `seconds`.
 */
function timeoutWorkflow(seconds) {
	const wf = pollWorkflow(IDS.timeout, PATHS.timeout, {}, '7a0c1d2e-0000-4000-8000-00000000f001');
	wf.name = `queue e2e: Timeout Workflow ${seconds} s on a polled task`;
	wf.settings = { ...wf.settings, executionTimeout: seconds };
	return wf;
}

/** RunningHub Trigger (token, verified with the API, outputs downloaded). */
function triggerWorkflow() {
	return workflow(
		IDS.trigger,
		'queue e2e: RunningHub Trigger',
		[
			{
				id: 'queue-trigger',
				name: 'When a RunningHub task ends',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '7a0c1d2e-0000-4000-8000-00000000f001',
				parameters: { token: TRIGGER_TOKEN, verifyWithApi: true, options: {} },
				credentials: CREDENTIALS,
			},
		],
		{},
	);
}

module.exports = {
	IDS,
	PATHS,
	ACTION_TYPE,
	TRIGGER_TYPE,
	TRIGGER_TOKEN,
	SIM_WORKFLOW_ID,
	batchWorkflow,
	callbackWorkflow,
	waitLimitWorkflow,
	pollWorkflow,
	timeoutWorkflow,
	triggerWorkflow,
};
