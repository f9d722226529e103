/**
 * Applying `nodeInfoList` overrides the way RunningHub/ComfyUI does, and producing `promptTips`.
 *
 * Two levels of problems, as on the real service:
 * - a nodeId/fieldName that does not exist → the create call itself fails (803 APIKEY_INVALID_NODE_INFO);
 * - a value that exists but fails ComfyUI validation (type, range, enum, unknown input file) → the
 *   task is accepted, but `promptTips` says `result: false` with `node_errors` for the node, and the
 *   task later ends FAILED. A good client reads promptTips and fails fast.
 */

import type { AppFixture, ComfyWorkflow } from './fixtures';
import { outputTypeOfNode } from './outputs';
import { isRecord, pythonJson } from './util';

export interface CreateError {
	code: number | string;
	msg: string;
}

export interface NodeErrorItem {
	type: string;
	message: string;
	details: string;
	extra_info: Record<string, unknown>;
}

export interface NodeError {
	errors: NodeErrorItem[];
	dependent_outputs: string[];
	class_type: string;
}

export type NodeErrors = Record<string, NodeError>;

const SAMPLERS = [
	'euler',
	'euler_cfg_pp',
	'euler_ancestral',
	'euler_ancestral_cfg_pp',
	'heun',
	'heunpp2',
	'dpm_2',
	'dpm_2_ancestral',
	'lms',
	'dpm_fast',
	'dpm_adaptive',
	'dpmpp_2s_ancestral',
	'dpmpp_sde',
	'dpmpp_sde_gpu',
	'dpmpp_2m',
	'dpmpp_2m_sde',
	'dpmpp_2m_sde_gpu',
	'dpmpp_3m_sde',
	'dpmpp_3m_sde_gpu',
	'ddpm',
	'lcm',
	'ipndm',
	'ipndm_v',
	'deis',
	'res_multistep',
	'gradient_estimation',
	'ddim',
	'uni_pc',
	'uni_pc_bh2',
];
const SCHEDULERS = [
	'normal',
	'karras',
	'exponential',
	'sgm_uniform',
	'simple',
	'ddim_uniform',
	'beta',
	'linear_quadratic',
	'kl_optimal',
];
const ENUM_FIELDS: Record<string, string[]> = { sampler_name: SAMPLERS, scheduler: SCHEDULERS };

/** Numeric inputs that are floats even when the stored value happens to be a whole number. */
const FLOAT_FIELDS = new Set([
	'cfg',
	'denoise',
	'strength',
	'shift',
	'frame_rate',
	'scale_by',
	'guidance',
	'lora_strength',
	'strength_model',
	'strength_clip',
]);

const RANGES: Record<string, { min: number; max: number }> = {
	steps: { min: 1, max: 10000 },
	width: { min: 16, max: 16384 },
	height: { min: 16, max: 16384 },
	batch_size: { min: 1, max: 4096 },
	length: { min: 1, max: 16384 },
	seed: { min: 0, max: 2 ** 64 - 1 },
	denoise: { min: 0, max: 1 },
	cfg: { min: 0, max: 100 },
};

/** Loader nodes whose file input must name a file the server has (uploaded or seeded). */
const LOADER_FIELDS: Record<string, string> = {
	LoadImage: 'image',
	LoadImageMask: 'image',
	LoadAudio: 'audio',
	LoadVideo: 'video',
	VHS_LoadVideo: 'video',
};

function item(
	type: string,
	message: string,
	details: string,
	inputName: string,
	received?: unknown,
): NodeErrorItem {
	const extra: Record<string, unknown> = { input_name: inputName };
	if (received !== undefined) extra.received_value = received;
	return { type, message, details, extra_info: extra };
}

function addError(
	errors: NodeErrors,
	nodeId: string,
	classType: string,
	outputs: string[],
	err: NodeErrorItem,
): void {
	const entry = errors[nodeId] ?? { errors: [], dependent_outputs: outputs, class_type: classType };
	entry.errors.push(err);
	errors[nodeId] = entry;
}

type Coerced = { value: unknown } | { error: NodeErrorItem };

