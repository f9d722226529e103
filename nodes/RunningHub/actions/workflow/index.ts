import type { INodeProperties } from 'n8n-workflow';

import * as getJson from './getJson.operation';
import * as run from './run.operation';

export { getJson, run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workflow'] } },
		options: [
			{
				name: 'Get JSON',
				value: 'getJson',
				description: 'Get the workflow in ComfyUI API format and the list of its nodes',
				action: 'Get the JSON of a workflow',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Run a ComfyUI workflow with changed inputs and get the generated files',
				action: 'Run a workflow',
			},
		],
		default: 'run',
	},
	...run.description,
	...getJson.description,
];
