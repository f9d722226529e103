import type { FieldType, IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RunningHubContext } from '../transport';
import { apiRequestV1, parseEmbeddedJson } from '../transport';
import type { ComfyNode, ComfyWorkflow, InputDescriptor } from './interfaces';
import { parseJsonParameter } from './jsonParameter';
import { fieldIdOf } from './overrides';

/*
 * The ComfyUI workflow in API format (node ID → {class_type, inputs}): reading it from RunningHub
 * or from the user, and listing the inputs a run may change.
 */

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

/** A wire from another node's output, e.g. `["4", 0]`. */
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
				problem:
					`node "${nodeId}" has no class_type and inputs (is this the UI format? Export ` +
					`with "Save (API Format)" in ComfyUI, or use Workflow › Get JSON)`,
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
	const checked = asComfyWorkflow(parseEmbeddedJson(prompt));
	if ('problem' in checked) {
		throw new NodeOperationError(
			node,
			`RunningHub returned workflow ${workflowId} in a form that cannot be read: ` +
				`${checked.problem}`,
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

/**
 * The "Workflow JSON" parameter: a whole API-format workflow. `text` is the user's own text, which
 * is sent as is when nothing in it changes, so long seeds keep their exact digits.
 */
export function parseWorkflowParameter(
	node: INode,
	raw: unknown,
	itemIndex: number,
): { workflow: ComfyWorkflow; text?: string } {
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	if (text === '') {
		throw new NodeOperationError(node, 'Workflow JSON is empty', {
			itemIndex,
			description:
				'Paste the workflow in API format, or use an expression such as {{ $json.workflow }} ' +
				'after Workflow › Get JSON.',
		});
	}
	const value = parseJsonParameter(node, raw, {
		label: 'Workflow JSON',
		itemIndex,
		fix: 'Paste the workflow exported with "Save (API Format)" in ComfyUI.',
	});
	const checked = asComfyWorkflow(value);
	if ('problem' in checked) {
		throw new NodeOperationError(
			node,
			`Workflow JSON is not an API-format ComfyUI workflow: ${checked.problem}`,
			{ itemIndex },
		);
	}
	return { workflow: checked.workflow, text };
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

/** Inputs of a workflow that are wired to another node (named in errors). */
export function linkedInputs(workflow: ComfyWorkflow): Set<string> {
	const links = new Set<string>();
	for (const [nodeId, node] of Object.entries(workflow)) {
		for (const [fieldName, value] of Object.entries(node.inputs ?? {}))
			if (isLink(value)) links.add(fieldIdOf(nodeId, fieldName));
	}
	return links;
}
