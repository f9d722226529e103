/**
 * Creating tasks from workflow / AI-app / model requests. Shared by the v1 and v2 routes, which only
 * differ in how they read the request and shape the answer.
 */

import type { AppFixture, ComfyWorkflow } from './fixtures';
import { MODEL_FILE_TYPES, modelOutputKind, outputTypeOfNode } from './outputs';
import type { RunningHubSimulator } from './server';
import type { FailureContext, NewTaskInput } from './state';
import type { SimTask } from './types';
import {
	checkGraphShape,
	prepareApp,
	prepareWorkflow,
	promptTipsString,
	warningNodeErrors,
	type CreateError,
	type NodeErrors,
} from './validation';
import { MODEL_REGISTRY, validateModelBody } from './models';
import { hasMarker, isRecord } from './util';

export type CreateResult = { task: SimTask } | { error: CreateError };

const FAIL = '[[fail]]';
const SLOW = '[[slow]]';
const MODERATION = '[[moderation]]';

function truthy(v: unknown): boolean {
	return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

function webhookOf(body: Record<string, unknown>): string | undefined {
	return typeof body.webhookUrl === 'string' && body.webhookUrl.trim() !== ''
		? body.webhookUrl.trim()
		: undefined;
}

/** Concurrency: QUEUED+RUNNING tasks of the key against its limit (421, or 415 for exclusive keys). */
export function concurrencyError(
	sim: RunningHubSimulator,
	apiKey: string,
	body: Record<string, unknown>,
): CreateError | undefined {
	const info = sim.keyInfo(apiKey);
	if (!info) return undefined;
	const { queued, running } = sim.engine.activeCounts(apiKey);
	const active = queued + running;
	const limit = sim.concurrencyOf(apiKey);
	if (info.apiType === 'EXCLUSIVE' && truthy(body.usePersonalQueue)) {
		// Personal queue: tasks wait instead of failing, up to 1000 queued.
		return active >= limit + 1000 ? { code: 814, msg: 'PERSONAL_QUEUE_COUNT_LIMIT' } : undefined;
	}
	if (active < limit) return undefined;
	return info.apiType === 'EXCLUSIVE'
		? { code: 415, msg: 'TASK_INSTANCE_MAXED' }
		: { code: 421, msg: 'TASK_QUEUE_MAXED' };
}

function firstError(nodeErrors: NodeErrors): NewTaskInput['validationError'] {
	const [nodeId, err] = Object.entries(nodeErrors)[0] ?? [];
	if (!nodeId || !err) return undefined;
	const e = err.errors[0];
	return { nodeId, classType: err.class_type, message: `${e.message}: ${e.details}` };
}

/** Follow links upstream to find a batch_size (EmptyLatentImage etc.), so batches give several files. */
function batchSizeFor(graph: ComfyWorkflow, outputId: string): number {
	const seen = new Set<string>();
	const queue = [outputId];
	while (queue.length > 0) {
		const id = queue.shift() as string;
		if (seen.has(id)) continue;
		seen.add(id);
		const node = graph[id];
		if (!node) continue;
		const b = node.inputs.batch_size;
		if (typeof b === 'number' && b >= 1) return Math.min(Math.floor(b), 8);
		for (const v of Object.values(node.inputs))
			if (Array.isArray(v) && v.length === 2) queue.push(String(v[0]));
	}
	return 1;
}

function workflowFailure(graph: ComfyWorkflow, outputs: string[]): FailureContext {
	const ids = Object.keys(graph);
	const marked = ids.find((id) => hasMarker(graph[id].inputs, FAIL));
	const sampler = ids.find((id) => /Sampler/.test(graph[id].class_type));
	const id = marked ?? sampler ?? outputs[0] ?? ids[0];
	return { nodeId: id, nodeName: graph[id].class_type, inputs: graph[id].inputs };
}

export function createWorkflowTask(
	sim: RunningHubSimulator,
	apiKey: string,
	workflowId: string | undefined,
	body: Record<string, unknown>,
	api: 'v1' | 'v2',
): CreateResult {
	if (!workflowId) return { error: { code: 301, msg: 'workflowId must not be blank' } };
	let base = sim.workflows.get(workflowId);
	if (!base) return { error: { code: 380, msg: 'WORKFLOW_NOT_EXISTS' } };
	if (sim.neverRunWorkflows.has(workflowId))
		return { error: { code: 810, msg: 'WORKFLOW_NOT_SAVED_OR_NOT_RUNNING' } };

	// `workflow` (a JSON *string*) replaces the stored graph; workflowId must still be valid.
	if (body.workflow !== undefined && body.workflow !== null && body.workflow !== '') {
		if (typeof body.workflow !== 'string')
			return { error: { code: 301, msg: 'workflow must be a JSON string' } };
		let parsed: unknown;
		try {
			parsed = JSON.parse(body.workflow);
		} catch {
			return { error: { code: 301, msg: 'workflow is not valid JSON' } };
		}
		if (!checkGraphShape(parsed)) return { error: { code: 433, msg: 'VALIDATE_PROMPT_FAILED' } };
		base = parsed;
	}

	const prepared = prepareWorkflow(base, body.nodeInfoList, (n) => sim.isKnownFile(n));
	if ('error' in prepared) return prepared;
	const busy = concurrencyError(sim, apiKey, body);
	if (busy) return { error: busy };

	const { graph, nodeErrors, outputsToExecute } = prepared;
	const outputs: NewTaskInput['outputs'] = [];
	for (const id of outputsToExecute) {
		const node = graph[id];
		const fileType = outputTypeOfNode(node.class_type, node.inputs) ?? 'png';
		const rawPrefix =
			typeof node.inputs.filename_prefix === 'string' ? node.inputs.filename_prefix : 'ComfyUI';
		const prefix = rawPrefix.replace(/[^A-Za-z0-9_-]+/g, '_') || 'ComfyUI';
		const n = batchSizeFor(graph, id);
		for (let i = 0; i < n; i++) outputs.push({ nodeId: id, fileType, prefix });
	}

	const task = sim.createTask({
		apiKey,
		kind: 'workflow',
		api,
		workflowId,
		webhookUrl: webhookOf(body),
		instanceType: typeof body.instanceType === 'string' ? body.instanceType : undefined,
		promptTips: promptTipsString(
			outputsToExecute,
			nodeErrors,
			warningNodeErrors(
				Object.entries(graph).flatMap(([nodeId, node]) =>
					Object.entries(node.inputs).map(([inputName, value]) => ({
						nodeId,
						classType: node.class_type,
						inputName,
						value,
					})),
				),
			),
		),
		outputs,
		inputs: graph,
		failure: workflowFailure(graph, outputsToExecute),
		validationError:
			firstError(nodeErrors) ??
			(outputsToExecute.length === 0
				? { nodeId: '', classType: '', message: 'Prompt has no outputs' }
				: undefined),
		markerFail: hasMarker(graph, FAIL),
		markerModeration: hasMarker(graph, MODERATION),
		markerSlow: hasMarker(graph, SLOW),
	});
	return { task };
}

/**
 * A Quick Create task: the module's template is an app template whose SWITCH and LORA fields take
 * any string (the official example sends `"2"` to an ImpactSwitch `select`).
 */
export function createQuickCreateTask(
	sim: RunningHubSimulator,
	apiKey: string,
	body: Record<string, unknown>,
): CreateResult {
	const webappId = asId(body.webappId);
	if (!webappId) return { error: { code: 301, msg: 'webappId must not be blank' } };
	const module = sim.quickCreates.get(webappId);
	if (!module) return { error: { code: 901, msg: 'WEBAPP_NOT_EXISTS' } };
	if (typeof body.quickCreateCode !== 'string' || body.quickCreateCode !== module.quickCreateCode)
		return { error: { code: 301, msg: 'quickCreateCode is invalid' } };
	const template: AppFixture = {
		...module,
		nodeInfoList: module.nodeInfoList.map((field) =>
			field.fieldType === 'SWITCH' || field.fieldType === 'LORA'
				? { ...field, fieldType: 'STRING' }
				: field,
		),
	};
	return createAppTask(sim, apiKey, webappId, body, 'v1', template);
}

function asId(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

export function createAppTask(
	sim: RunningHubSimulator,
	apiKey: string,
	webappId: string | undefined,
	body: Record<string, unknown>,
	api: 'v1' | 'v2',
	template?: AppFixture,
): CreateResult {
	if (!webappId) return { error: { code: 301, msg: 'webappId must not be blank' } };
	const app = template ?? sim.apps.get(webappId);
	if (!app) return { error: { code: 901, msg: 'WEBAPP_NOT_EXISTS' } };
	if (app.accessEncrypted && body.accessPassword !== app.accessPassword)
		return { error: { code: 301, msg: 'accessPassword is incorrect' } };
	const prepared = prepareApp(app, body.nodeInfoList, (n) => sim.isKnownFile(n));
	if ('error' in prepared) return prepared;
	const busy = concurrencyError(sim, apiKey, body);
	if (busy) return { error: busy };

	const { fields, nodeErrors, outputsToExecute } = prepared;
	const marked = fields.find((f) => hasMarker(f.fieldValue, FAIL));
	const failure: FailureContext = marked
		? {
				nodeId: marked.nodeId,
				nodeName: marked.nodeName,
				inputs: { [marked.fieldName]: marked.fieldValue },
			}
		: { nodeId: app.outputs[0]?.nodeId ?? '', nodeName: 'KSampler', inputs: {} };
	const values = fields.map((f) => f.fieldValue);

	const task = sim.createTask({
		apiKey,
		kind: 'aiApp',
		api,
		webappId,
		webhookUrl: webhookOf(body),
		instanceType: typeof body.instanceType === 'string' ? body.instanceType : undefined,
		promptTips: promptTipsString(
			outputsToExecute,
			nodeErrors,
			warningNodeErrors(
				fields.map((f) => ({
					nodeId: f.nodeId,
					classType: f.nodeName,
					inputName: f.fieldName,
					value: f.fieldValue,
				})),
			),
		),
		outputs: app.outputs.map((o) => ({ nodeId: o.nodeId, fileType: o.fileType })),
		inputs: fields,
		failure,
		validationError: firstError(nodeErrors),
		markerFail: hasMarker(values, FAIL),
		markerModeration: hasMarker(values, MODERATION),
		markerSlow: hasMarker(values, SLOW),
	});
	return { task };
}

export function createModelTask(
	sim: RunningHubSimulator,
	apiKey: string,
	endpoint: string,
	body: Record<string, unknown>,
): CreateResult {
	const info = sim.keyInfo(apiKey);
	if (!info || info.apiType !== 'SHARED')
		return {
			error: {
				code: '1014',
				msg: 'Access Denied: Standard Model API is restricted to Enterprise-Shared API Keys only.',
			},
		};
	if (sim.options.strictModels && !(endpoint in MODEL_REGISTRY))
		return { error: { code: '1001', msg: 'Invalid URL, please check your link' } };
	const problems = validateModelBody(endpoint, body, (ref) => sim.mediaFileOf(ref));
	if (problems.length > 0)
		return {
			error: {
				code: '1007',
				msg: `Invalid parameters, please check your input: ${problems.join('; ')}`,
			},
		};
	const busy = concurrencyError(sim, apiKey, body);
	if (busy) return { error: { code: String(busy.code), msg: busy.msg } };

	const kind = modelOutputKind(endpoint);
	const prompt =
		typeof body.prompt === 'string' ? body.prompt : typeof body.text === 'string' ? body.text : '';
	const outputs: NewTaskInput['outputs'] =
		kind === 'text'
			? [
					{
						nodeId: '',
						fileType: 'txt',
						text: `Simulated answer from ${endpoint}: ${prompt.slice(0, 200)}`,
					},
				]
			: [{ nodeId: '', fileType: MODEL_FILE_TYPES[kind], prefix: 'output' }];

	const task = sim.createTask({
		apiKey,
		kind: 'model',
		api: 'v2',
		endpoint,
		webhookUrl: webhookOf(body),
		promptTips: '',
		outputs,
		inputs: body,
		failure: { nodeId: '', nodeName: endpoint, inputs: isRecord(body) ? body : {} },
		markerFail: hasMarker(body, FAIL),
		markerModeration: hasMarker(body, MODERATION),
		markerSlow: hasMarker(body, SLOW),
	});
	return { task };
}
