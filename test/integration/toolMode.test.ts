/**
 * The node as an AI agent's tool ("RunningHub Tool"), over real HTTP against the simulator, on both
 * paths n8n 2.41 runs tools on:
 * - AI Agent 3: the engine runs the tool node like any node (ExecuteContext, isToolExecution()
 *   false) with the model's arguments as its input item;
 * - AI Agent 2: the node runs inside the agent through n8n-core's own createNodeAsTool +
 *   makeHandleToolInvocation (SupplyDataContext, isToolExecution() true); the test reads the exact
 *   string the model would receive.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readRunSettings } from '../../nodes/RunningHub/helpers/run';

import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import {
	TOOL_NODE_TYPE,
	callWebhook,
	resourceMapperValue,
	resumeWaitingNode,
	runAsInlineTool,
	runNode,
	simulatorCredentials,
	toolDescriptionFor,
} from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { WEBAPP_ID_PORTRAIT, WORKFLOW_ID_TXT2IMG } from '../simulator';
import { SIM_KEY_NORMAL, SIM_KEY_SHARED } from '../simulator/keys';

const sim = useSimulator({ options: { webhookRetryDelaysMs: [] } });
let receiver: WebhookReceiver;
let captured: ReceivedCall[];

beforeAll(async () => {
	receiver = await startReceiver();
	captured = receiver.received;
});

afterAll(async () => {
	await receiver.close();
});

beforeEach(() => {
	captured.length = 0;
});

const PROMPT_FIELD = { id: '6##text', displayName: '#6 CLIP Text Encode › text', type: 'string' };

function toolParameters(waitMode = 'wait', options: IDataObject = {}): IDataObject {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: {
			__rl: true,
			mode: 'id',
			value: WORKFLOW_ID_TXT2IMG,
			cachedResultName: 'Text to image (SDXL)',
		},
		inputMode: 'mapper',
		inputs: resourceMapperValue(
			{ '6##text': "={{ $fromAI('prompt', 'What the image shows', 'string') }}" },
			[PROMPT_FIELD],
		),
		waitMode,
		options: { pollIntervalSeconds: 0.1, ...options },
	};
}

const credentials = () => simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL);

/** AI Agent 3's path: the engine runs the tool node with the model's arguments as its input item. */
/** Holds a task RUNNING until the test ends it, so the node always finds it running before it pauses. */
const HOUR = 3_600_000;

async function runAsEngineTool(args: IDataObject, parameters: IDataObject = toolParameters()) {
	return await runNode({
		nodeType: TOOL_NODE_TYPE,
		parameters: parameters as never,
		credentials: credentials(),
		items: [{ json: args }],
		webhookWaitingBaseUrl: `${receiver.origin}/webhook-waiting`,
		mode: 'webhook',
	});
}

function createdPrompts(): unknown[] {
	return sim.requests
		.filter((request) => request.route === 'v1.create')
		.map((request) => {
			const list = ((request.body as IDataObject).nodeInfoList ?? []) as IDataObject[];
			return list.find((entry) => entry.nodeId === '6' && entry.fieldName === 'text')?.fieldValue;
		});
}

const downloads = () => sim.requests.filter((request) => request.route === 'files.get');

