import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { LegacyFileType, UploadTarget } from '../../helpers/interfaces';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to upload',
	},
	{
		displayName: 'Returns',
		name: 'target',
		type: 'options',
		options: [
			{
				name: 'File Name and Download URL',
				value: 'media',
				description:
					'A file name for ComfyUI loader nodes and a download URL (valid about a day) for ' +
					'model inputs. Takes JPG, PNG, WEBP, ZIP (of images), MP3, WAV, FLAC, MP4, AVI, MOV ' +
					'and MKV files.',
			},
			{
				name: 'File Name Only (Older Upload)',
				value: 'legacy',
				description:
					"Only a file name for ComfyUI loader nodes, through RunningHub's older upload " +
					'endpoint. Takes images, audio, video and ZIP files of 30 MB at most.',
			},
		],
		default: 'media',
	},
	{
		displayName: 'File Type',
		name: 'fileType',
		type: 'options',
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Image', value: 'image' },
			{ name: 'Input (Any)', value: 'input' },
			{ name: 'Video', value: 'video' },
			{ name: 'ZIP Archive', value: 'zip' },
		],
		default: 'input',
		description: 'The kind of file, sent as the fileType field of the legacy endpoint',
		displayOptions: { show: { target: ['legacy'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['upload'] } },
	properties,
);

/**
 * Outputs JSON only, as n8n's upload operations do: the file is now on RunningHub, and later nodes
 * can still reach the input binary through the item link if they need it.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { uploadBinaryProperty } = await import('../../helpers/upload');
	const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const target = this.getNodeParameter('target', itemIndex, 'media') as UploadTarget;
	const legacyFileType =
		target === 'legacy'
			? (this.getNodeParameter('fileType', itemIndex, 'input') as LegacyFileType)
			: undefined;
	const uploaded = await uploadBinaryProperty(this, itemIndex, propertyName, {
		target,
		legacyFileType,
	});
	return [
		{
			json: {
				fileName: uploaded.fileName,
				downloadUrl: uploaded.downloadUrl,
				type: uploaded.type,
				size: uploaded.size,
				mimeType: uploaded.mimeType,
				originalFileName: uploaded.originalFileName,
				target: uploaded.target,
			},
		},
	];
}
