import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resultFromV2Task } from '../../helpers/taskResult';
import { apiRequestV2Task } from '../../transport';
import { getTaskId, taskIdField } from './common';

export const description: INodeProperties[] = [taskIdField(['getStatus'])];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const taskId = getTaskId(this, itemIndex);
	const task = await apiRequestV2Task.call(this, {
		path: '/openapi/v2/query',
		body: { taskId },
		taskId,
	});
	const result = resultFromV2Task(task);
	return [
		{
			json: {
				taskId: result.taskId,
				status: result.status,
				failure: result.failure,
				usage: result.usage,
			},
		},
	];
}
