import type { INodeProperties } from 'n8n-workflow';

import * as generate from './generate.operation';
import * as pricePreview from './pricePreview.operation';

export { generate, pricePreview };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				description: 'Run a hosted model (image, video, audio, 3D or text) and get its outputs',
				action: 'Generate with a model',
			},
			{
				name: 'Price Preview',
				value: 'pricePreview',
				description: 'Get the estimated price of a generation without running it',
				action: 'Preview the price of a model run',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...pricePreview.description,
];
