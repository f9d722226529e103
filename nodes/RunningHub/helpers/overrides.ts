import type { IDataObject, IExecuteFunctions, INode, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputDescriptor, NodeInfo } from './interfaces';
import { jsonKind, parseJsonParameter } from './jsonParameter';

/*
 * The inputs a workflow or AI app run changes (RunningHub's nodeInfoList): read from the resource
 * mapper or from JSON, and checked against the inputs the workflow or app really has.
 */

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
						'Open "Inputs to Change", click "Refresh" to reload the inputs from RunningHub, and ' +
						'set the values again.',
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
	const parsed = parseJsonParameter(node, raw, {
		label: parameterLabel,
		itemIndex,
		fix:
			'Enter an array such as [{"nodeId": "6", "fieldName": "text", "fieldValue": "a red ' +
			'fox"}].',
	});
	if (parsed === undefined) return [];
	if (!Array.isArray(parsed)) {
		throw new NodeOperationError(
			node,
			`${parameterLabel} must be a JSON array, got ${jsonKind(parsed)}`,
			{
				itemIndex,
				description:
					'Wrap the overrides in [ ]: [{"nodeId": "6", "fieldName": "text", "fieldValue": "a ' +
					'red fox"}].',
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
					'Each entry needs "nodeId" (the number at the top right of the node, as text), ' +
					'"fieldName" and "fieldValue".',
			});
		}
		if (typeof fieldName !== 'string' || fieldName.trim() === '') {
			throw new NodeOperationError(
				node,
				`Entry ${index} of ${parameterLabel} (node ${String(nodeId)}) has no fieldName`,
				{
					itemIndex,
					description:
						'Each entry needs "fieldName": the name of the input inside the node, e.g. "text", ' +
						'"seed" or "image".',
				},
			);
		}
		const value = candidate.fieldValue;
		// An expression that yields nothing leaves fieldValue out (or null): sending that would run,
		// and bill, the workflow with its saved value instead of the one meant.
		if (value === undefined || value === null) {
			throw new NodeOperationError(
				node,
				`Entry ${index} of ${parameterLabel} (node ${String(nodeId)}, ${fieldName}) has no ` +
					`fieldValue`,
				{
					itemIndex,
					description:
						'Give each entry a "fieldValue". When it comes from an expression, check that the ' +
						'expression yields a value for this item (an empty or missing field yields ' +
						'nothing); use "" to send an empty text on purpose.',
				},
			);
		}
		if (typeof value === 'object') {
			throw new NodeOperationError(
				node,
				`fieldValue of entry ${index} of ${parameterLabel} (node ${String(nodeId)}, ` +
					`${fieldName}) must be text, a number or true/false`,
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
			fieldValue: value as NodeInfo['fieldValue'],
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
					description:
						`Node IDs that can be changed: ${known}. Reload the inputs (Refresh in ` +
						`"Inputs to Change") or use Workflow › Get JSON to see the nodes.`,
				},
			);
		}
		const input = nodeInputs.find((candidate) => candidate.fieldName === override.fieldName);
		if (!input) {
			const isLinked = links?.has(fieldIdOf(override.nodeId, override.fieldName));
			throw new NodeOperationError(
				context.getNode(),
				isLinked
					? `Field "${override.fieldName}" of node #${override.nodeId} ` +
						`(${nodeInputs[0].nodeLabel}) is connected to another node and cannot be changed`
					: `Field "${override.fieldName}" does not exist on node #${override.nodeId} ` +
						`(${nodeInputs[0].nodeLabel}) in ${what}`,
				{
					itemIndex,
					description:
						`Fields of node #${override.nodeId} that can be changed: ` +
						`${nodeInputs.map((candidate) => candidate.fieldName).join(', ')}.`,
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
					`Value ${value} of "${override.fieldName}" (node #${override.nodeId}) must be between ` +
						`${input.min ?? '-∞'} and ${input.max ?? '∞'}`,
					{
						itemIndex,
						description:
							`Change the value of "#${override.nodeId} ${input.nodeLabel} › ` +
							`${override.fieldName}".`,
					},
				);
			}
		}
		if (
			input.options &&
			override.fieldValue !== null &&
			!input.options.some((option) => String(option.value) === String(override.fieldValue))
		) {
			const allowed = input.options.map((option) => String(option.value));
			throw new NodeOperationError(
				context.getNode(),
				`Value "${String(override.fieldValue)}" of "${override.fieldName}" (node ` +
					`#${override.nodeId}) is not one of its options`,
				{
					itemIndex,
					description: `Allowed: ${allowed.join(', ')}.`,
				},
			);
		}
	}
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
