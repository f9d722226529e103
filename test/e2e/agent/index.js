'use strict';
/**
 * The RunningHub Tool inside n8n's AI Agent (current major version 3.1 and previous 2.2), driven by
 * a fake OpenAI-compatible model (./fake-openai.js) and run against the RunningHub simulator in the
 * real n8n of scripts/e2e.js.
 *
 * One workflow per agent version: Webhook (answers at once) → AI Agent, with an OpenAI Chat Model
 * whose credential's base URL is the fake server, and two RunningHub tools on the txt2img workflow:
 * "Make image" (Wait for Completion) and "Make image later" (Wait for Callback). The webhook body's
 * prompt tells the fake model which tool to call with which arguments.
 *
 * Checks: the simulator received the model's arguments; the tool message the model received (file
 * URLs with type and expiry, the task ID, no binary data, a readable error for a failing task, the
 * callback refusal where the agent cannot pause); the agent's final answer; the tool description the
 * model was offered; and one Wait for Callback run that pauses and resumes under Agent 3.1.
 */
const fs = require('fs');
const path = require('path');

const { startFakeOpenAi, callInstruction, FINAL_PREFIX, MODEL } = require('./fake-openai');

const REPO = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = require(path.join(REPO, 'package.json')).name;
const TOOL_TYPE = `${PACKAGE}.runningHubTool`;
const OPENAI_CREDENTIAL = { id: 'rhDemoOpenAiCred1', name: 'OpenAI account' };
const RUNNINGHUB_CREDENTIAL = { id: 'rhDemoCredential1', name: 'RunningHub account' };
const WORKFLOW_ID_TXT2IMG = '1851826914200891393';

const AGENT_VERSIONS = [
	{ version: 3.1, id: 'rhE2eAgentV31000', path: 'runninghub-agent-v31' },
	{ version: 2.2, id: 'rhE2eAgentV22000', path: 'runninghub-agent-v22' },
];
const TOOL_NOW = 'Make image';
const TOOL_LATER = 'Make image later';
const toolName = (nodeName) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

const PROMPT_SCHEMA = [
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
];

