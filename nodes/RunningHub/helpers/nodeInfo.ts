import type {
	FieldType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperValue,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RunningHubContext } from '../transport';
import { apiRequestV1, parseJsonLossless } from '../transport';

/** One override RunningHub applies before running: `inputs[fieldName]` of node `nodeId`. */
export interface NodeInfo extends IDataObject {
	nodeId: string;
	fieldName: string;
	fieldValue: string | number | boolean | null;
}

export interface ComfyNode {
	class_type: string;
	inputs: IDataObject;
	_meta?: { title?: string };
}

/** API-format ComfyUI workflow: node ID → node. */
export type ComfyWorkflow = Record<string, ComfyNode>;

/** An input the user may change: a workflow node's literal input, or an AI app form field. */
export interface InputDescriptor {
	nodeId: string;
	fieldName: string;
	/** Label of the node: `_meta.title`, class type, or the app's node name. */
	nodeLabel: string;
	classType: string;
	type: FieldType;
	current: string | number | boolean | null;
	description?: string;
	options?: INodePropertyOptions[];
	min?: number;
	max?: number;
	/** Takes a file: LoadImage/LoadVideo/LoadAudio-style inputs and IMAGE/VIDEO/AUDIO app fields. */
	media: boolean;
}

/**
 * Resource mapper field IDs join node ID and field name with `##`, the separator RunningHub itself
 * uses for workflow-backed model fields; neither ComfyUI node IDs nor input names contain it.
 */
const FIELD_SEPARATOR = '##';

export function fieldIdOf(nodeId: string, fieldName: string): string {
	return `${nodeId}${FIELD_SEPARATOR}${fieldName}`;
}

export function parseFieldId(id: string): { nodeId: string; fieldName: string } | undefined {
	const at = id.indexOf(FIELD_SEPARATOR);
	if (at <= 0 || at + FIELD_SEPARATOR.length >= id.length) return undefined;
	return { nodeId: id.slice(0, at), fieldName: id.slice(at + FIELD_SEPARATOR.length) };
}

/** Inputs that load a file uploaded to RunningHub (their value is the upload's `fileName`). */
const MEDIA_INPUTS: Record<string, string[]> = {
	image: ['LoadImage', 'LoadImageMask', 'LoadImages'],
	video: ['LoadVideo', 'VHS_LoadVideo'],
	audio: ['LoadAudio', 'VHS_LoadAudio'],
	upload: ['LoadImages'],
};

function isMediaInput(classType: string, fieldName: string): boolean {
	return (
		(MEDIA_INPUTS[fieldName] ?? []).includes(classType) ||
		(/^Load(Image|Video|Audio)/.test(classType) && /^(image|video|audio|file)$/.test(fieldName))
	);
}

export const BINARY_PREFIX = 'binary:';

/** Text added to the description of inputs that take a file. */
export const BINARY_HINT = `To send a file from this workflow, enter ${BINARY_PREFIX} and the binary property, e.g. ${BINARY_PREFIX}data: the node uploads it first`;

function isLink(value: unknown): boolean {
	return (
		Array.isArray(value) &&
		value.length === 2 &&
		typeof value[0] === 'string' &&
		typeof value[1] === 'number'
	);
}

/** Checks the shape of an API-format workflow and returns it, or a reason it is not one. */
export function asComfyWorkflow(value: unknown): { workflow: ComfyWorkflow } | { problem: string } {
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		return { problem: 'it is not a JSON object of nodes' };
	const entries = Object.entries(value as IDataObject);
	if (entries.length === 0) return { problem: 'it has no nodes' };
	for (const [nodeId, node] of entries) {
		const candidate = node as Partial<ComfyNode> | null;
		if (
			!candidate ||
			typeof candidate !== 'object' ||
			typeof candidate.class_type !== 'string' ||
			typeof candidate.inputs !== 'object' ||
			candidate.inputs === null
		) {
			return {
				problem: `node "${nodeId}" has no class_type and inputs (is this the UI format? Export with "Save (API Format)" in ComfyUI, or use Workflow › Get JSON)`,
			};
		}
	}
	return { workflow: value as ComfyWorkflow };
}

/** `getJsonApiFormat` returns the workflow as a JSON string in `data.prompt`. */
export function parseWorkflowPrompt(
	node: INode,
	prompt: unknown,
	workflowId: string,
): ComfyWorkflow {
	let parsed: unknown = prompt;
	if (typeof prompt === 'string') {
		try {
			parsed = parseJsonLossless(prompt);
		} catch {
			parsed = undefined;
		}
	}
	const checked = asComfyWorkflow(parsed);
	if ('problem' in checked) {
		throw new NodeOperationError(
			node,
			`RunningHub returned workflow ${workflowId} in a form that cannot be read: ${checked.problem}`,
			{
				description:
					'Open the workflow on the RunningHub site, save it and run it once, then try again.',
			},
		);
	}
	return checked.workflow;
}

