import type { INodeProperties } from 'n8n-workflow';

import * as getStyles from './getStyles.operation';
import * as run from './run.operation';

export { getStyles, run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['quickCreate'] } },
		options: [
			{
				name: 'Get Styles',
				value: 'getStyles',
				description:
					"List the styles of a module's model library (LoRA, trigger words, sample prompt)",
				action: 'Get the styles of a quick create module',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Start a Quick Create module with your inputs and get the generated files',
				action: 'Run a quick create module',
			},
		],
		default: 'run',
	},
	...run.description,
	...getStyles.description,
];