/** Convert an override to the type of the current value, ComfyUI style. */
function coerceWorkflowValue(
	classType: string,
	field: string,
	current: unknown,
	raw: unknown,
): Coerced {
	if (Array.isArray(current)) {
		return {
			error: item(
				'invalid_input_type',
				`Input ${field} is linked to node ${String(current[0])} and cannot be overridden`,
				`${field}, ${JSON.stringify(raw)}`,
				field,
				raw,
			),
		};
	}
	if (typeof current === 'number') {
		const isInt = Number.isInteger(current) && !FLOAT_FIELDS.has(field);
		const typeName = isInt ? 'INT' : 'FLOAT';
		const n =
			typeof raw === 'number'
				? raw
				: typeof raw === 'string' && raw.trim() !== ''
					? Number(raw)
					: NaN;
		if (!Number.isFinite(n) || (isInt && !Number.isInteger(n))) {
			const reason = isInt
				? `invalid literal for int() with base 10: '${String(raw)}'`
				: `could not convert string to float: '${String(raw)}'`;
			return {
				error: item(
					'invalid_input_type',
					`Failed to convert an input value to a ${typeName} value`,
					`${field}, ${String(raw)}, ${reason}`,
					field,
					raw,
				),
			};
		}
		const range = RANGES[field];
		if (range && n < range.min)
			return {
				error: item(
					'value_smaller_than_min',
					`Value ${n} smaller than min of ${range.min}`,
					`${field}`,
					field,
					n,
				),
			};
		if (range && n > range.max)
			return {
				error: item(
					'value_bigger_than_max',
					`Value ${n} bigger than max of ${range.max}`,
					`${field}`,
					field,
					n,
				),
			};
		return { value: n };
	}
	if (typeof current === 'boolean') {
		if (typeof raw === 'boolean') return { value: raw };
		if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
			return { value: raw.trim().toLowerCase() === 'true' };
		return {
			error: item(
				'invalid_input_type',
				'Failed to convert an input value to a BOOLEAN value',
				`${field}, ${String(raw)}`,
				field,
				raw,
			),
		};
	}
	if (typeof current === 'string') {
		if (raw !== null && typeof raw === 'object')
			return {
				error: item(
					'invalid_input_type',
					'Failed to convert an input value to a STRING value',
					`${field}`,
					field,
					raw,
				),
			};
		const s = raw === null || raw === undefined ? '' : String(raw);
		const allowed = /KSampler/.test(classType) ? ENUM_FIELDS[field] : undefined;
		if (allowed && !allowed.includes(s)) {
			return {
				error: item(
					'value_not_in_list',
					'Value not in list',
					`${field}: '${s}' not in ${pythonJson(allowed.slice(0, 8))}...`,
					field,
					s,
				),
			};
		}
		return { value: s };
	}
	return { value: raw };
}

export function outputNodeIds(graph: ComfyWorkflow): string[] {
	return Object.keys(graph).filter((id) => {
		const node = graph[id];
		return (
			isRecord(node) &&
			typeof node.class_type === 'string' &&
			outputTypeOfNode(node.class_type, isRecord(node.inputs) ? node.inputs : {}) !== undefined
		);
	});
}

export interface PreparedWorkflow {
	graph: ComfyWorkflow;
	nodeErrors: NodeErrors;
	outputsToExecute: string[];
}

/** Validate the graph itself: every node needs class_type + inputs. */
export function checkGraphShape(graph: unknown): graph is ComfyWorkflow {
	if (!isRecord(graph) || Object.keys(graph).length === 0) return false;
	return Object.values(graph).every(
		(n) => isRecord(n) && typeof n.class_type === 'string' && isRecord(n.inputs),
	);
}

