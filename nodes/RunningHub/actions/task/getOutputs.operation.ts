import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { readOutputOptions, taskResultToItems } from '../../helpers/output';
import { queryTask, withFailureDetails } from '../../helpers/task';
import { resultFromV2Task } from '../../helpers/taskResult';
import { taskFailedError } from '../../helpers/wait';
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
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	const options = readOutputOptions(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const task = await queryTask(this, taskId);
	const result = resultFromV2Task(task);
	if (result.failure) throw taskFailedError(this, await withFailureDetails(this, result));
	return await taskResultToItems(this, result, options);
}
