import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as getOutputs from './getOutputs.operation';
import * as getStatus from './getStatus.operation';
import * as getWebhookEvent from './getWebhookEvent.operation';
import * as resendWebhookEvent from './resendWebhookEvent.operation';

export { cancel, getOutputs, getStatus, getWebhookEvent, resendWebhookEvent };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a queued or running task',
				action: 'Cancel a task',
			},
			{
				name: 'Get Outputs',
				value: 'getOutputs',
				description: 'Get the result files of a task, optionally as binary data',
				action: 'Get the outputs of a task',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get whether a task is queued, running, finished or failed',
				action: 'Get the status of a task',
			},
			{
				name: 'Get Webhook Event',
				value: 'getWebhookEvent',
				description: 'Get the details of the callback RunningHub sent when the task ended',
				action: 'Get the webhook event of a task',
			},
			{
				name: 'Resend Webhook Event',
				value: 'resendWebhookEvent',
				description: "Send the task's callback again, optionally to another URL",
				action: 'Resend the webhook event of a task',
			},
		],
		default: 'getStatus',
	},
	...getStatus.description,
	...getOutputs.description,
	...cancel.description,
	...getWebhookEvent.description,
	...resendWebhookEvent.description,
];
