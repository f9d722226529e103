import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import { taskIdProperty } from '../common/locator';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['resendWebhookEvent'] } },
	[
		taskIdProperty,
		{
			displayName: 'Send To URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'https://my-n8n.example.com/webhook/…',
			description:
				'Where to deliver the event this time. Leave empty to send it to the URL the task was ' +
				'created with.',
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { validateWebhookUrl } = await import('../../helpers/validation');
	const { getWebhookEventDetail } = await import('../../helpers/webhookEvent');
	const { apiRequestV1 } = await import('../../transport');
	const taskId = getRunningHubId(this, 'task', 'taskId', itemIndex);
	const webhookUrl = validateWebhookUrl(
		this,
		(this.getNodeParameter('webhookUrl', itemIndex, '') as string).trim(),
		itemIndex,
		'Send To URL',
	);
	const detail = await getWebhookEventDetail(this, taskId);
	const body: { webhookId: string; webhookUrl?: string } = { webhookId: detail.webhookId };
	if (webhookUrl) body.webhookUrl = webhookUrl;
	await apiRequestV1.call(this, { path: '/task/openapi/retryWebhook', body, taskId });
	return [
		{
			json: {
				taskId,
				webhookId: detail.webhookId,
				resent: true,
				webhookUrl: webhookUrl || detail.webhookUrl,
			},
		},
	];
}
