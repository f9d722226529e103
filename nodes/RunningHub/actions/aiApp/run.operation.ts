import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';
import type { NodeInfo } from '../../helpers/interfaces';
import { idLocatorProperty } from '../common/locator';
import { v1RunOptionsProperty, waitModeProperty } from '../common/run.description';
import { runInputProperties } from '../common/runInputs.description';

const properties: INodeProperties[] = [
	idLocatorProperty('webapp', 'webappId'),
	...runInputProperties({
		noun: 'AI app',
		locator: 'webappId',
		resourceMapperMethod: 'getAppInputs',
		mapperHint:
			'Image, video and audio inputs (LoadImage and the like) take the file name an upload ' +
			'returned (File › Upload), not a web address; a URL works only where the app itself loads ' +
			'from a URL. ',
		jsonDescription:
			"Array of {nodeId, fieldName, fieldValue} as in the app's API example on RunningHub.",
	}),
	waitModeProperty,
	v1RunOptionsProperty(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['aiApp'], operation: ['run'] } },
	properties,
);

export const runsTasks = true;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { appInputs, appNodeInfo, fetchAppTemplate } = await import('../../helpers/aiApp');
	const { resolveNodeInfoBinaries } = await import('../../helpers/binaryReferences');
	const { assertOverridesExist, readOverrides } = await import('../../helpers/overrides');
	const { oncePerExecution } = await import('../../helpers/perExecution');
	const { readRunSettings, runTask } = await import('../../helpers/run');
	const { v1OptionsBody } = await import('../../helpers/submit');
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
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		if (template.accessEncrypted && !String(options.accessPassword ?? '')) {
			throw new NodeOperationError(
				this.getNode(),
				`AI app ${webappId} is access-encrypted: it needs its password`,
				{
					itemIndex,
					description:
						'Add Options › Access Password with the password the app owner gave you. Nothing ' +
						'was sent to RunningHub.',
				},
			);
		}
		const classTypes = new Map(
			template.nodeInfoList.map((field) => [field.nodeId, field.nodeName]),
		);
		const resolved = await resolveNodeInfoBinaries(
			this,
			itemIndex,
			overrides,
			(nodeId) => classTypes.get(nodeId) ?? '',
		);
		nodeInfoList = appNodeInfo(resolved);
	}
	const body: IDataObject = { webappId, nodeInfoList, ...v1OptionsBody(this, itemIndex) };

	return await runTask(this, itemIndex, settings, {
		api: 'v1',
		path: '/task/openapi/ai-app/run',
		body,
		json: { webappId },
	});
}
