import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import { appInputs, appNodeInfo, fetchAppTemplate } from '../../helpers/aiApp';
import type { NodeInfo } from '../../helpers/nodeInfo';
import { BINARY_HINT, assertOverridesExist, nodeInfoFromJson, nodeInfoFromMapper, oncePerExecution, resolveBinaryValues } from '../../helpers/nodeInfo';
import {
	maxConcurrentTasks,
	maxConcurrentTasksField,
	readRunSettings,
	runTask,
	submitV1Task,
	taskSubmitBody,
	taskSubmitOptionFields,
	waitModeProperty,
	waitingOptionFields,
} from '../../helpers/run';
import { uploadBinaryProperty } from '../../helpers/upload';
import { getRunningHubId, idLocatorProperty } from '../common/locator';

const show = { resource: ['aiApp'], operation: ['run'] };

export const description: INodeProperties[] = [
	idLocatorProperty('webapp', 'webappId', { show }),
	{
		displayName: 'Inputs',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Pick Inputs to Change', value: 'mapper', description: 'Choose fields of the app\'s form and set new values' },
			{ name: 'Node Info List (JSON)', value: 'nodeInfoListJson', description: 'Give the changes as a JSON array, e.g. from an expression' },
		],
		default: 'mapper',
		displayOptions: { show },
	},
	{
		displayName: 'Inputs to Change',
		name: 'inputs',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['webappId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getAppInputs',
				mode: 'add',
				valuesLabel: 'Inputs to Change',
				fieldWords: { singular: 'input', plural: 'inputs' },
				addAllFields: false,
				supportAutoMap: false,
				noFieldsError: 'This AI app has no inputs that can be changed',
			},
		},
		displayOptions: { show: { ...show, inputMode: ['mapper'] } },
		hint: `Add only the inputs to change; the others keep the app's values. Image, video and audio inputs take an uploaded file name or a URL. ${BINARY_HINT}.`,
	},
	{
		displayName: 'Node Info List (JSON)',
		name: 'nodeInfoListJson',
		type: 'json',
		default: '[]',
		placeholder: '[{"nodeId": "6", "fieldName": "text", "fieldValue": "a red fox"}]',
		description: `Array of {nodeId, fieldName, fieldValue} as in the app's API example on RunningHub. ${BINARY_HINT}.`,
		displayOptions: { show: { ...show, inputMode: ['nodeInfoListJson'] } },
	},
	waitModeProperty(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [...taskSubmitOptionFields, maxConcurrentTasksField, ...waitingOptionFields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export function maxConcurrency(this: IExecuteFunctions): number {
	return maxConcurrentTasks(this);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const webappId = getRunningHubId(this, 'webapp', 'webappId', itemIndex);
	const settings = readRunSettings(this, itemIndex);
	const inputMode = this.getNodeParameter('inputMode', itemIndex, 'mapper') as string;
	const overrides: NodeInfo[] =
		inputMode === 'nodeInfoListJson'
			? nodeInfoFromJson(this.getNode(), this.getNodeParameter('nodeInfoListJson', itemIndex, '[]'), itemIndex)
			: nodeInfoFromMapper(this.getNode(), this.getNodeParameter('inputs', itemIndex, null) as ResourceMapperValue | null, itemIndex);

	let nodeInfoList: NodeInfo[] = [];
	if (overrides.length) {
		const template = await oncePerExecution(this, `aiApp:${webappId}`, async () => await fetchAppTemplate(this, webappId));
		assertOverridesExist(this, overrides, appInputs(template), itemIndex, `AI app ${webappId}`);
		const classTypes = new Map(template.nodeInfoList.map((field) => [field.nodeId, field.nodeName]));
		const resolved = await resolveBinaryValues(
			overrides,
			async (property, label) => await uploadBinaryProperty(this, itemIndex, property, { target: 'media', fieldLabel: `Input "${label}"` }),
			(nodeId) => classTypes.get(nodeId) ?? '',
		);
		nodeInfoList = appNodeInfo(resolved);
	}
	const body: IDataObject = { webappId, nodeInfoList, ...taskSubmitBody(this, itemIndex, settings) };

	return await runTask(
		this,
		itemIndex,
		async (extra) =>
			await submitV1Task(this, itemIndex, '/task/openapi/ai-app/run', extra?.webhookUrl ? { ...body, webhookUrl: extra.webhookUrl } : body, { webappId }),
		settings,
	);
}
