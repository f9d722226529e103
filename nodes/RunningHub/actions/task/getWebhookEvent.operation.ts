import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getTaskId, taskIdField } from './common';
import { getWebhookEventDetail } from './webhookEvent';

export const description: INodeProperties[] = [taskIdField(['getWebhookEvent'])];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const taskId = getTaskId(this, itemIndex);
	return [{ json: await getWebhookEventDetail(this, taskId) }];
}
