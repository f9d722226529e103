import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { NodeInfo } from '../../helpers/interfaces';
import {
	byDisplayName,
	maxConcurrentTasksField,
	waitModeProperty,
	waitingOptionFields,
	webhookUrlOptionField,
} from '../common/run.description';
import { BINARY_HINT } from '../common/runInputs.description';
import { quickCreateAppIdProperty, readQuickCreateAppId } from './common';

const properties: INodeProperties[] = [
	quickCreateAppIdProperty,
	{
		displayName: 'Quick Create Code',
		name: 'quickCreateCode',
		type: 'string',
		required: true,
		default: '',
		placeholder: '002',
		description: 'The "quickCreateCode" of the module, from the same "Call API" example',
	},
	{
		displayName: 'Node Info List (JSON)',
		name: 'nodeInfoListJson',
		type: 'json',
		default: '[]',
		placeholder:
			'[{"nodeId": "52", "nodeName": "RH_Translator", "fieldName": "prompt", "fieldType": ' +
			'"STRING", "fieldValue": "make it a watercolour", "description": "prompt"}]',
		description:
			`The "nodeInfoList" of the module's "Call API" example, with your values. ` +
			`IMAGE fields take the file name an upload returned. ${BINARY_HINT}.`,
	},
	{
		displayName: 'Style Name or ID',
		name: 'styleId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getQuickCreateStyles', loadOptionsDependsOn: ['webappId'] },
		default: '',
		description:
			'A style of the module\'s model library: its LoRA files go into the list\'s "LORA" fields, in order. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	waitModeProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [maxConcurrentTasksField, webhookUrlOptionField, ...waitingOptionFields].sort(
			byDisplayName,
		),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['quickCreate'], operation: ['run'] } },
	properties,
);

export const runsTasks = true;

/** POST /task/openapi/quick-ai-app/run, then waiting and outputs like every other run. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { resolveNodeInfoBinaries } = await import('../../helpers/binaryReferences');
	const { nodeInfoFromJson } = await import('../../helpers/overrides');
	const { oncePerExecution } = await import('../../helpers/perExecution');
	const { applyStyle, fetchQuickCreateStyles } = await import('../../helpers/quickCreate');
	const { readRunSettings, runTask } = await import('../../helpers/run');
	const webappId = readQuickCreateAppId(this, itemIndex);
	const quickCreateCode = String(this.getNodeParameter('quickCreateCode', itemIndex, '')).trim();
	if (!quickCreateCode) {
		throw new NodeOperationError(this.getNode(), 'Quick Create Code is empty', {
			itemIndex,
			description:
				'Copy "quickCreateCode" from the "Call API" example of the module on RunningHub, e.g. 002.',
		});
	}
	const settings = readRunSettings(this, itemIndex);
	let nodeInfoList: NodeInfo[] = nodeInfoFromJson(
		this.getNode(),
		this.getNodeParameter('nodeInfoListJson', itemIndex, '[]'),
		itemIndex,
	);

	const styleId = String(this.getNodeParameter('styleId', itemIndex, '') ?? '').trim();
	let styleName: string | undefined;
	if (styleId) {
		const styles = await oncePerExecution(
			this,
			`quickCreateStyles:${webappId}`,
			async () => await fetchQuickCreateStyles(this, webappId),
		);
		const style = styles.find((candidate) => candidate.id === styleId);
		if (!style) {
			const styleList = styles.map((s) => `${s.modelName} (${s.id})`).join(', ');
			throw new NodeOperationError(
				this.getNode(),
				`Style "${styleId}" is not in the style library of Quick Create module ${webappId}`,
				{
					itemIndex,
					description: `Choose one of: ${styleList || 'the module has no styles'}.`,
				},
			);
		}
		const styled = applyStyle(nodeInfoList, style);
		if (!styled) {
			throw new NodeOperationError(
				this.getNode(),
				`Style "${style.modelName}" has nowhere to go: the Node Info List has no field with ` +
					`"fieldType": "LORA"`,
				{
					itemIndex,
					description:
						'Paste the whole nodeInfoList of the module\'s "Call API" example (with its LORA ' +
						'field), or leave Style empty.',
				},
			);
		}
		nodeInfoList = styled;
		styleName = style.modelName;
	}

	const classTypes = new Map(
		nodeInfoList.map((item) => [item.nodeId, String(item.nodeName ?? '')]),
	);
	nodeInfoList = await resolveNodeInfoBinaries(
		this,
		itemIndex,
		nodeInfoList,
		(nodeId) => classTypes.get(nodeId) ?? '',
	);
	const body: IDataObject = { webappId, quickCreateCode, nodeInfoList };
	const json: IDataObject = {
		webappId,
		quickCreateCode,
		...(styleName ? { style: styleName } : {}),
	};

	return await runTask(this, itemIndex, settings, {
		api: 'v1',
		path: '/task/openapi/quick-ai-app/run',
		body,
		json,
	});
}
