import type { INodeProperties } from 'n8n-workflow';

import * as account from './account';
import * as task from './task';

/** The node's parameters: the resource picker, then each resource's operations and fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Task', value: 'task' },
		],
		default: 'task',
	},
	...account.description,
	...task.description,
];