function toolNode(name, waitMode, position) {
	return {
		id: `agent-tool-${waitMode}`,
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position,
		parameters: {
			resource: 'workflow',
			operation: 'run',
			workflowId: {
				__rl: true,
				mode: 'id',
				value: WORKFLOW_ID_TXT2IMG,
				cachedResultName: 'Text to image (SDXL)',
			},
			inputMode: 'mapper',
			inputs: {
				mappingMode: 'defineBelow',
				value: {
					'6##text': "={{ $fromAI('prompt', 'What the image shows, in English', 'string') }}",
				},
				matchingColumns: [],
				schema: PROMPT_SCHEMA,
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			waitMode,
			options: {},
		},
		credentials: { runningHubApi: RUNNINGHUB_CREDENTIAL },
	};
}

/** The e2e workflow of one agent version. */
function agentWorkflow({ version, id, path: hookPath }) {
	const agentName = `AI Agent ${version}`;
	const nodes = [
		{
			id: `${id}-hook`,
			name: 'Prompt received',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `00000000-0000-4000-8000-${id
				.slice(-12)
				.toLowerCase()
				.replace(/[^0-9a-f]/g, '0')}`,
			parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} },
		},
		{
			id: `${id}-agent`,
			name: agentName,
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: version,
			position: [260, 0],
			parameters: { promptType: 'define', text: '={{ $json.body.prompt }}', options: {} },
		},
		{
			id: `${id}-model`,
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [180, 240],
			parameters: {
				model: { __rl: true, mode: 'list', value: MODEL },
				responsesApiEnabled: false,
				options: {},
			},
			credentials: { openAiApi: OPENAI_CREDENTIAL },
		},
		toolNode(TOOL_NOW, 'wait', [380, 240]),
		toolNode(TOOL_LATER, 'callback', [560, 240]),
	];
	return {
		id,
		name: `e2e: AI Agent ${version} with the RunningHub tool`,
		active: true,
		nodes,
		connections: {
			'Prompt received': { main: [[{ node: agentName, type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: agentName, type: 'ai_languageModel', index: 0 }]],
			},
			[TOOL_NOW]: { ai_tool: [[{ node: agentName, type: 'ai_tool', index: 0 }]] },
			[TOOL_LATER]: { ai_tool: [[{ node: agentName, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The OpenAI credential of the demo and e2e workflows, pointed at the fake server. */
function openAiCredential(fake) {
	return {
		...OPENAI_CREDENTIAL,
		type: 'openAiApi',
		data: { apiKey: 'sk-fake-e2e-key', url: fake.baseUrl },
	};
}

/**
 * Set-up, before `n8n start`: the fake model server, its credential and the agent workflows
 * (written to `dir`; returned so e2e.js imports and publishes them with the others).
 */
async function setUp({ port, dir }) {
	const fake = await startFakeOpenAi({ port });
	fs.mkdirSync(dir, { recursive: true });
	for (const v of AGENT_VERSIONS)
		fs.writeFileSync(path.join(dir, `${v.id}.json`), JSON.stringify(agentWorkflow(v), null, 2));
	return { fake, credential: openAiCredential(fake) };
}

// ------------------------------------------------------------------------------------- helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function simulator(ctx, method, p, body) {
	const r = await fetch(`${ctx.sim.url}${p}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return r.json();
}

async function latestExecutionId(n8n, workflowId) {
	const r = await n8n.publicApi('GET', `/executions?workflowId=${workflowId}&limit=1`);
	return Number(((r.data || [])[0] || {}).id || 0);
}

/** Polls the public API until an execution newer than `since` is in one of `statuses`. */
async function executionIn(n8n, workflowId, since, statuses, timeoutMs = 90000) {
	const started = Date.now();
	let seen = [];
	while (Date.now() - started < timeoutMs) {
		const r = await n8n.publicApi(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=5`,
		);
		seen = (r.data || []).filter((e) => Number(e.id) > since);
		const hit = seen.find((e) => statuses.includes(e.status));
		if (hit) return hit;
		const ended = seen.find((e) => ['error', 'crashed', 'canceled'].includes(e.status));
		if (ended) {
			const err = ended.data && ended.data.resultData && ended.data.resultData.error;
			throw new Error(`execution ${ended.id} ended "${ended.status}": ${err ? err.message : ''}`);
		}
		await sleep(500);
	}
	throw new Error(
		`no execution of ${workflowId} in ${statuses.join('/')} within ${timeoutMs} ms (saw ${JSON.stringify(seen.map((e) => e.status))})`,
	);
}

/** Runs one agent turn through the workflow's webhook; resolves what the test needs to assert. */
async function agentTurn({ ctx, n8n }, agent, prompt, { expectWaiting = false } = {}) {
	const since = await latestExecutionId(n8n, agent.id);
	const fakeRequestsBefore = ctx.agent.fake.requests.length;
	const simRequestsBefore = (await simulator(ctx, 'GET', '/__sim/requests')).requests.length;
	const res = await fetch(`${n8n.webhookUrl}webhook/${agent.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompt }),
	});
	if (res.status >= 400) throw new Error(`webhook answered ${res.status} ${await res.text()}`);
	let waiting = null;
	if (expectWaiting) waiting = await executionIn(n8n, agent.id, since, ['waiting']);
	const exec = await executionIn(n8n, agent.id, since, ['success']);
	const runData = exec.data.resultData.runData;
	const agentRuns = runData[`AI Agent ${agent.version}`] || [];
	const lastAgentRun = agentRuns[agentRuns.length - 1];
	const agentItems = (lastAgentRun && lastAgentRun.data && lastAgentRun.data.main[0]) || [];
	const modelRequests = ctx.agent.fake.requests.slice(fakeRequestsBefore);
	const toolMessages = modelRequests.flatMap((r) =>
		(r.body.messages || []).filter((m) => m.role === 'tool').map((m) => String(m.content)),
	);
	const simRequests = (await simulator(ctx, 'GET', '/__sim/requests')).requests.slice(
		simRequestsBefore,
	);
	return {
		exec,
		waiting,
		runData,
		output: agentItems.map((it) => it.json.output).join('\n'),
		modelRequests,
		toolMessage: toolMessages[toolMessages.length - 1],
		simRequests,
	};
}

function parseToolMessage(text) {
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	// Agent 3.1 sends the tool's items as an array, Agent 2.2 the item's JSON (or its text)
	if (Array.isArray(value)) value = value[0];
	if (typeof value === 'string') return parseToolMessage(value) ?? value;
	if (value && typeof value === 'object' && value.response !== undefined)
		return typeof value.response === 'string'
			? (parseToolMessage(value.response) ?? value.response)
			: value.response;
	return value;
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function createdPrompts(simRequests) {
	return simRequests
		.filter((r) => r.route === 'v1.create' || r.route === 'v2.runWorkflow')
		.map((r) => {
			const list = (r.body && r.body.nodeInfoList) || [];
			const entry = list.find((e) => String(e.nodeId) === '6' && e.fieldName === 'text');
			return entry && entry.fieldValue;
		});
}

function assertLeanSuccess(turn, prompt, where) {
	assert(
		createdPrompts(turn.simRequests).includes(prompt),
		`${where}: the simulator did not get the model's prompt argument (created with ${JSON.stringify(createdPrompts(turn.simRequests))})`,
	);
	assert(turn.toolMessage !== undefined, `${where}: the model never received a tool message`);
	assert(
		turn.toolMessage.length < 4000 &&
			!/"binary"|base64|"data":"[A-Za-z0-9+/]{200}/.test(turn.toolMessage),
		`${where}: the tool message carries binary data (${turn.toolMessage.length} chars): ${turn.toolMessage.slice(0, 300)}`,
	);
	const result = parseToolMessage(turn.toolMessage);
	assert(
		result && typeof result === 'object',
		`${where}: the tool message is not JSON: ${turn.toolMessage.slice(0, 400)}`,
	);
	assert(result.status === 'SUCCESS', `${where}: status ${result.status} in ${turn.toolMessage}`);
	assert(
		/^\d{19}$/.test(String(result.taskId)),
		`${where}: no 19-digit taskId: ${turn.toolMessage}`,
	);
	const files = result.files || result.outputs || [];
	assert(
		files.length && files.every((f) => /^https?:\/\//.test(f.url || f.fileUrl)),
		`${where}: no file URLs in the tool message: ${turn.toolMessage}`,
	);
	assert(
		files.every((f) => (f.type || f.fileType) && f.expiresAt),
		`${where}: file entries lack type or expiry: ${JSON.stringify(files)}`,
	);
	const url = files[0].url || files[0].fileUrl;
	assert(
		turn.output.startsWith(FINAL_PREFIX) && turn.output.includes(url),
		`${where}: the agent's answer does not quote the file URL ${url}: ${turn.output.slice(0, 400)}`,
	);
	return { result, url };
}

function assertToolDescription(turn, where) {
	const offered = (turn.modelRequests[0] && turn.modelRequests[0].body.tools) || [];
	const tool = offered.map((t) => t.function || t).find((t) => t.name === toolName(TOOL_NOW));
	assert(tool, `${where}: tool ${toolName(TOOL_NOW)} not offered to the model`);
	assert(
		tool.description.includes(WORKFLOW_ID_TXT2IMG) && /url/i.test(tool.description),
		`${where}: the tool description names neither the workflow nor what it returns: "${tool.description}"`,
	);
	const props = (tool.parameters && tool.parameters.properties) || {};
	assert(
		props.prompt,
		`${where}: the $fromAI('prompt') parameter is missing: ${JSON.stringify(props)}`,
	);
}

// ------------------------------------------------------------------------------------- cases
function serverCases() {
	const cases = [];
	for (const agent of AGENT_VERSIONS) {
		const v = `AI Agent ${agent.version}`;
		cases.push({
			name: `${v}: the model's arguments reach RunningHub, it gets lean JSON with file URLs and answers with the URL`,
			async run(args) {
				await args.resetSimulator();
				const prompt = `a red fox in the snow, asked through agent ${agent.version}`;
				const turn = await agentTurn(args, agent, callInstruction(toolName(TOOL_NOW), { prompt }));
				assertToolDescription(turn, v);
				assertLeanSuccess(turn, prompt, v);
				const toolRuns = turn.runData[TOOL_NOW] || [];
				const binaries = toolRuns.flatMap((r) =>
					Object.values((r.data && (r.data.ai_tool || r.data.main)) || {})
						.flat(2)
						.filter((item) => item && item.binary && Object.keys(item.binary).length),
				);
				assert(!binaries.length, `${v}: the tool downloaded files (binary in its run data)`);
				const downloads = turn.simRequests.filter((r) => r.route === 'files.get');
				assert(
					!downloads.length,
					`${v}: the tool downloaded ${downloads.length} output files: ${downloads.map((r) => r.path).join(', ')}`,
				);
			},
		});
		cases.push({
			name: `${v}: a failing task reaches the model as a readable error (what failed, what to change)`,
			async run(args) {
				const { ctx } = args;
				await args.resetSimulator();
				await simulator(ctx, 'POST', '/__sim/config', {
					nextTaskOutcome: {
						result: 'fail',
						exceptionType: 'torch.OutOfMemoryError',
						exceptionMessage: 'CUDA out of memory. Tried to allocate 2.00 GiB',
						nodeId: '3',
					},
				});
				const turn = await agentTurn(
					args,
					agent,
					callInstruction(toolName(TOOL_NOW), { prompt: 'a huge poster, 8k' }),
				);
				assert(turn.toolMessage, `${v}: the model never received a tool message`);
				const text = turn.toolMessage;
				assert(
					/out of memory/i.test(text) && /\d{19}/.test(text),
					`${v}: the tool message does not say what failed (with the task ID): ${text.slice(0, 600)}`,
				);
				assert(
					/(try|change|use|lower|smaller|plus)/i.test(text.replace(/out of memory/gi, '')),
					`${v}: the tool message does not say what to change: ${text.slice(0, 600)}`,
				);
				assert(
					turn.output.startsWith(FINAL_PREFIX) && /out of memory/i.test(turn.output),
					`${v}: the agent's answer does not relay the error: ${turn.output.slice(0, 400)}`,
				);
			},
		});
	}
	const v31 = AGENT_VERSIONS[0];
	cases.push({
		name: 'AI Agent 3.1: Wait for Callback pauses the execution, the callback resumes it, the model gets the URL',
		async run(args) {
			await args.resetSimulator();
			const prompt = 'a slow video frame of a glacier, asked to wait for the callback';
			const turn = await agentTurn(args, v31, callInstruction(toolName(TOOL_LATER), { prompt }), {
				expectWaiting: true,
			});
			assert(
				String(turn.waiting.id) === String(turn.exec.id),
				`waiting execution ${turn.waiting.id} is not the one that finished (${turn.exec.id})`,
			);
			const st = await simulator(args.ctx, 'GET', '/__sim/state');
			assert(
				(st.webhookDeliveries || []).some(
					(d) => /\/webhook-waiting\//.test(d.url) && d.status === 200,
				),
				`no successful callback to /webhook-waiting/: ${JSON.stringify((st.webhookDeliveries || []).map((d) => [d.url, d.status]))}`,
			);
			assertLeanSuccess(turn, prompt, 'Agent 3.1 callback');
		},
	});
	const v22 = AGENT_VERSIONS[1];
	cases.push({
		name: 'AI Agent 2.2: Wait for Callback is refused with a message the model can act on, no task is created',
		async run(args) {
			await args.resetSimulator();
			const turn = await agentTurn(
				args,
				v22,
				callInstruction(toolName(TOOL_LATER), {
					prompt: 'a castle, asked to wait for the callback',
				}),
			);
			assert(turn.toolMessage, 'the model never received a tool message');
			assert(
				/Wait for Callback/.test(turn.toolMessage) && /Wait for Completion/.test(turn.toolMessage),
				`the tool message does not explain the refusal and the fix: ${turn.toolMessage.slice(0, 600)}`,
			);
			assert(
				!createdPrompts(turn.simRequests).length,
				'a RunningHub task was created although the call was refused',
			);
			assert(
				turn.output.startsWith(FINAL_PREFIX) && /Wait for Callback/.test(turn.output),
				`the agent's answer does not relay the refusal: ${turn.output.slice(0, 400)}`,
			);
		},
	});
	return cases;
}

/**
 * The AI Agent demo in examples/, run headless with `n8n execute`: the fake model calls the tool
 * with the request's words; the agent must answer with the image link, and the tool download nothing.
 */
const DEMO_WORKFLOW_ID = 'rhDemoAiAgent001';
function assertDemoRun(runData) {
	const runsOf = (name) => {
		const runs = runData[name] || [];
		assert(runs.length, `node "${name}" did not run (ran: ${Object.keys(runData).join(', ')})`);
		for (const run of runs)
			assert(!run.error, `node "${name}" failed: ${run.error && run.error.message}`);
		return runs;
	};
	const toolItems = runsOf('Make image').flatMap((run) =>
		Object.values(run.data || {})
			.flat(2)
			.filter(Boolean),
	);
	const answer = toolItems.map((item) => item.json).find((json) => json && json.status);
	const flat = answer && (answer.response ? [].concat(answer.response)[0] : answer);
	assert(
		flat && flat.status === 'SUCCESS' && flat.files && flat.files.length,
		`the tool did not answer with files: ${JSON.stringify(toolItems.map((i) => i.json)).slice(0, 400)}`,
	);
	assert(
		!toolItems.some((item) => item.binary && Object.keys(item.binary).length),
		'the tool downloaded files',
	);
	const agentRuns = runsOf('AI Agent');
	const output = agentRuns[agentRuns.length - 1].data.main[0][0].json.output;
	assert(
		typeof output === 'string' && output.includes(flat.files[0].url),
		`the agent's answer lacks the image link ${flat.files[0].url}: ${String(output).slice(0, 300)}`,
	);
}

module.exports = {
	DEMO_WORKFLOW_ID,
	assertDemoRun,
	setUp,
	serverCases,
	agentWorkflow,
	openAiCredential,
	OPENAI_CREDENTIAL,
	AGENT_VERSIONS,
};
