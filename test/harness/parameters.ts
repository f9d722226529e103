/**
 * Node parameters and items that many tests and benchmarks share: the simulator's text-to-image
 * workflow run with each item's `prompt` sent as node 6's text.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { WORKFLOW_ID_TXT2IMG } from '../simulator';

/** Items whose `prompt` is "<word> <index>". */
export const promptItems = (count: number, word = 'item'): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: { prompt: `${word} ${index}` } }));

/** Workflow › Run of the text-to-image workflow, each item's prompt as node 6's text. */
export function promptWorkflowRun(
	options: INodeParameters = {},
	waitMode = 'wait',
): INodeParameters {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
		inputMode: 'nodeInfoListJson',
		nodeInfoListJson:
			'={{ JSON.stringify([{ nodeId: "6", fieldName: "text", fieldValue: $json.prompt }]) }}',
		waitMode,
		options,
	};
}
