import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SubmittedTask } from '../../helpers/run';
import {
	maxConcurrentTasks,
	maxConcurrentTasksField,
	readRunSettings,
	runTask,
	submitRetryPolicy,
	waitModeProperty,
	waitingOptionFields,
	webhookUrlOptionField,
} from '../../helpers/run';
import { apiRequestV2Task } from '../../transport';
import {
	buildModelBody,
	getModelEndpoint,
	modelEndpointField,
	modelParameterFields,
} from './common';

const show = { resource: ['model'], operation: ['generate'] };

export const description: INodeProperties[] = [
	modelEndpointField(['generate']),
	...modelParameterFields(['generate']),
	waitModeProperty(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [...waitingOptionFields, maxConcurrentTasksField, webhookUrlOptionField],
	},
];

export function maxConcurrency(this: IExecuteFunctions): number {
	return maxConcurrentTasks(this);
}

/**
 * Standard Model API: POST /openapi/v2/<endpoint> with the model's own fields (§10.1). Fast models
 * may answer SUCCESS with results at once; the shared run flow uses that answer before polling.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const model = getModelEndpoint(this, itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const body = await buildModelBody(this, itemIndex, model);
	const path = `/openapi/v2/${model.endpoint}`;

	const submit = async (overrides?: { webhookUrl?: string }): Promise<SubmittedTask> => {
		const webhookUrl = overrides?.webhookUrl ?? settings.webhookUrl;
		const requestBody: IDataObject = webhookUrl ? { ...body, webhookUrl } : body;
		const task = await apiRequestV2Task.call(this, {
			path,
			body: requestBody,
			createsTask: true,
			retry: submitRetryPolicy(),
		});
		if (!task.taskId) {
			throw new NodeOperationError(
				this.getNode(),
				`RunningHub accepted the request to ${path} but returned no task ID`,
				{
					itemIndex,
					description:
						'Check the task list on the RunningHub site before running again, to avoid paying twice.',
				},
			);
		}
		return {
			taskId: task.taskId,
			status: task.status || 'QUEUED',
			initial: task,
			json: { model: model.endpoint },
		};
	};

	return await runTask(this, itemIndex, submit, settings);
}
