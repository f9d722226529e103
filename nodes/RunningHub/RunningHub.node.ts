import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/properties';
import { callbackWebhooks } from './actions/common/callback.description';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class RunningHub implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunningHub',
		name: 'runningHub',
		icon: {
			light: 'file:../../icons/runninghub.svg',
			dark: 'file:../../icons/runninghub.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Run ComfyUI workflows, AI apps and hosted models on RunningHub and get the generated files',
		defaults: { name: 'RunningHub' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'runningHubApi', required: true }],
		webhooks: callbackWebhooks,
		waitingNodeTooltip: 'Waiting for RunningHub to report that the task has ended',
		properties,
	};

	methods = { listSearch, loadOptions, resourceMapping };

	/*
	 * n8n loads the node to read its description; the logic is imported on first use, so that
	 * load reads the descriptions alone (bench/node-load.ts measures it).
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { router } = await import('./actions/router');
		return await router.call(this);
	}

	/** RunningHub's TASK_END callback to a paused execution (Wait Mode "Wait for Callback"). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const { resumeFromCallback } = await import('./helpers/callback');
		return await resumeFromCallback.call(this);
	}
}
