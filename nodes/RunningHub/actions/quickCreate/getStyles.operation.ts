import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { QUICK_CREATE_STYLE_TYPE } from '../../helpers/constants';
import { quickCreateAppIdProperty, readQuickCreateAppId } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['quickCreate'], operation: ['getStyles'] } },
	[
		quickCreateAppIdProperty,
		{
			displayName: 'Style Library Type',
			name: 'styleType',
			type: 'number',
			default: QUICK_CREATE_STYLE_TYPE,
			description:
				'The "type" of the style library to read; 2 is the text-to-image module\'s model library',
		},
	],
);

/** One item per style: name, LoRA files and weights, trigger words and sample prompt. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { fetchQuickCreateStyles } = await import('../../helpers/quickCreate');
	const webappId = readQuickCreateAppId(this, itemIndex);
	const type = Number(this.getNodeParameter('styleType', itemIndex, QUICK_CREATE_STYLE_TYPE));
	const styles = await fetchQuickCreateStyles(this, webappId, type);
	return styles.map((style) => ({ json: { webappId, ...style } }));
}
