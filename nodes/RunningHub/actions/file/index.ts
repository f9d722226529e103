import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';
import * as uploadLora from './uploadLora.operation';

export { upload, uploadLora };

// The action names n8n lists; sentence case would spell the acronym "lora"
const UPLOAD_LORA_ACTION = 'Upload a LoRA';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Upload an image, video, audio or ZIP file to use in workflow, AI app and model runs',
				action: 'Upload a file',
			},
			{
				name: 'Upload LoRA',
				value: 'uploadLora',
				description: 'Upload a LoRA (.safetensors) for RHLoraLoader nodes',
				action: UPLOAD_LORA_ACTION,
			},
		],
		default: 'upload',
	},
	...upload.description,
	...uploadLora.description,
];
