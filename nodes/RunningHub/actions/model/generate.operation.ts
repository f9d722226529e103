import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	maxConcurrentTasksField,
	waitModeProperty,
	waitingOptionFields,
	webhookUrlOptionField,
} from '../common/run.description';
import { modelProperties } from './model.description';

const properties: INodeProperties[] = [
	...modelProperties,
	waitModeProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...waitingOptionFields, maxConcurrentTasksField, webhookUrlOptionField],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['generate'] } },
	properties,
);

export const runsTasks = true;

/**
 * Standard Model API: POST /openapi/v2/<endpoint> with the model's own fields. Fast models may
 * answer SUCCESS with results at once; the shared run flow uses that answer before polling.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { buildModelBody, getModelEndpoint } = await import('../../helpers/model');
	const { readRunSettings, runTask } = await import('../../helpers/run');
	const model = getModelEndpoint(this, itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const body = await buildModelBody(this, itemIndex, model);
	return await runTask(this, itemIndex, settings, {
		api: 'v2',
		path: `/openapi/v2/${model.endpoint}`,
		body,
		json: { model: model.endpoint },
	});
}