export function prepareWorkflow(
	base: ComfyWorkflow,
	nodeInfoList: unknown,
	isKnownFile: (name: string) => boolean,
): PreparedWorkflow | { error: CreateError } {
	const graph = JSON.parse(JSON.stringify(base)) as ComfyWorkflow;
	const outputs = outputNodeIds(graph);
	const nodeErrors: NodeErrors = {};

	if (nodeInfoList !== undefined && nodeInfoList !== null && !Array.isArray(nodeInfoList))
		return { error: { code: 301, msg: 'nodeInfoList must be an array' } };

	for (const info of (nodeInfoList as unknown[] | null | undefined) ?? []) {
		if (!isRecord(info)) return { error: { code: 803, msg: 'APIKEY_INVALID_NODE_INFO' } };
		const nodeId =
			typeof info.nodeId === 'number' || typeof info.nodeId === 'string' ? String(info.nodeId) : '';
		const fieldName = typeof info.fieldName === 'string' ? info.fieldName : '';
		const node = graph[nodeId];
		if (!node || !isRecord(node.inputs) || !(fieldName in node.inputs))
			return { error: { code: 803, msg: 'APIKEY_INVALID_NODE_INFO' } };
		const coerced = coerceWorkflowValue(
			node.class_type,
			fieldName,
			node.inputs[fieldName],
			info.fieldValue,
		);
		if ('error' in coerced) addError(nodeErrors, nodeId, node.class_type, outputs, coerced.error);
		else node.inputs[fieldName] = coerced.value;
	}

	// Loader nodes must reference a file the server knows (after overrides, and also for `workflow` JSON).
	for (const [nodeId, node] of Object.entries(graph)) {
		const field = LOADER_FIELDS[node.class_type];
		if (!field) continue;
		const value = node.inputs[field];
		if (typeof value === 'string' && !isKnownFile(value)) {
			addError(
				nodeErrors,
				nodeId,
				node.class_type,
				outputs,
				item(
					'custom_validation_failed',
					'Custom validation failed for node',
					`${field} - Invalid ${field} file: ${value}`,
					field,
					value,
				),
			);
		}
	}
	return { graph, nodeErrors, outputsToExecute: outputs };
}

export interface PreparedApp {
	/** Effective field values: the template defaults overridden by the request. */
	fields: Array<{
		nodeId: string;
		nodeName: string;
		fieldName: string;
		fieldType: string;
		fieldValue: unknown;
	}>;
	nodeErrors: NodeErrors;
	outputsToExecute: string[];
}

function parseFieldData(fieldData: string): unknown {
	try {
		return JSON.parse(fieldData);
	} catch {
		return undefined;
	}
}

