import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getRunningHubId } from '../../helpers/ids';

/** The module's webappId, as shown in the "Call API" example of its Quick Create page. */
export const quickCreateAppIdProperty: INodeProperties = {
	displayName: 'App ID',
	name: 'webappId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1957346252562296834',
	description:
		'The "webappId" of the Quick Create module: open the module on RunningHub and click "Call ' +
		'API" to see it',
};

export function readQuickCreateAppId(context: IExecuteFunctions, itemIndex: number): string {
	return getRunningHubId(context, 'quickCreateApp', 'webappId', itemIndex);
}
