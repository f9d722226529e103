import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The module's webappId, as shown in the "Call API" example of its Quick Create page. */
export const quickCreateAppIdProperty: INodeProperties = {
	displayName: 'App ID',
	name: 'webappId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1957346252562296834',
	description:
		'The "webappId" of the Quick Create module: open the module on RunningHub and click "Call API" to see it',
};

export function readQuickCreateAppId(context: IExecuteFunctions, itemIndex: number): string {
	const webappId = String(context.getNodeParameter('webappId', itemIndex, '') ?? '').trim();
	if (!/^\d{19}$/.test(webappId)) {
		throw new NodeOperationError(
			context.getNode(),
			`App ID must be the 19-digit webappId of the Quick Create module (got "${webappId}")`,
			{
				itemIndex,
				description:
					'Open the module on RunningHub, click "Call API" and copy "webappId" from the example.',
			},
		);
	}
	return webappId;
}
