import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { taskIdProperty } from '../common/locator';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['cancel'] } },
	[taskIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { cancelTask } = await import('../../helpers/task');
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	await cancelTask(this, taskId);
	return [{ json: { taskId, cancelled: true } }];
}