export async function fetchWorkflowJson(
	context: RunningHubContext,
	workflowId: string,
): Promise<ComfyWorkflow> {
	const data = (await apiRequestV1.call(context, {
		path: '/api/openapi/getJsonApiFormat',
		body: { workflowId },
	})) as { prompt?: unknown } | null;
	return parseWorkflowPrompt(context.getNode(), data?.prompt, workflowId);
}

function nodeLabelOf(node: ComfyNode): string {
	const title = node._meta?.title?.trim();
	return title && title !== node.class_type ? `${title} (${node.class_type})` : node.class_type;
}

function compareNodeIds(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a.localeCompare(b);
}

/** Every literal input of every node (links such as ["4", 0] are wiring, not values). */
export function workflowInputs(workflow: ComfyWorkflow): InputDescriptor[] {
	const inputs: InputDescriptor[] = [];
	for (const nodeId of Object.keys(workflow).sort(compareNodeIds)) {
		const node = workflow[nodeId];
		for (const [fieldName, value] of Object.entries(node.inputs ?? {})) {
			if (isLink(value) || (value !== null && typeof value === 'object')) continue;
			const type: FieldType =
				typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
			inputs.push({
				nodeId,
				fieldName,
				nodeLabel: nodeLabelOf(node),
				classType: node.class_type,
				type,
				current: value === undefined ? null : (value as string | number | boolean | null),
				media: isMediaInput(node.class_type, fieldName),
			});
		}
	}
	return inputs;
}

function shortValue(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : String(value);
	return text.length > 32 ? `${text.slice(0, 30)}…${typeof value === 'string' ? '"' : ''}` : text;
}

/** The resource mapper fields for a list of inputs: hidden until added, prefilled with the current value. */
export function mapperFields(inputs: InputDescriptor[]): ResourceMapperField[] {
	return inputs.map((input) => {
		const range =
			input.min !== undefined || input.max !== undefined
				? ` [${input.min ?? '…'}–${input.max ?? '…'}]`
				: '';
		const about = input.description ? ` — ${input.description}` : '';
		const file = input.media ? ` — file name or ${BINARY_PREFIX}<binary property>` : '';
		const field: ResourceMapperField = {
			id: fieldIdOf(input.nodeId, input.fieldName),
			displayName: `#${input.nodeId} ${input.nodeLabel} › ${input.fieldName}${about}${range} (now ${shortValue(input.current)})${file}`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			removed: true,
			type: input.type,
			defaultValue: input.current,
		};
		if (input.options) field.options = input.options;
		return field;
	});
}

/** The overrides the user filled in the resource mapper (fields left out are not sent). */
export function nodeInfoFromMapper(
	node: INode,
	mapper: ResourceMapperValue | null | undefined,
	itemIndex: number,
): NodeInfo[] {
	const values = mapper?.value ?? {};
	const removed = new Set(
		(mapper?.schema ?? []).filter((field) => field.removed).map((field) => field.id),
	);
	const list: NodeInfo[] = [];
	for (const [id, value] of Object.entries(values)) {
		if (removed.has(id) || value === undefined || value === null) continue;
		const parsed = parseFieldId(id);
		if (!parsed) {
			throw new NodeOperationError(
				node,
				`The input "${id}" in "Inputs to Change" is not a node input`,
				{
					itemIndex,
					description:
						'Open "Inputs to Change", click "Refresh" to reload the inputs from RunningHub, and set the values again.',
				},
			);
		}
		list.push({ nodeId: parsed.nodeId, fieldName: parsed.fieldName, fieldValue: value });
	}
	return list;
}

