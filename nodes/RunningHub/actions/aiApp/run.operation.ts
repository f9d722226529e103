import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { appInputs, appNodeInfo, fetchAppTemplate } from '../../helpers/aiApp';
import type { NodeInfo } from '../../helpers/nodeInfo';
import {
	assertOverridesExist,
	oncePerExecution,
	readOverrides,
	resolveBinaryValues,
} from '../../helpers/nodeInfo';
import {
	maxConcurrentTasks,
	readRunSettings,
	runTask,
	submitV1Task,
	taskSubmitBody,
	waitModeProperty,
} from '../../helpers/run';
import { uploadBinaryProperty } from '../../helpers/upload';
import { getRunningHubId, idLocatorProperty } from '../common/locator';
import { runInputProperties, runOptionsProperty } from '../common/runInputs.description';

const show = { resource: ['aiApp'], operation: ['run'] };

export const description: INodeProperties[] = [
	idLocatorProperty('webapp', 'webappId', { show }),
	...runInputProperties(show, {
		noun: 'AI app',
		locator: 'webappId',
		resourceMapperMethod: 'getAppInputs',
		mapperHint: 'Image, video and audio inputs take an uploaded file name or a URL. ',
		jsonDescription:
			"Array of {nodeId, fieldName, fieldValue} as in the app's API example on RunningHub.",
	}),
	waitModeProperty(show),
	runOptionsProperty(show),
];

export function maxConcurrency(this: IExecuteFunctions): number {
	return maxConcurrentTasks(this);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const webappId = getRunningHubId(this, 'webapp', 'webappId', itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const overrides = readOverrides(this, itemIndex);

	let nodeInfoList: NodeInfo[] = [];
	if (overrides.length) {
		const template = await oncePerExecution(
			this,
			`aiApp:${webappId}`,
			async () => await fetchAppTemplate(this, webappId),
		);
		assertOverridesExist(this, overrides, appInputs(template), itemIndex, `AI app ${webappId}`);
		const classTypes = new Map(
			template.nodeInfoList.map((field) => [field.nodeId, field.nodeName]),
		);
		const resolved = await resolveBinaryValues(
			overrides,
			async (property, label) =>
				await uploadBinaryProperty(this, itemIndex, property, {
					target: 'media',
					fieldLabel: `Input "${label}"`,
				}),
			(nodeId) => classTypes.get(nodeId) ?? '',
		);
		nodeInfoList = appNodeInfo(resolved);
	}
	const body: IDataObject = {
		webappId,
		nodeInfoList,
		...taskSubmitBody(this, itemIndex, settings),
	};

	return await runTask(
		this,
		itemIndex,
		async (extra) =>
			await submitV1Task(
				this,
				itemIndex,
				'/task/openapi/ai-app/run',
				extra?.webhookUrl ? { ...body, webhookUrl: extra.webhookUrl } : body,
				{ webappId },
			),
		settings,
	);
}
