import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { idLocatorProperty } from '../common/locator';
import { v1RunOptionsProperty, waitModeProperty } from '../common/run.description';
import { BINARY_HINT, runInputProperties } from '../common/runInputs.description';

const addMetadataField: INodeProperties = {
	displayName: 'Add Metadata',
	name: 'addMetadata',
	type: 'boolean',
	default: true,
	description: 'Whether to embed the prompt and workflow in the generated images',
};

const properties: INodeProperties[] = [
	idLocatorProperty('workflow', 'workflowId'),
	...runInputProperties({
		noun: 'workflow',
		locator: 'workflowId',
		resourceMapperMethod: 'getWorkflowInputs',
		mapperHint:
			'LoadImage, LoadAudio and LoadVideo take the file name an upload returned (File › ' +
			'Upload), not a web address. ',
		jsonDescription:
			'Array of {nodeId, fieldName, fieldValue}: the node ID (top right of the node), the input ' +
			'name and the new value.',
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
		description:
			`The complete workflow in ComfyUI API format ("Save (API Format)", or the ` +
			`output of Workflow › Get JSON). It replaces the saved workflow for this run; the ` +
			`workflow chosen above must still exist. ${BINARY_HINT}.`,
		displayOptions: { show: { inputMode: ['workflowJson'] } },
	},
	waitModeProperty,
	v1RunOptionsProperty([addMetadataField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['workflow'], operation: ['run'] } },
	properties,
);

export const runsTasks = true;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { resolveNodeInfoBinaries, resolveWorkflowBinaries } = await import(
		'../../helpers/binaryReferences'
	);
	const { fetchWorkflowJson, linkedInputs, parseWorkflowParameter, workflowInputs } = await import(
		'../../helpers/comfyWorkflow'
	);
	const { assertOverridesExist, readOverrides } = await import('../../helpers/overrides');
	const { oncePerExecution } = await import('../../helpers/perExecution');
	const { readRunSettings, runTask } = await import('../../helpers/run');
	const { v1OptionsBody } = await import('../../helpers/submit');
	const workflowId = getRunningHubId(this, 'workflow', 'workflowId', itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const inputMode = this.getNodeParameter('inputMode', itemIndex, 'mapper') as string;
	const body: IDataObject = { workflowId, ...v1OptionsBody(this, itemIndex) };

	if (inputMode === 'workflowJson') {
		const { workflow, text } = parseWorkflowParameter(
			this.getNode(),
			this.getNodeParameter('workflowJson', itemIndex),
			itemIndex,
		);
		const resolved = await resolveWorkflowBinaries(this, itemIndex, workflow);
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
			const resolved = await resolveNodeInfoBinaries(
				this,
				itemIndex,
				overrides,
				(nodeId) => workflow[nodeId]?.class_type ?? '',
			);
			body.nodeInfoList = resolved.map(({ nodeId, fieldName, fieldValue }) => ({
				nodeId,
				fieldName,
				fieldValue,
			}));
		}
	}

	return await runTask(this, itemIndex, settings, {
		api: 'v1',
		path: '/task/openapi/create',
		body,
		json: { workflowId },
	});
}
