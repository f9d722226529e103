import type { INodeProperties } from 'n8n-workflow';

import * as account from './account';
import { toolDescriptionProperty } from './common/tool.description';
import * as aiApp from './aiApp';
import * as file from './file';
import * as model from './model';
import * as quickCreate from './quickCreate';
import * as task from './task';
import * as workflow from './workflow';

/**
 * The node's parameters: the tool description (RunningHub Tool only), the resource picker, then
 * each resource's operations and fields.
 */
export const properties: INodeProperties[] = [
	toolDescriptionProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'AI App', value: 'aiApp' },
			{ name: 'File', value: 'file' },
			{ name: 'Model', value: 'model' },
			{ name: 'Quick Create', value: 'quickCreate' },
			{ name: 'Task', value: 'task' },
			{ name: 'Workflow', value: 'workflow' },
		],
		default: 'workflow',
	},
	...account.description,
	...aiApp.description,
	...file.description,
	...model.description,
	...quickCreate.description,
	...task.description,
	...workflow.description,
];
