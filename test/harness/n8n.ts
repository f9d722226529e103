/**
 * Runs the package's nodes through n8n-core's real execution contexts (ExecuteContext,
 * LoadOptionsContext, WebhookContext): parameters are resolved by n8n-workflow, HTTP goes through
 * n8n-core's `httpRequestWithAuthentication` (axios) with the credential's own `authenticate`,
 * and binary data goes through n8n-core's binary helpers. Only the surroundings a workflow run
 * would have (credential store, run data, additional data) are built here.
 */
import 'reflect-metadata';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecuteContext,
	LoadOptionsContext,
	SupplyDataContext,
	WebhookContext,
	WorkflowExecute,
	prepareBinaryData,
} from 'n8n-core';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { RunningHubApi } from '../../credentials/RunningHubApi.credentials';
import { RunningHub } from '../../nodes/RunningHub/RunningHub.node';
import { RunningHubTrigger } from '../../nodes/RunningHubTrigger/RunningHubTrigger.node';

export interface TestCredentials {
	apiKey: string;
	site?: string;
	customBaseUrl?: string;
}

export function simulatorCredentials(baseUrl: string, apiKey: string): TestCredentials {
	return { apiKey, site: 'custom', customBaseUrl: baseUrl };
}

const credentialType = new RunningHubApi();

/** Stands in for n8n's credential store: returns the test credential and applies its authenticate(). */
class TestCredentialsHelper implements Partial<ICredentialsHelper> {
	constructor(private readonly credentials: TestCredentials | undefined) {}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_type: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await credentialType.authenticate(credentials, requestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) throw new Error('No RunningHub credential in this test');
		return {
			site: 'https://www.runninghub.ai',
			customBaseUrl: '',
			...this.credentials,
		} as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

// n8n-core registers its services in its own copy of the DI container, so use that copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(
	require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] }),
) as typeof import('@n8n/di');

let binaryModeReady: string | undefined;

/**
 * Binary data as n8n keeps it: `default` (in the item, base64) or `filesystem` (on disk, the item
 * holds only a reference). Initialised once per test file.
 */
export async function useBinaryMode(mode: 'default' | 'filesystem' = 'default'): Promise<string> {
	if (binaryModeReady === mode) return mode;
	const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = mode;
	config.availableModes = ['default', 'filesystem'];
	config.localStoragePath = storagePath;
	const service = Container.get(BinaryDataService);
	await service.init();
	binaryModeReady = mode;
	return mode;
}

/**
 * Stores bytes as n8n would for an input item in the current binary mode (in the item as base64,
 * or on disk with only a reference in the item). Call useBinaryMode() first.
 */
export async function prepareBinary(
	data: Buffer,
	fileName: string,
	mimeType?: string,
): Promise<IBinaryData> {
	await useBinaryMode(binaryModeReady as 'default' | 'filesystem' | undefined);
	return await prepareBinaryData(data, 'exec-1', 'wf-test', fileName, mimeType);
}

/** The bytes of a binary the node produced, wherever the current binary mode keeps them. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** Every file under the folder where filesystem mode keeps binaries (partial writes included). */
export function storedBinaryFiles(): string[] {
	const root = Container.get(BinaryDataConfig).localStoragePath;
	return (fs.readdirSync(root, { recursive: true }) as string[])
		.map((name) => path.join(root, name))
		.filter((file) => fs.statSync(file).isFile());
}

const nodeTypeInstances: Record<string, INodeType> = {};

export function registerNodeType(name: string, nodeType: INodeType): void {
	nodeTypeInstances[name] = nodeType;
}

registerNodeType('n8n-nodes-runninghub.runningHub', new RunningHub());
registerNodeType('n8n-nodes-runninghub.runningHubTrigger', new RunningHubTrigger());

/** The node type n8n generates for an AI agent from a `usableAsTool` node. */
export const TOOL_NODE_TYPE = 'n8n-nodes-runninghub.runningHubTool';

/**
 * "RunningHub Tool" as n8n 2.41 builds it at start-up (packages/cli tool-generation/ai-tools.ts
 * `convertNodeToAiTool`): the same node with `Tool` appended to its name, no inputs, an `ai_tool`
 * output, and a `toolDescription` parameter only when the node has none of its own.
 */
