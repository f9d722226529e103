import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ComfyWorkflow } from '../../helpers/nodeInfo';
import {
	BINARY_HINT,
	asComfyWorkflow,
	assertOverridesExist,
	fetchWorkflowJson,
	linkedInputs,
	oncePerExecution,
	readOverrides,
	resolveBinaryValues,
	resolveBinaryValuesInWorkflow,
	workflowInputs,
} from '../../helpers/nodeInfo';
import {
	maxConcurrentTasks,
	readRunSettings,
	runTask,
	submitV1Task,
	taskSubmitBody,
	waitModeProperty,
} from '../../helpers/run';
import { uploadBinaryProperty } from '../../helpers/upload';
import { parseJsonLossless } from '../../transport';
import { getRunningHubId, idLocatorProperty } from '../common/locator';
import { runInputProperties, runOptionsProperty } from '../common/runInputs.description';

const show = { resource: ['workflow'], operation: ['run'] };

const addMetadataField: INodeProperties = {
	displayName: 'Add Metadata',
	name: 'addMetadata',
	type: 'boolean',
	default: true,
	description: 'Whether to embed the prompt and workflow in the generated images',
};

export const description: INodeProperties[] = [
	idLocatorProperty('workflow', 'workflowId', { show }),
	...runInputProperties(show, {
		noun: 'workflow',
		locator: 'workflowId',
		resourceMapperMethod: 'getWorkflowInputs',
		mapperHint: '',
		jsonDescription:
			'Array of {nodeId, fieldName, fieldValue}: the node ID (top right of the node), the input name and the new value.',
		extraModes: [
			{
				name: 'Whole Workflow (JSON)',
				value: 'workflowJson',
				description: 'Send a complete API-format workflow that replaces the saved one',
			},
		],
	}),
	{
		displayName: 'Workflow JSON',
		name: 'workflowJson',
		type: 'json',
		default: '',
		required: true,
		description: `The complete workflow in ComfyUI API format ("Save (API Format)", or the output of Workflow › Get JSON). It replaces the saved workflow for this run; the workflow chosen above must still exist. ${BINARY_HINT}.`,
		displayOptions: { show: { ...show, inputMode: ['workflowJson'] } },
	},
	waitModeProperty(show),
	runOptionsProperty(show, [addMetadataField]),
];

export function maxConcurrency(this: IExecuteFunctions): number {
	return maxConcurrentTasks(this);
}

function parseWorkflowParameter(
	context: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
): { workflow: ComfyWorkflow; text?: string } {
	let value = raw;
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	if (text !== undefined) {
		if (text === '') {
			throw new NodeOperationError(context.getNode(), 'Workflow JSON is empty', {
				itemIndex,
				description:
					'Paste the workflow in API format, or use an expression such as {{ $json.workflow }} after Workflow › Get JSON.',
			});
		}
		try {
			value = parseJsonLossless(text);
		} catch (error) {
			throw new NodeOperationError(
				context.getNode(),
				`Workflow JSON is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description: 'Paste the workflow exported with "Save (API Format)" in ComfyUI.',
				},
			);
		}
	}
	const checked = asComfyWorkflow(value);
	if ('problem' in checked) {
		throw new NodeOperationError(
			context.getNode(),
			`Workflow JSON is not an API-format ComfyUI workflow: ${checked.problem}`,
			{ itemIndex },
		);
	}
	return { workflow: checked.workflow, text };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const workflowId = getRunningHubId(this, 'workflow', 'workflowId', itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const inputMode = this.getNodeParameter('inputMode', itemIndex, 'mapper') as string;
	const upload = async (property: string, label: string) =>
		await uploadBinaryProperty(this, itemIndex, property, {
			target: 'media',
			fieldLabel: `Input "${label}"`,
		});
	const body: IDataObject = { workflowId, ...taskSubmitBody(this, itemIndex, settings) };

	if (inputMode === 'workflowJson') {
		const { workflow, text } = parseWorkflowParameter(
			this,
			this.getNodeParameter('workflowJson', itemIndex),
			itemIndex,
		);
		const resolved = await resolveBinaryValuesInWorkflow(workflow, upload);
		// The user's own text is sent when nothing changed, so long seeds keep their exact digits.
		body.workflow =
			!resolved.changed && text !== undefined ? text : JSON.stringify(resolved.workflow);
	} else {
		const overrides = readOverrides(this, itemIndex);
		if (overrides.length) {
			const workflow = await oncePerExecution(
				this,
				`workflow:${workflowId}`,
				async () => await fetchWorkflowJson(this, workflowId),
			);
			assertOverridesExist(
				this,
				overrides,
				workflowInputs(workflow),
				itemIndex,
				`workflow ${workflowId}`,
				linkedInputs(workflow),
			);
			const resolved = await resolveBinaryValues(
				overrides,
				upload,
				(nodeId) => workflow[nodeId]?.class_type ?? '',
			);
			body.nodeInfoList = resolved.map(({ nodeId, fieldName, fieldValue }) => ({
				nodeId,
				fieldName,
				fieldValue,
			}));
		}
	}

	return await runTask(
		this,
		itemIndex,
		async (overrides) =>
			await submitV1Task(
				this,
				itemIndex,
				'/task/openapi/create',
				overrides?.webhookUrl ? { ...body, webhookUrl: overrides.webhookUrl } : body,
				{ workflowId },
			),
		settings,
	);
}
