import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { taskIdProperty } from '../common/locator';
import { outputOptionFields } from '../common/output.description';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getOutputs'] } },
	[
		taskIdProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: outputOptionFields,
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { readOutputOptions, taskResultToItems } = await import('../../helpers/output');
	const { queryTask, withFailureDetails } = await import('../../helpers/task');
	const { resultFromV2Task } = await import('../../helpers/taskResult');
	const { taskFailedError } = await import('../../helpers/wait');
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	const options = readOutputOptions(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const task = await queryTask(this, taskId);
	const result = resultFromV2Task(task);
	if (result.failure) throw taskFailedError(this, await withFailureDetails(this, result));
	return await taskResultToItems(this, result, options);
}