function asToolNodeType(nodeType: INodeType): INodeType {
	const description = {
		...nodeType.description,
		name: `${nodeType.description.name}Tool`,
		displayName: `${nodeType.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	delete description.usableAsTool;
	if (!description.properties.some((property) => property.name === 'toolDescription')) {
		description.properties = [
			{
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: nodeType.description.description,
			},
			...description.properties,
		];
	}
	const tool = Object.create(nodeType) as INodeType;
	tool.description = description as INodeType['description'];
	return tool;
}

registerNodeType(TOOL_NODE_TYPE, asToolNodeType(new RunningHub()));

const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypeInstances[type],
	getByNameAndVersion: (type: string) => nodeTypeInstances[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

export interface NodeRunOptions {
	parameters: INodeParameters;
	credentials?: TestCredentials;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node's "On Error" setting (default: continueRegularOutput with continueOnFail, else stop). */
	onError?: INode['onError'];
	abortSignal?: AbortSignal;
	nodeType?: string;
	mode?: WorkflowExecuteMode;
	executionId?: string;
	/** What $execution.resumeUrl resolves from (webhook-waiting base). */
	webhookWaitingBaseUrl?: string;
	webhookBaseUrl?: string;
	staticData?: IDataObject;
	/**
	 * Called when one of n8n's HTTP helpers has settled, before the node sees the answer: lets a test
	 * act at an exact point of the node's conversation (e.g. stop the execution once an answer has
	 * arrived, so the node is then in its backoff), instead of guessing from the server's side.
	 * When it returns a promise, the node sees the answer only once that promise has settled.
	 */
	onHttpAnswer?: (answer: HttpAnswer) => void | Promise<void>;
}

export interface HttpAnswer {
	method: string;
	/** Path of the request URL, e.g. /task/openapi/create. */
	path: string;
	/** HTTP status, when an answer arrived. */
	statusCode?: number;
	/** What the helper threw, when it threw. */
	error?: unknown;
}

function requestPath(request: IHttpRequestOptions): string {
	return new URL(request.url, request.baseURL ?? 'http://unknown.invalid').pathname;
}

/** Wraps the context's HTTP helpers so `onHttpAnswer` hears each answer first. */
function observeHttp(
	helpers: Record<string, unknown>,
	onHttpAnswer: (answer: HttpAnswer) => void | Promise<void>,
): void {
	const wrap = (name: string, requestArg: number) => {
		const original = helpers[name] as (...args: unknown[]) => Promise<unknown>;
		if (typeof original !== 'function') return;
		helpers[name] = async function (this: unknown, ...args: unknown[]) {
			const request = args[requestArg] as IHttpRequestOptions;
			const base = { method: request.method ?? 'GET', path: requestPath(request) };
			let result: unknown;
			try {
				result = await original.apply(this, args);
			} catch (error) {
				await onHttpAnswer({ ...base, error });
				throw error;
			}
			const statusCode = (result as { statusCode?: unknown } | undefined)?.statusCode;
			await onHttpAnswer({
				...base,
				statusCode: typeof statusCode === 'number' ? statusCode : 200,
			});
			return result;
		};
	};
	wrap('httpRequest', 0);
	wrap('httpRequestWithAuthentication', 1);
}

/** The ID of the node under test, as n8n gives every node of a saved workflow. */
export const NODE_ID = 'node-under-test';

function buildNode(options: NodeRunOptions): INode {
	return {
		id: NODE_ID,
		name: 'RunningHub',
		type: options.nodeType ?? 'n8n-nodes-runninghub.runningHub',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: options.credentials
			? { runningHubApi: { id: 'cred-1', name: 'RunningHub test' } }
			: undefined,
		continueOnFail: options.continueOnFail,
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined),
	};
}

function buildWorkflow(node: INode, staticData?: IDataObject, id = 'wf-test'): Workflow {
	return new Workflow({
		id,
		name: 'RunningHub test workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		staticData,
	});
}

/**
 * A value of the node's description (e.g. a webhook's path) evaluated for the node's parameters
 * by n8n-workflow, as n8n does when it registers the webhook and the editor when it shows its URL.
 */
export function evaluateForNode(
	options: NodeRunOptions,
	value: string,
	node: INode = buildNode(options),
): unknown {
	return buildWorkflow(node).expression.getSimpleParameterValue(node, value, 'internal', {});
}

function buildAdditionalData(options: NodeRunOptions): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(
			options.credentials,
		) as unknown as ICredentialsHelper,
		executionId: options.executionId ?? 'exec-1',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: options.webhookBaseUrl ?? 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: options.webhookWaitingBaseUrl ?? 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'user-1',
		workflowId: 'wf-test',
		executeWorkflow: async () => {
			throw new Error('not available in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not available in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * The resourceMapper parameter value n8n stores once the user has added some fields and set their
 * values; `fields` (from the node's resourceMapping method) become the schema, unused ones removed.
 */
export function resourceMapperValue(
	values: IDataObject,
	fields: Array<{ id: string }> = [],
): IDataObject {
	return {
		mappingMode: 'defineBelow',
		value: values,
		matchingColumns: [],
		schema: fields.map((field) => ({ ...field, removed: !(field.id in values) })),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

export interface NodeRunResult {
	output: INodeExecutionData[][];
	/** Set when the node put the execution to wait (callback wait mode). */
	waitTill?: Date;
	context: ExecuteContext;
	runExecutionData: IRunExecutionData;
	options: NodeRunOptions;
}

/** Executes the node once, as n8n would for one run of a workflow. */
export async function runNode(options: NodeRunOptions): Promise<NodeRunResult> {
	await useBinaryMode(binaryModeReady as 'default' | 'filesystem' | undefined);
	const node = buildNode(options);
	const workflow = buildWorkflow(node, options.staticData);
	const items = options.items ?? [{ json: {} }];
	const runExecutionData = createRunExecutionData();
	const inputData = { main: [items] };
	const executeData = { node, data: inputData, source: { main: [{ previousNode: 'Start' }] } };
	const context = new ExecuteContext(
		workflow,
		node,
		buildAdditionalData(options),
		options.mode ?? 'manual',
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		[],
		options.abortSignal,
	);
	if (options.onHttpAnswer)
		observeHttp(context.helpers as unknown as Record<string, unknown>, options.onHttpAnswer);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	if (!nodeType.execute) throw new Error(`${node.type} has no execute()`);
	const output = (await nodeType.execute.call(context)) as INodeExecutionData[][];
	if (runExecutionData.waitTill) {
		// As WorkflowExecute does for a node that put the execution to wait: its entry goes back on
		// the stack (and is saved), to be resumed by a waiting webhook or the wait tracker.
		runExecutionData.executionData!.nodeExecutionStack.unshift(executeData);
		runExecutionData.resultData.lastNodeExecuted = node.name;
	}
	return { output, waitTill: runExecutionData.waitTill, context, runExecutionData, options };
}

/**
 * The node's output as n8n passes it on when "On Error" is "Continue (using error output)": the
 * items n8n-core's WorkflowExecute recognises as errors moved to the last output (its own
 * handleNodeErrorOutput, run on the output).
 */
export function withErrorOutput(
	options: NodeRunOptions,
	output: INodeExecutionData[][],
): INodeExecutionData[][] {
	const node = buildNode({ ...options, onError: 'continueErrorOutput' });
	const workflow = buildWorkflow(node, options.staticData);
	const engine = new WorkflowExecute(
		buildAdditionalData(options),
		options.mode ?? 'manual',
		createRunExecutionData(),
	) as unknown as {
		handleNodeErrorOutput(
			workflow: Workflow,
			executionData: IExecuteData,
			nodeSuccessData: INodeExecutionData[][],
			runIndex: number,
		): void;
	};
	const routed = output.map((items) => [...items]);
	engine.handleNodeErrorOutput(
		workflow,
		{ node, data: { main: [[{ json: {} }]] }, source: null },
		routed,
		0,
	);
	return routed;
}

/** Shortcut: the JSON of the first output. */
export async function runNodeJson(options: NodeRunOptions): Promise<IDataObject[]> {
	const { output } = await runNode(options);
	return output[0].map((item) => item.json);
}

/** Calls a `methods.listSearch` / `loadOptions` / `resourceMapping` method of the node. */
export async function callNodeMethod<T>(
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	options: NodeRunOptions,
	args: unknown[] = [],
): Promise<T> {
	await useBinaryMode(binaryModeReady as 'default' | 'filesystem' | undefined);
	const node = buildNode(options);
	const workflow = buildWorkflow(node);
	const additionalData = buildAdditionalData(options);
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, '');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	const methods = (
		nodeType.methods as Record<string, Record<string, (...a: unknown[]) => Promise<T>>> | undefined
	)?.[kind];
	if (!methods?.[method]) throw new Error(`${node.type} has no ${kind}.${method}`);
	return await methods[method].call(context, ...args);
}

export interface WebhookCallOptions extends NodeRunOptions {
	webhookName?: string;
	body?: unknown;
	query?: IDataObject;
	headers?: Record<string, string>;
	method?: 'POST' | 'GET';
	/** Run data of the waiting execution (for resumed action nodes). */
	runExecutionData?: IRunExecutionData;
	/**
	 * The body exactly as sent; n8n hands it over as `rawBody` and, parsed with JSON.parse (which
	 * rounds long numbers), as the body. Default: `body` serialised.
	 */
	rawBody?: string;
	/** ID of the workflow the webhook belongs to (default wf-test). */
	workflowId?: string;
	/** Path of the request as n8n's HTTP server sees it, e.g. /webhook/<id>/runninghub/<token>. */
	requestPath?: string;
	/** Called the moment the node ends the HTTP answer itself (before webhook() has returned). */
	onResponseEnded?: (response: FakeResponse) => void;
}

export interface FakeResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
	ended: boolean;
}

/** Calls the node's `webhook()` with a request like n8n's webhook server would hand it. */
export async function callWebhook(options: WebhookCallOptions) {
	await useBinaryMode(binaryModeReady as 'default' | 'filesystem' | undefined);
	const node = buildNode(options);
	const workflow = buildWorkflow(node, options.staticData, options.workflowId);
	const additionalData = buildAdditionalData(options);
	const response: FakeResponse = { statusCode: 200, body: undefined, headers: {}, ended: false };
	const end = (body: unknown) => {
		if (body !== undefined) response.body = body;
		response.ended = true;
		options.onResponseEnded?.(response);
	};
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			end(body);
			return res;
		},
		send(body: unknown) {
			end(body);
			return res;
		},
		end(body?: unknown) {
			end(body);
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		header(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
	};
	const req = {
		method: options.method ?? 'POST',
		body: options.rawBody !== undefined ? (JSON.parse(options.rawBody) as unknown) : options.body,
		query: options.query ?? {},
		path: options.requestPath ?? '/webhook/test',
		headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
		params: {},
		rawBody: Buffer.from(
			options.rawBody ??
				(typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {})),
		),
	};
	additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
	const webhookData = {
		httpMethod: options.method ?? 'POST',
		node: node.name,
		path: 'test',
		webhookDescription: { name: options.webhookName ?? 'default', httpMethod: 'POST', path: '' },
		workflowId: 'wf-test',
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'webhook',
		webhookData,
		[],
		options.runExecutionData ?? null,
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	if (!nodeType.webhook) throw new Error(`${node.type} has no webhook()`);
	const result = await nodeType.webhook.call(context);
	return { result, response, staticData: workflow.staticData };
}

/**
 * Resumes an execution that `runNode` left waiting, as n8n 2.41 does, and returns what the waiting
 * node then outputs (or throws its error). `webhookResult` is what the node's webhook() returned for
 * a call to the resume URL (waiting-webhooks.ts + webhook-helpers.ts `prepareExecutionData`);
 * 'waitLimit' is the wait tracker resuming it when `waitTill` passed (`handleWaitingState`). The
 * node itself is then run by n8n-core's real `WorkflowExecute.runNode`.
 * Returns `{ resumed: false }` when the webhook answer leaves the execution waiting.
 */
export async function resumeWaitingNode(
	run: NodeRunResult,
	via: { webhookResult: IWebhookResponseData } | 'waitLimit',
): Promise<{ resumed: false } | { resumed: true; output: INodeExecutionData[][] | undefined }> {
	const runExecutionData = run.runExecutionData;
	const entry = runExecutionData.executionData?.nodeExecutionStack[0];
	if (!runExecutionData.waitTill || !entry) throw new Error('The execution is not waiting');
	if (via === 'waitLimit') {
		runExecutionData.waitTill = undefined;
		if (!entry.metadata?.resumeError) entry.node.disabled = true;
	} else {
		if (via.webhookResult.workflowData === undefined) return { resumed: false };
		entry.node.disabled = true;
		runExecutionData.waitTill = undefined;
		entry.data.main = via.webhookResult.workflowData;
		entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
	}
	runExecutionData.executionData!.nodeExecutionStack.shift();
	const node = entry.node;
	const workflow = buildWorkflow(node, run.options.staticData);
	const additionalData = buildAdditionalData(run.options);
	const engine = new WorkflowExecute(
		additionalData,
		run.options.mode ?? 'manual',
		runExecutionData,
	);
	const response = (await engine.runNode(
		workflow,
		entry,
		runExecutionData,
		0,
		additionalData,
		run.options.mode ?? 'manual',
	)) as {
		data?: INodeExecutionData[][];
	};
	return { resumed: true, output: response.data };
}

export interface InlineToolRun {
	/** What n8n hands the model as the tool's answer (a JSON string), or the error it throws. */
	toolMessage?: string;
	error?: Error;
	/** The tool as the model is offered it. */
	name: string;
	description: string;
	schema: unknown;
	runExecutionData: IRunExecutionData;
}

/** The tool as the model is offered it: n8n's own description resolution for tool nodes. */
export function toolDescriptionFor(options: NodeRunOptions): string {
	const node = buildNode({ ...options, nodeType: TOOL_NODE_TYPE });
	const workflow = buildWorkflow(node, options.staticData);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	const context = inlineToolContext(workflow, node, options, createRunExecutionData(), 0);
	return NodeHelpers.getToolDescriptionForNode(
		workflow.getNode(node.name)!,
		nodeType,
		() => context.getNodeParameter('toolDescription', 0, '') as string,
	);
}

function inlineToolContext(
	workflow: Workflow,
	node: INode,
	options: NodeRunOptions,
	runExecutionData: IRunExecutionData,
	runIndex: number,
): SupplyDataContext {
	const parent: INode = {
		id: 'agent',
		name: 'AI Agent',
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion: 2.2,
		position: [0, 0],
		parameters: {},
	};
	const executeData = { node: parent, data: { main: [[{ json: {} }]] }, source: null };
	return new SupplyDataContext(
		workflow,
		node,
		buildAdditionalData(options),
		options.mode ?? 'manual',
		runExecutionData,
		runIndex,
		[],
		{},
		NodeConnectionTypes.AiTool,
		executeData,
		[],
		options.abortSignal,
		parent,
	);
}

/**
 * Calls the node the way AI Agent 2.x does: as a LangChain tool inside the agent, built by n8n-core's
 * own createNodeAsTool + makeHandleToolInvocation (isToolExecution() is true, the execution cannot
 * pause), with `toolArgs` as the model's arguments for the `$fromAI()` parameters.
 */
export async function runAsInlineTool(
	options: NodeRunOptions,
	toolArgs: IDataObject,
): Promise<InlineToolRun> {
	await useBinaryMode(binaryModeReady as 'default' | 'filesystem' | undefined);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { makeHandleToolInvocation } =
		require('n8n-core/dist/execution-engine/node-execution-context/utils/get-input-connection-data') as {
			makeHandleToolInvocation: (
				factory: (runIndex: number) => SupplyDataContext,
				node: INode,
				nodeType: INodeType,
				runExecutionData: IRunExecutionData,
			) => (args: IDataObject) => Promise<string>;
		};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { createNodeAsTool } =
		require('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool') as {
			createNodeAsTool: (o: object) => {
				response: {
					name: string;
					description: string;
					schema: unknown;
					invoke(a: object): Promise<string>;
				};
			};
		};
	const node = buildNode({ ...options, nodeType: TOOL_NODE_TYPE });
	const workflow = buildWorkflow(node, options.staticData);
	const workflowNode = workflow.getNode(node.name)!;
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	const runExecutionData = createRunExecutionData();
	const factory = (runIndex: number) =>
		inlineToolContext(workflow, workflowNode, options, runExecutionData, runIndex);
	const tool = createNodeAsTool({
		node: workflowNode,
		nodeType,
		handleToolInvocation: makeHandleToolInvocation(
			factory,
			workflowNode,
			nodeType,
			runExecutionData,
		),
		context: factory(0),
		itemIndex: 0,
	}).response;
	const base = {
		name: tool.name,
		description: tool.description,
		schema: tool.schema,
		runExecutionData,
	};
	try {
		return { ...base, toolMessage: await tool.invoke(toolArgs) };
	} catch (error) {
		return { ...base, error: error as Error };
	}
}
