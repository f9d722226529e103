import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { idLocatorProperty } from '../common/locator';

export const description = updateDisplayOptions(
	{ show: { resource: ['workflow'], operation: ['getJson'] } },
	[idLocatorProperty('workflow', 'workflowId')],
);

/** The API-format workflow plus a readable list of its nodes and the inputs that can be changed. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { fetchWorkflowJson, linkedInputs, workflowInputs } = await import(
		'../../helpers/comfyWorkflow'
	);
	const { fieldIdOf } = await import('../../helpers/overrides');
	const workflowId = getRunningHubId(this, 'workflow', 'workflowId', itemIndex);
	const workflow = await fetchWorkflowJson(this, workflowId);
	const inputs = workflowInputs(workflow);
	const links = linkedInputs(workflow);
	const nodes: IDataObject[] = Object.entries(workflow).map(([nodeId, node]) => ({
		nodeId,
		classType: node.class_type,
		title: node._meta?.title ?? node.class_type,
		inputs: Object.fromEntries(
			inputs
				.filter((input) => input.nodeId === nodeId)
				.map((input) => [input.fieldName, input.current]),
		),
		linkedInputs: Object.keys(node.inputs ?? {}).filter((fieldName) =>
			links.has(fieldIdOf(nodeId, fieldName)),
		),
	}));
	return [{ json: { workflowId, workflow: workflow as unknown as IDataObject, nodes } }];
}
