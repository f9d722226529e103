import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { taskIdProperty } from '../common/locator';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getWebhookEvent'] } },
	[taskIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { getWebhookEventDetail } = await import('../../helpers/webhookEvent');
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	return [{ json: await getWebhookEventDetail(this, taskId) }];
}