function expectLeanResult(json: IDataObject) {
	expect(json).toMatchObject({ status: 'SUCCESS', taskId: expect.stringMatching(/^\d{19}$/) });
	const files = json.files as IDataObject[];
	expect(files.length).toBeGreaterThan(0);
	for (const file of files) {
		expect(String(file.url)).toMatch(/^https?:\/\//);
		expect(file.type).toBe('png');
		const expires = Date.parse(String(file.expiresAt));
		expect(expires - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
		expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
	}
	expect(json.cost).toEqual(expect.any(Object));
	// nothing the model would have to wade through
	expect(json).not.toHaveProperty('outputs');
	expect(json).not.toHaveProperty('failure');
}

describe('RunningHub Tool on the AI Agent 3 path (engine-run node)', () => {
	it('sends the model argument, answers lean JSON with file links, downloads nothing', async () => {
		const { output } = await runAsEngineTool({ prompt: 'a red fox in the snow' });
		expect(createdPrompts()).toEqual(['a red fox in the snow']);
		expect(output[0]).toHaveLength(1);
		expect(output[0][0].binary).toBeUndefined();
		expectLeanResult(output[0][0].json);
		expect(downloads()).toHaveLength(0);
	});

	it('downloads the files when the Download Outputs option asks for it', async () => {
		const { output } = await runAsEngineTool(
			{ prompt: 'a fox' },
			toolParameters('wait', { downloadOutputs: true }),
		);
		// A tool answers with one item: its files stay together under the Binary Property Prefix.
		expect(output[0]).toHaveLength(1);
		expect(output[0][0].binary?.data_0?.mimeType).toBe('image/png');
		expectLeanResult(output[0][0].json);
		expect(downloads().length).toBeGreaterThan(0);
	});

	it('returns a failing task to the model as readable data instead of throwing', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'torch.OutOfMemoryError',
			exceptionMessage: 'CUDA out of memory. Tried to allocate 2.00 GiB',
			nodeId: '3',
		});
		const { output } = await runAsEngineTool({ prompt: 'a huge poster' });
		const json = output[0][0].json;
		expect(json.status).toBe('ERROR');
		expect(String(json.error)).toMatch(/out of memory/i);
		expect(json.taskId).toMatch(/^\d{19}$/);
		expect(String(json.whatToDo)).toMatch(/smaller size/);
	});

	it('returns a rejected request (bad argument) as data naming what to change', async () => {
		const parameters = toolParameters();
		parameters.options = { pollIntervalSeconds: 0.1, maxConcurrentTasks: -1 };
		const { output } = await runAsEngineTool({ prompt: 'x' }, parameters);
		const json = output[0][0].json;
		expect(json.status).toBe('ERROR');
		expect(String(json.error)).toMatch(/Max Concurrent Tasks/);
		expect(json.whatToDo).toEqual(expect.any(String));
		expect(createdPrompts()).toHaveLength(0);
	});

	it('pauses with Wait for Callback and resumes with the lean answer', async () => {
		sim.nextTaskOutcome({ result: 'success', runningMs: HOUR });
		const run = await runAsEngineTool({ prompt: 'a glacier' }, toolParameters('callback'));
		expect(run.waitTill).toBeInstanceOf(Date);
		const taskId = String(run.output[0][0].json.taskId);
		sim.endTask(taskId);
		await sim.waitFor(
			() => captured.some((call) => call.body.taskId === taskId),
			20_000,
			`TASK_END of ${taskId}`,
		);
		const delivery = captured.find((call) => call.body.taskId === taskId)!;
		const { result } = await callWebhook({
			...run.options,
			body: delivery.body,
			query: delivery.query,
			runExecutionData: run.runExecutionData,
		});
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		const item = (resumed as { output: INodeExecutionData[][] }).output[0][0];
		expectLeanResult(item.json);
		expect(item.binary).toBeUndefined();
		expect(createdPrompts()).toEqual(['a glacier']);
	});

	it('a task that fails during the pause resumes as an error the model can read', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionMessage: 'Prompt outputs failed validation',
			runningMs: HOUR,
		});
		const run = await runAsEngineTool({ prompt: 'a glacier' }, toolParameters('callback'));
		expect(run.waitTill).toBeInstanceOf(Date);
		const taskId = String(run.output[0][0].json.taskId);
		sim.endTask(taskId);
		await sim.waitFor(
			() => captured.some((call) => call.body.taskId === taskId),
			20_000,
			`TASK_END of ${taskId}`,
		);
		const delivery = captured.find((call) => call.body.taskId === taskId)!;
		const { result } = await callWebhook({
			...run.options,
			body: delivery.body,
			query: delivery.query,
			runExecutionData: run.runExecutionData,
		});
		const resumed = await resumeWaitingNode(run, { webhookResult: result });
		const json = (resumed as { output: INodeExecutionData[][] }).output[0][0].json;
		expect(json).toMatchObject({ status: 'ERROR', taskId });
		expect(String(json.error)).toMatch(/failed validation/);
	});

	it('a callback that never comes ends the wait with the advice in the message the model sees', async () => {
		const run = await runAsEngineTool({ prompt: 'a glacier' }, toolParameters('callback'));
		expect(run.waitTill).toBeInstanceOf(Date);
		await expect(resumeWaitingNode(run, 'waitLimit')).rejects.toThrow(
			/did not call back within 30 min \[task \d{19}\]\. The task may still be running.*Task › Get Outputs/,
		);
	});
});