/** Parses the raw "Node Info List (JSON)" parameter: `[{nodeId, fieldName, fieldValue}]`. */
export function nodeInfoFromJson(
	node: INode,
	raw: unknown,
	itemIndex: number,
	parameterLabel = 'Node Info List (JSON)',
): NodeInfo[] {
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return [];
		try {
			parsed = parseJsonLossless(raw);
		} catch (error) {
			throw new NodeOperationError(
				node,
				`${parameterLabel} is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description:
						'Enter an array such as [{"nodeId": "6", "fieldName": "text", "fieldValue": "a red fox"}].',
				},
			);
		}
	}
	if (!Array.isArray(parsed)) {
		throw new NodeOperationError(
			node,
			`${parameterLabel} must be a JSON array, got ${parsed === null ? 'null' : typeof parsed}`,
			{
				itemIndex,
				description:
					'Wrap the overrides in [ ]: [{"nodeId": "6", "fieldName": "text", "fieldValue": "a red fox"}].',
			},
		);
	}
	return parsed.map((entry, index) => {
		const candidate = entry as Partial<Record<keyof NodeInfo, unknown>> | null;
		const nodeId = candidate?.nodeId;
		const fieldName = candidate?.fieldName;
		if (
			!candidate ||
			typeof candidate !== 'object' ||
			(typeof nodeId !== 'string' && typeof nodeId !== 'number') ||
			String(nodeId).trim() === ''
		) {
			throw new NodeOperationError(node, `Entry ${index} of ${parameterLabel} has no nodeId`, {
				itemIndex,
				description:
					'Each entry needs "nodeId" (the number at the top right of the node, as text), "fieldName" and "fieldValue".',
			});
		}
		if (typeof fieldName !== 'string' || fieldName.trim() === '') {
			throw new NodeOperationError(
				node,
				`Entry ${index} of ${parameterLabel} (node ${String(nodeId)}) has no fieldName`,
				{
					itemIndex,
					description:
						'Each entry needs "fieldName": the name of the input inside the node, e.g. "text", "seed" or "image".',
				},
			);
		}
		const value = candidate.fieldValue;
		if (value !== null && value !== undefined && typeof value === 'object') {
			throw new NodeOperationError(
				node,
				`fieldValue of entry ${index} of ${parameterLabel} (node ${String(nodeId)}, ${fieldName}) must be text, a number or true/false`,
				{
					itemIndex,
					description: 'Links between nodes such as ["4", 0] cannot be changed through the API.',
				},
			);
		}
		return {
			...(candidate as IDataObject),
			nodeId: String(nodeId).trim(),
			fieldName: fieldName.trim(),
			fieldValue: (value ?? null) as NodeInfo['fieldValue'],
		};
	});
}

/**
 * Checks overrides against the inputs the workflow or app really has, before any billable request.
 * Unknown node or field names would make RunningHub reject the task (803) with no hint which one.
 */
export function assertOverridesExist(
	context: IExecuteFunctions,
	overrides: NodeInfo[],
	inputs: InputDescriptor[],
	itemIndex: number,
	what: string,
	links?: Set<string>,
): void {
	const byNode = new Map<string, InputDescriptor[]>();
	for (const input of inputs)
		byNode.set(input.nodeId, [...(byNode.get(input.nodeId) ?? []), input]);
	for (const override of overrides) {
		const nodeInputs = byNode.get(override.nodeId);
		if (!nodeInputs) {
			const known = [...byNode.keys()].slice(0, 40).join(', ');
			throw new NodeOperationError(
				context.getNode(),
				`Node ID "${override.nodeId}" does not exist in ${what} (field "${override.fieldName}")`,
				{
					itemIndex,
					description: `Node IDs that can be changed: ${known}. Reload the inputs (Refresh in "Inputs to Change") or use Workflow › Get JSON to see the nodes.`,
				},
			);
		}
		const input = nodeInputs.find((candidate) => candidate.fieldName === override.fieldName);
		if (!input) {
			const isLinked = links?.has(fieldIdOf(override.nodeId, override.fieldName));
			throw new NodeOperationError(
				context.getNode(),
				isLinked
					? `Field "${override.fieldName}" of node #${override.nodeId} (${nodeInputs[0].nodeLabel}) is connected to another node and cannot be changed`
					: `Field "${override.fieldName}" does not exist on node #${override.nodeId} (${nodeInputs[0].nodeLabel}) in ${what}`,
				{
					itemIndex,
					description: `Fields of node #${override.nodeId} that can be changed: ${nodeInputs.map((candidate) => candidate.fieldName).join(', ')}.`,
				},
			);
		}
		if (
			typeof override.fieldValue === 'number' &&
			(input.min !== undefined || input.max !== undefined)
		) {
			const value = override.fieldValue;
			if (
				(input.min !== undefined && value < input.min) ||
				(input.max !== undefined && value > input.max)
			) {
				throw new NodeOperationError(
					context.getNode(),
					`Value ${value} of "${override.fieldName}" (node #${override.nodeId}) must be between ${input.min ?? '-∞'} and ${input.max ?? '∞'}`,
					{
						itemIndex,
						description: `Change the value of "#${override.nodeId} ${input.nodeLabel} › ${override.fieldName}".`,
					},
				);
			}
		}
		if (
			input.options &&
			override.fieldValue !== null &&
			!input.options.some((option) => String(option.value) === String(override.fieldValue))
		) {
			throw new NodeOperationError(
				context.getNode(),
				`Value "${String(override.fieldValue)}" of "${override.fieldName}" (node #${override.nodeId}) is not one of its options`,
				{
					itemIndex,
					description: `Allowed: ${input.options.map((option) => String(option.value)).join(', ')}.`,
				},
			);
		}
	}
}

