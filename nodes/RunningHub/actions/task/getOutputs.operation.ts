import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { OutputOptions } from '../../helpers/output';
import { DEFAULT_OUTPUT_OPTIONS, taskResultToItem } from '../../helpers/output';
import { resultFromV2Task } from '../../helpers/taskResult';
import { taskFailedError } from '../../helpers/wait';
import { apiRequestV2Task } from '../../transport';
import { outputOptionFields } from '../common/output.description';
import { getTaskId, taskIdField } from './common';

export const description: INodeProperties[] = [
	taskIdField(['getOutputs']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['task'], operation: ['getOutputs'] } },
		options: outputOptionFields,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const taskId = getTaskId(this, itemIndex);
	const options = {
		...DEFAULT_OUTPUT_OPTIONS,
		...(this.getNodeParameter('options', itemIndex, {}) as Partial<OutputOptions>),
	};
	const task = await apiRequestV2Task.call(this, {
		path: '/openapi/v2/query',
		body: { taskId },
		taskId,
	});
	const result = resultFromV2Task(task);
	if (result.failure) throw taskFailedError(this, result);
	return [await taskResultToItem(this, result, options)];
}
