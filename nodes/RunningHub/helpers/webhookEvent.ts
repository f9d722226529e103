import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiRequestV1, parseEmbeddedJson } from '../transport';

export interface WebhookEventDetail extends IDataObject {
	webhookId: string;
	taskId: string;
	webhookUrl: string | null;
	event: string;
	callbackStatus: string | null;
	callbackResponse: string | null;
	retryCount: number | null;
	createTime: string | null;
	updateTime: string | null;
	eventData: IDataObject | string | null;
}

/** Reads RunningHub's record of the TASK_END callback of a task. */
export async function getWebhookEventDetail(
	context: IExecuteFunctions,
	taskId: string,
): Promise<WebhookEventDetail> {
	const data = (await apiRequestV1.call(context, {
		path: '/task/openapi/getWebhookDetail',
		body: { taskId },
		taskId,
	})) as IDataObject;
	return {
		webhookId: String(data.id ?? ''),
		taskId: String(data.taskId ?? taskId),
		webhookUrl: (data.webhookUrl as string) ?? null,
		event: (data.event as string) ?? 'TASK_END',
		callbackStatus: (data.callbackStatus as string) ?? null,
		callbackResponse: (data.callbackResponse as string) ?? null,
		retryCount:
			data.retryCount === undefined || data.retryCount === null ? null : Number(data.retryCount),
		createTime: (data.createTime as string) ?? null,
		updateTime: (data.updateTime as string) ?? null,
		eventData: (parseEmbeddedJson(data.eventData) as IDataObject | string) ?? null,
	};
}
