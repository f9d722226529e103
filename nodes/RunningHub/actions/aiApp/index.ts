import type { INodeProperties } from 'n8n-workflow';

import * as run from './run.operation';

export { run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['aiApp'] } },
		options: [
			{
				name: 'Run',
				value: 'run',
				description: 'Run an AI app with changed inputs and get the generated files',
				action: 'Run an AI app',
			},
		],
		default: 'run',
	},
	...run.description,
];
