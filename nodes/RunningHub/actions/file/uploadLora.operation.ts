import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

export const LORA_URL_PATH = '/api/openapi/getLoraUploadUrl';

/** Letters (any script), digits, dot, dash and underscore: the name ends up in a storage path. */
const LORA_NAME_PATTERN = /^[\p{L}\p{N}._-]{1,128}$/u;

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the LoRA file (.safetensors)',
	},
	{
		displayName: 'LoRA Name',
		name: 'loraName',
		type: 'string',
		default: '',
		placeholder: 'e.g. my-style-lora',
		description:
			'Name of the LoRA on RunningHub: letters, digits, ".", "-" and "_" only. Leave empty to ' +
			'use the file name without its extension.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['uploadLora'] } },
	properties,
);

interface LoraUploadUrl {
	fileName?: string;
	url?: string | null;
}

function loraNameFromFile(fileName: string | undefined): string {
	const base = String(fileName ?? '').replace(/\.[^.]*$/, '');
	return base
		.replace(/[^\p{L}\p{N}._-]+/gu, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 128);
}

function getLoraName(
	context: IExecuteFunctions,
	itemIndex: number,
	fileName: string | undefined,
): string {
	const entered = String(context.getNodeParameter('loraName', itemIndex, '') ?? '').trim();
	const name = entered || loraNameFromFile(fileName);
	if (!LORA_NAME_PATTERN.test(name)) {
		throw new NodeOperationError(
			context.getNode(),
			entered
				? `LoRA Name "${entered}" contains characters RunningHub cannot store or is longer than ` +
					`128 characters`
				: `LoRA Name is empty and no name could be derived from the file name "${fileName ?? ''}"`,
			{
				itemIndex,
				description:
					'Enter a LoRA Name made of letters, digits, ".", "-" and "_" (e.g. my-style-lora).',
			},
		);
	}
	return name;
}

/**
 * RunningHub stores LoRAs by MD5: it hands out a presigned URL to PUT the bytes to, or no URL
 * when it already has a file with that MD5.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { getBinaryMetadataOf } = await import('../../helpers/upload');
	const { TIMEOUT_DEFAULTS, apiRequestV1, fileHostRequest } = await import('../../transport');
	const propertyName = String(
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '',
	).trim();
	const binary = getBinaryMetadataOf(this, itemIndex, propertyName);
	const loraName = getLoraName(this, itemIndex, binary.fileName);

	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	if (bytes.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Binary property "${propertyName}" of item ${itemIndex} is empty (0 bytes), so there is ` +
				`no LoRA to upload`,
			{
				itemIndex,
				description: 'Check the node that produced the file.',
			},
		);
	}
	const md5 = createHash('md5').update(bytes).digest('hex');

	const answer = ((await apiRequestV1.call(this, {
		path: LORA_URL_PATH,
		body: { loraName, md5Hex: md5 },
	})) ?? {}) as LoraUploadUrl;
	if (!answer.fileName) {
		throw new NodeOperationError(
			this.getNode(),
			`RunningHub answered ${LORA_URL_PATH} without a file name for LoRA "${loraName}"`,
			{
				itemIndex,
				description: 'Try again; if it keeps happening, check the LoRA Name.',
			},
		);
	}

	const url = typeof answer.url === 'string' ? answer.url.trim() : '';
	if (url) {
		// A presigned storage URL: it must not receive the RunningHub key, so the plain helper is used.
		const sent = await fileHostRequest(this, {
			method: 'PUT',
			url,
			body: bytes,
			headers: { 'Content-Type': 'application/octet-stream' },
			encoding: 'text',
			json: false,
			timeout: TIMEOUT_DEFAULTS.fileTransferMs * 2,
		});
		if ('cancelled' in sent) {
			throw new NodeOperationError(
				this.getNode(),
				`The execution was stopped while sending LoRA "${loraName}" to RunningHub's storage`,
				{ itemIndex },
			);
		}
		if ('reason' in sent) {
			throw new NodeOperationError(
				this.getNode(),
				`Sending LoRA "${loraName}" to RunningHub's storage failed: ${sent.reason}`,
				{
					itemIndex,
					description:
						'The upload link is valid for about an hour; run the node again to get a new one.',
				},
			);
		}
		const response = sent.response;
		if (response.statusCode < 200 || response.statusCode >= 300) {
			const detail = typeof response.body === 'string' ? response.body.slice(0, 200) : '';
			throw new NodeOperationError(
				this.getNode(),
				`RunningHub's storage refused LoRA "${loraName}" with HTTP ` +
					`${response.statusCode}${detail ? `: ${detail}` : ''}`,
				{
					itemIndex,
					description:
						'The upload link is valid for about an hour; run the node again to get a new one.',
				},
			);
		}
	}

	return [
		{
			json: { loraName, fileName: answer.fileName, md5, uploaded: url !== '', size: bytes.length },
		},
	];
}