/** Inputs of a workflow that are wired to another node (named in errors). */
export function linkedInputs(workflow: ComfyWorkflow): Set<string> {
	const links = new Set<string>();
	for (const [nodeId, node] of Object.entries(workflow)) {
		for (const [fieldName, value] of Object.entries(node.inputs ?? {}))
			if (isLink(value)) links.add(fieldIdOf(nodeId, fieldName));
	}
	return links;
}

/** The binary property a value refers to (`binary:data` → `data`), if it uses that syntax. */
export function binaryPropertyOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed.toLowerCase().startsWith(BINARY_PREFIX)) return undefined;
	const property = trimmed.slice(BINARY_PREFIX.length).trim();
	return property === '' ? undefined : property;
}

/** URL-loading inputs want the upload's public link; loader nodes want its server file name. */
export function wantsUrl(fieldName: string, classType: string): boolean {
	return /url/i.test(fieldName) || /FromUrl|URL/.test(classType);
}

/** The minimal interface of the uploader this module needs (helpers/upload.ts provides it). */
export type BinaryUploader = (
	propertyName: string,
	fieldLabel: string,
) => Promise<{ fileName: string; downloadUrl?: string | null }>;

/**
 * Replaces every `binary:<property>` value by the uploaded file (one upload per property per item,
 * even when several fields use the same file).
 */
export async function resolveBinaryValues(
	overrides: NodeInfo[],
	upload: BinaryUploader,
	classTypeOf: (nodeId: string) => string,
): Promise<NodeInfo[]> {
	const uploads = new Map<string, Promise<{ fileName: string; downloadUrl?: string | null }>>();
	const resolved: NodeInfo[] = [];
	for (const override of overrides) {
		const property = binaryPropertyOf(override.fieldValue);
		if (!property) {
			resolved.push(override);
			continue;
		}
		const label = `#${override.nodeId} › ${override.fieldName}`;
		if (!uploads.has(property)) uploads.set(property, upload(property, label));
		const file = await uploads.get(property)!;
		const useUrl = wantsUrl(override.fieldName, classTypeOf(override.nodeId)) && file.downloadUrl;
		resolved.push({
			...override,
			fieldValue: useUrl ? (file.downloadUrl as string) : file.fileName,
		});
	}
	return resolved;
}

/** Applies overrides inside a workflow (for the whole-workflow mode, where nodeInfoList is ignored). */
export async function resolveBinaryValuesInWorkflow(
	workflow: ComfyWorkflow,
	upload: BinaryUploader,
): Promise<{ workflow: ComfyWorkflow; changed: boolean }> {
	const overrides: NodeInfo[] = [];
	for (const [nodeId, node] of Object.entries(workflow)) {
		for (const [fieldName, value] of Object.entries(node.inputs ?? {})) {
			if (binaryPropertyOf(value))
				overrides.push({ nodeId, fieldName, fieldValue: value as string });
		}
	}
	if (!overrides.length) return { workflow, changed: false };
	const resolved = await resolveBinaryValues(
		overrides,
		upload,
		(nodeId) => workflow[nodeId]?.class_type ?? '',
	);
	const copy = JSON.parse(JSON.stringify(workflow)) as ComfyWorkflow;
	for (const override of resolved)
		copy[override.nodeId].inputs[override.fieldName] = override.fieldValue;
	return { workflow: copy, changed: true };
}

/**
 * Remote definitions (workflow JSON, app templates) fetched once per execution and shared by all
 * items: a batch of 1000 items must not fetch the same workflow 1000 times.
 */
const perExecution = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function oncePerExecution<T>(
	context: object,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	let cache = perExecution.get(context);
	if (!cache) {
		cache = new Map();
		perExecution.set(context, cache);
	}
	let pending = cache.get(key) as Promise<T> | undefined;
	if (!pending) {
		pending = load();
		cache.set(key, pending);
		// A failed load is not cached, so the next item tries again.
		pending.catch(() => cache!.delete(key));
	}
	return await pending;
}

/** The inputs to change of a run, from whichever input mode the user chose (mapper or JSON). */
export function readOverrides(context: IExecuteFunctions, itemIndex: number): NodeInfo[] {
	const inputMode = context.getNodeParameter('inputMode', itemIndex, 'mapper') as string;
	return inputMode === 'nodeInfoListJson'
		? nodeInfoFromJson(
				context.getNode(),
				context.getNodeParameter('nodeInfoListJson', itemIndex, '[]'),
				itemIndex,
			)
		: nodeInfoFromMapper(
				context.getNode(),
				context.getNodeParameter('inputs', itemIndex, null) as ResourceMapperValue | null,
				itemIndex,
			);
}