function checkAppValue(
	fieldType: string,
	fieldData: string,
	field: string,
	raw: unknown,
	isKnownFile: (n: string) => boolean,
): NodeErrorItem | undefined {
	const spec = parseFieldData(fieldData);
	const opts = Array.isArray(spec) && isRecord(spec[1]) ? spec[1] : {};
	switch (fieldType) {
		case 'INT':
		case 'FLOAT': {
			const n =
				typeof raw === 'number'
					? raw
					: typeof raw === 'string' && raw.trim() !== ''
						? Number(raw)
						: NaN;
			if (!Number.isFinite(n) || (fieldType === 'INT' && !Number.isInteger(n)))
				return item(
					'invalid_input_type',
					`Failed to convert an input value to a ${fieldType} value`,
					`${field}, ${String(raw)}`,
					field,
					raw,
				);
			if (typeof opts.min === 'number' && n < opts.min)
				return item(
					'value_smaller_than_min',
					`Value ${n} smaller than min of ${opts.min}`,
					field,
					field,
					n,
				);
			if (typeof opts.max === 'number' && n > opts.max)
				return item(
					'value_bigger_than_max',
					`Value ${n} bigger than max of ${opts.max}`,
					field,
					field,
					n,
				);
			return undefined;
		}
		case 'LIST': {
			// Two shapes: `[["a", "b"], {...}]` and the newer `["COMBO", {"options": ["a", "b"]}]`.
			const comboOptions =
				Array.isArray(spec) &&
				spec[0] === 'COMBO' &&
				isRecord(spec[1]) &&
				Array.isArray(spec[1].options)
					? (spec[1].options as unknown[])
					: undefined;
			const options =
				Array.isArray(spec) && Array.isArray(spec[0])
					? (spec[0] as unknown[]).map(String)
					: comboOptions?.map(String);
			if (options && !options.includes(String(raw)))
				return item(
					'value_not_in_list',
					'Value not in list',
					`${field}: '${String(raw)}' not in ${pythonJson(options)}`,
					field,
					raw,
				);
			return undefined;
		}
		case 'BOOLEAN':
		case 'SWITCH':
			if (typeof raw === 'boolean' || (typeof raw === 'string' && /^(true|false)$/i.test(raw)))
				return undefined;
			return item(
				'invalid_input_type',
				'Failed to convert an input value to a BOOLEAN value',
				`${field}, ${String(raw)}`,
				field,
				raw,
			);
		case 'IMAGE':
		case 'VIDEO':
		case 'AUDIO': {
			// AI-app media fields accept an uploaded fileName, a seeded name, or a URL (download_url).
			const s = typeof raw === 'string' ? raw : '';
			if (/^https?:\/\//i.test(s) || isKnownFile(s)) return undefined;
			return item(
				'custom_validation_failed',
				'Custom validation failed for node',
				`${field} - Invalid ${fieldType.toLowerCase()} file: ${s}`,
				field,
				raw,
			);
		}
		default:
			return raw !== null && typeof raw === 'object'
				? item(
						'invalid_input_type',
						'Failed to convert an input value to a STRING value',
						field,
						field,
						raw,
					)
				: undefined;
	}
}

export function prepareApp(
	app: AppFixture,
	nodeInfoList: unknown,
	isKnownFile: (name: string) => boolean,
): PreparedApp | { error: CreateError } {
	if (!Array.isArray(nodeInfoList))
		return { error: { code: 301, msg: 'nodeInfoList must not be null' } };
	const outputs = app.outputs.map((o) => o.nodeId);
	const fields: PreparedApp['fields'] = app.nodeInfoList.map((t) => ({
		nodeId: t.nodeId,
		nodeName: t.nodeName,
		fieldName: t.fieldName,
		fieldType: t.fieldType,
		fieldValue: t.fieldValue as unknown,
	}));
	const nodeErrors: NodeErrors = {};
	for (const info of nodeInfoList as unknown[]) {
		if (!isRecord(info)) return { error: { code: 803, msg: 'APIKEY_INVALID_NODE_INFO' } };
		const nodeId =
			typeof info.nodeId === 'number' || typeof info.nodeId === 'string' ? String(info.nodeId) : '';
		const idx = app.nodeInfoList.findIndex(
			(t) => t.nodeId === nodeId && t.fieldName === info.fieldName,
		);
		if (idx < 0) return { error: { code: 803, msg: 'APIKEY_INVALID_NODE_INFO' } };
		const template = app.nodeInfoList[idx];
		const problem = checkAppValue(
			template.fieldType,
			template.fieldData,
			template.fieldName,
			info.fieldValue,
			isKnownFile,
		);
		if (problem) addError(nodeErrors, nodeId, template.nodeName, outputs, problem);
		else fields[idx].fieldValue = info.fieldValue;
	}
	return { fields, nodeErrors, outputsToExecute: outputs };
}

/**
 * Node errors ComfyUI reports while other outputs are still valid: `validate_prompt` then answers
 * `result: true` with `node_errors`, and the prompt runs (ComfyUI execution.py). Simulated for
 * nodes whose input holds the `[[warn]]` marker.
 */
export function warningNodeErrors(
	nodes: Array<{ nodeId: string; classType: string; inputName: string; value: unknown }>,
): NodeErrors {
	const warnings: NodeErrors = {};
	for (const node of nodes) {
		if (typeof node.value !== 'string' || !node.value.includes('[[warn]]')) continue;
		addError(
			warnings,
			node.nodeId,
			node.classType,
			[],
			item(
				'required_input_missing',
				'Required input is missing',
				`${node.inputName} (an unconnected output branch is skipped)`,
				node.inputName,
			),
		);
	}
	return warnings;
}

/**
 * The `promptTips` JSON string (python formatting, like the real backend). `warnings` are node
 * errors that do not stop the prompt (`result` stays true).
 */
export function promptTipsString(
	outputsToExecute: string[],
	nodeErrors: NodeErrors,
	warnings: NodeErrors = {},
): string {
	const okResult = Object.keys(nodeErrors).length === 0 && outputsToExecute.length > 0;
	const error = okResult
		? null
		: outputsToExecute.length === 0
			? { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }
			: {
					type: 'prompt_outputs_failed_validation',
					message: 'Prompt outputs failed validation',
					details: '',
					extra_info: {},
				};
	return pythonJson({
		result: okResult,
		error,
		outputs_to_execute: outputsToExecute,
		node_errors: okResult ? warnings : nodeErrors,
	});
}
