import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { taskIdProperty } from '../common/locator';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getStatus'] } },
	[taskIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { queryTask, withFailureDetails } = await import('../../helpers/task');
	const { resultFromV2Task } = await import('../../helpers/taskResult');
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	const task = await queryTask(this, taskId);
	const result = await withFailureDetails(this, resultFromV2Task(task));
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