describe('Tool-mode defaults', () => {
	function settingsFor(nodeType: string, waitMode: string, options: IDataObject = {}) {
		const parameters: IDataObject = { waitMode, options };
		const context = {
			getNode: () => ({ type: nodeType, name: 'RunningHub' }),
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				parameters[name] ?? fallback,
			isToolExecution: () => false,
		} as unknown as IExecuteFunctions;
		return readRunSettings(context, 0);
	}

	it('wait 4 minutes and download nothing as a tool; keep the workflow defaults otherwise', () => {
		const tool = settingsFor(TOOL_NODE_TYPE, 'wait');
		expect(tool.wait.timeoutSeconds).toBe(240);
		expect(tool.output.downloadOutputs).toBe(false);
		const callback = settingsFor(TOOL_NODE_TYPE, 'callback');
		expect(callback.wait.timeoutSeconds).toBe(1800);
		const own = settingsFor(TOOL_NODE_TYPE, 'wait', { timeoutSeconds: 900, downloadOutputs: true });
		expect(own.wait.timeoutSeconds).toBe(900);
		expect(own.output.downloadOutputs).toBe(true);
		const node = settingsFor('n8n-nodes-runninghub.runningHub', 'wait');
		expect(node.wait.timeoutSeconds).toBe(1800);
		expect(node.output.downloadOutputs).toBe(true);
	});
});

describe('RunningHub Tool on the AI Agent 2 path (inside the agent)', () => {
	it('the model gets lean JSON with file links for its arguments', async () => {
		const run = await runAsInlineTool(
			{ parameters: toolParameters() as never, credentials: credentials() },
			{ prompt: 'a lighthouse at dawn' },
		);
		expect(run.error).toBeUndefined();
		expect(createdPrompts()).toEqual(['a lighthouse at dawn']);
		const answer = JSON.parse(run.toolMessage!) as IDataObject[];
		expect(answer).toHaveLength(1);
		expectLeanResult(answer[0]);
		expect(run.toolMessage!.length).toBeLessThan(2000);
		expect(downloads()).toHaveLength(0);
	});

	it('a failing task reaches the model as text saying what failed and what to change', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'torch.OutOfMemoryError',
			exceptionMessage: 'CUDA out of memory',
		});
		const run = await runAsInlineTool(
			{ parameters: toolParameters() as never, credentials: credentials() },
			{ prompt: 'a poster' },
		);
		expect(run.error).toBeUndefined();
		const [answer] = JSON.parse(run.toolMessage!) as IDataObject[];
		expect(answer.status).toBe('ERROR');
		expect(String(answer.error)).toMatch(/out of memory/i);
		expect(String(answer.whatToDo)).toMatch(/smaller size/);
	});

	it('refuses Wait for Callback with a message the model can relay, and creates no task', async () => {
		const run = await runAsInlineTool(
			{ parameters: toolParameters('callback') as never, credentials: credentials() },
			{ prompt: 'a castle' },
		);
		expect(run.error).toBeUndefined();
		const [answer] = JSON.parse(run.toolMessage!) as IDataObject[];
		expect(answer.status).toBe('ERROR');
		expect(String(answer.error)).toMatch(/Wait for Callback.*cannot pause/);
		expect(`${answer.details} ${answer.whatToDo}`).toMatch(/Wait for Completion/);
		expect(sim.stats.createRequests).toBe(0);
	});

	it('offers the model a description naming the workflow and what comes back, and the $fromAI parameter', async () => {
		const run = await runAsInlineTool(
			{ parameters: toolParameters() as never, credentials: credentials() },
			{ prompt: 'a fox' },
		);
		expect(run.name).toBe('RunningHub');
		expect(run.description).toContain(`ComfyUI workflow ${WORKFLOW_ID_TXT2IMG} with the inputs`);
		expect(run.description).toMatch(/files\[\] with url .*24 hours/);
		expect(run.description).toMatch(/whatToDo/);
		const shape = (run.schema as { shape: Record<string, { description?: string }> }).shape;
		expect(Object.keys(shape)).toEqual(['prompt']);
	});
});

