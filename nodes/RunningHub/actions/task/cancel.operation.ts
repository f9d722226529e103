import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequestV1 } from '../../transport';
import { getTaskId, taskIdField } from './common';

export const description: INodeProperties[] = [taskIdField(['cancel'])];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const taskId = getTaskId(this, itemIndex);
	await apiRequestV1.call(this, { path: '/task/openapi/cancel', body: { taskId }, taskId });
	return [{ json: { taskId, cancelled: true } }];
}