describe('Every run kind takes $fromAI() arguments and answers lean JSON', () => {
	it('Model › Generate', async () => {
		const run = await runAsInlineTool(
			{
				parameters: {
					resource: 'model',
					operation: 'generate',
					modelEndpoint: { __rl: true, mode: 'id', value: 'rhart-image-v1/text-to-image' },
					modelParameters: resourceMapperValue({
						prompt: "={{ $fromAI('prompt', 'What the image shows', 'string') }}",
						aspectRatio: '1:1',
					}),
					additionalParameters: '{}',
					waitMode: 'wait',
					options: { pollIntervalSeconds: 0.1 },
				} as never,
				credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			},
			{ prompt: 'a paper boat on a lake' },
		);
		expect(run.error).toBeUndefined();
		const model = sim.requests.find((request) => request.route === 'v2.model');
		expect((model?.body as IDataObject).prompt).toBe('a paper boat on a lake');
		expect(run.description).toContain('hosted model endpoint rhart-image-v1/text-to-image');
		const [answer] = JSON.parse(run.toolMessage!) as IDataObject[];
		expect(answer).toMatchObject({ status: 'SUCCESS', taskId: expect.stringMatching(/^\d{19}$/) });
		expect((answer.files as IDataObject[])[0].url).toMatch(/^https?:\/\//);
		expect(downloads()).toHaveLength(0);
	});

	it('AI App › Run', async () => {
		const run = await runAsInlineTool(
			{
				parameters: {
					resource: 'aiApp',
					operation: 'run',
					webappId: { __rl: true, mode: 'id', value: WEBAPP_ID_PORTRAIT },
					inputMode: 'mapper',
					inputs: resourceMapperValue({
						'6##text': "={{ $fromAI('prompt', 'What the portrait shows', 'string') }}",
					}),
					waitMode: 'wait',
					options: { pollIntervalSeconds: 0.1 },
				} as never,
				credentials: credentials(),
			},
			{ prompt: 'a cat astronaut' },
		);
		expect(run.error).toBeUndefined();
		const body = sim.requests.find((request) => request.route === 'v1.aiAppRun')
			?.body as IDataObject;
		expect(body.nodeInfoList).toEqual([
			expect.objectContaining({ nodeId: '6', fieldName: 'text', fieldValue: 'a cat astronaut' }),
		]);
		expect(run.description).toContain(`AI app ${WEBAPP_ID_PORTRAIT}`);
		const [answer] = JSON.parse(run.toolMessage!) as IDataObject[];
		expect(answer).toMatchObject({ status: 'SUCCESS' });
		expect((answer.files as IDataObject[]).length).toBeGreaterThan(0);
	});
});

describe('Tool descriptions', () => {
	it('name the chosen AI app, model endpoint or workflow, and the wait mode', () => {
		const app = toolDescriptionFor({
			parameters: {
				resource: 'aiApp',
				operation: 'run',
				webappId: { __rl: true, mode: 'id', value: '1877265245566922753' },
				waitMode: 'submit',
			},
		});
		expect(app).toContain('AI app 1877265245566922753');
		expect(app).toMatch(/only starts the task and returns \{taskId, status\}/);

		const model = toolDescriptionFor({
			parameters: {
				resource: 'model',
				operation: 'generate',
				modelEndpoint: { __rl: true, mode: 'id', value: 'rhart-image-n-pro/text-to-image' },
			},
		});
		expect(model).toContain('hosted model endpoint rhart-image-n-pro/text-to-image');
		expect(model).toMatch(/waits for the task/);

		const callback = toolDescriptionFor({ parameters: toolParameters('callback') as never });
		expect(callback).toMatch(/workflow pauses meanwhile/);

		const quick = toolDescriptionFor({
			parameters: {
				resource: 'quickCreate',
				operation: 'run',
				webappId: '1973555366057390081',
				quickCreateCode: '002',
			},
		});
		expect(quick).toContain('Quick Create module 1973555366057390081 (code 002)');

		const status = toolDescriptionFor({ parameters: { resource: 'task', operation: 'getStatus' } });
		expect(status).toMatch(/status .* of a RunningHub task, given its taskId/);
	});

	it("keep the user's own description", () => {
		const own = toolDescriptionFor({
			parameters: { ...toolParameters(), toolDescription: 'Makes a poster of a product' } as never,
		});
		expect(own).toBe('Makes a poster of a product');
	});
});
