import type {
	IBinaryData,
	IBinaryKeyData,
	IExecuteFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	TIMEOUT_DEFAULTS,
	baseUrlOf,
	fileHostRequest,
	getCredentials,
	privateAddressRefusal,
	withTaskId,
} from '../transport';
import type { TaskOutput } from './interfaces';
import { extensionOfUrl } from './taskResult';

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	mkv: 'video/x-matroska',
	avi: 'video/x-msvideo',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	flac: 'audio/flac',
	ogg: 'audio/ogg',
	m4a: 'audio/mp4',
	glb: 'model/gltf-binary',
	gltf: 'model/gltf+json',
	obj: 'model/obj',
	fbx: 'application/octet-stream',
	zip: 'application/zip',
	txt: 'text/plain',
	json: 'application/json',
};

export function mimeTypeFor(extension: string | null, fallback?: string): string {
	if (extension && MIME_BY_EXTENSION[extension.toLowerCase()])
		return MIME_BY_EXTENSION[extension.toLowerCase()];
	if (fallback && !/^application\/octet-stream|^binary\//i.test(fallback))
		return fallback.split(';')[0].trim();
	return 'application/octet-stream';
}

function fileNameOf(url: string, index: number, extension: string | null): string {
	const last = decodeURIComponent(url.split('?')[0].split('#')[0].split('/').pop() ?? '');
	if (last && /\.[a-z0-9]{1,8}$/i.test(last)) return last;
	return `output_${index}${extension ? `.${extension}` : ''}`;
}

export interface DownloadOptions {
	/** Binary property names are `<prefix>0`, `<prefix>1`, … */
	prefix: string;
	/** Keep going when a file cannot be downloaded; the failure is reported on the output. */
	allowPartial: boolean;
	timeoutMs?: number;
	/** Larger files are not downloaded (default from DEFAULT_MAX_DOWNLOAD_MB). */
	maxBytes?: number;
}

/**
 * Default of the Max Download Size option: above RunningHub's longest videos, below what fills
 * memory.
 */
export const DEFAULT_MAX_DOWNLOAD_MB = 500;

export function maxDownloadBytes(megabytes: number | undefined): number {
	const mb =
		typeof megabytes === 'number' && Number.isFinite(megabytes) && megabytes > 0
			? megabytes
			: DEFAULT_MAX_DOWNLOAD_MB;
	return Math.floor(mb * 1024 * 1024);
}

export interface DownloadResult {
	binary: IBinaryKeyData;
	failures: Array<{ index: number; fileUrl: string; error: string }>;
}

/**
 * The origin of the API the credential names: the one local or private address result files may
 * come from (a simulator or proxy on the user's network). When a configured credential cannot be
 * read (e.g. n8n's database is busy), the reason is kept so a refusal does not blame the link.
 */
async function credentialOrigin(
	context: IExecuteFunctions | IWebhookFunctions,
): Promise<{ origin?: string; unreadable?: string }> {
	try {
		return {
			origin: new URL(baseUrlOf(await getCredentials.call(context), context.getNode())).origin,
		};
	} catch (error) {
		if (!context.getNode().credentials?.runningHubApi) return {};
		return { unreadable: error instanceof Error ? error.message : String(error) };
	}
}

function refusalFor(url: string, credential: { origin?: string; unreadable?: string }) {
	const refusal = privateAddressRefusal(url, credential.origin);
	if (!refusal || credential.unreadable === undefined) return refusal;
	return (
		`${refusal}, and the RunningHub API credential could not be read to compare ` +
		`(${credential.unreadable}); run the execution again`
	);
}

/**
 * Downloads the result files into binary properties. RunningHub result URLs are public, signed
 * and short-lived (24 h), so they are fetched without any RunningHub credential. Each file streams
 * into n8n's binary storage (on disk in filesystem mode) rather than through one buffer.
 */
export async function downloadOutputs(
	context: IExecuteFunctions | IWebhookFunctions,
	outputs: TaskOutput[],
	options: DownloadOptions,
	taskId: string,
): Promise<DownloadResult> {
	const binary: IBinaryKeyData = {};
	const failures: DownloadResult['failures'] = [];
	const credential = await credentialOrigin(context);
	let index = 0;
	for (const output of outputs) {
		if (!output.fileUrl) continue;
		const fileUrl = output.fileUrl;
		const propertyName = `${options.prefix}${index}`;
		const extension = output.fileType ?? extensionOfUrl(fileUrl);
		const fileName = fileNameOf(fileUrl, index, extension);
		const fetched = await fileHostRequest(
			context,
			{
				method: 'GET',
				url: fileUrl,
				timeout: options.timeoutMs ?? TIMEOUT_DEFAULTS.fileTransferMs,
			},
			{
				maxBytes: options.maxBytes ?? maxDownloadBytes(undefined),
				deadlineMs: TIMEOUT_DEFAULTS.fileDeadlineMs,
				refuseUrl: (url) => refusalFor(url, credential),
				consume: async (body, response) =>
					await context.helpers.prepareBinaryData(
						body,
						fileName,
						mimeTypeFor(extension, response.headers?.['content-type']),
					),
			},
		);
		if ('cancelled' in fetched) {
			throw withTaskId(
				new NodeOperationError(
					context.getNode(),
					`The execution was stopped while downloading output ${index} [task ${taskId}]`,
					{
						description:
							`The task itself finished; get its files later with Task › Get Outputs ` +
							`(task ID ${taskId}).`,
					},
				),
				taskId,
			);
		}
		if ('response' in fetched && fetched.response.statusCode < 400) {
			binary[propertyName] = fetched.response.body as IBinaryData;
			output.binaryProperty = propertyName;
		} else {
			const reason = 'reason' in fetched ? fetched.reason : `HTTP ${fetched.response.statusCode}`;
			if (!options.allowPartial) {
				throw withTaskId(
					new NodeOperationError(
						context.getNode(),
						`Could not download output ${index} (node ${output.nodeId ?? '?'}, ` +
							`${output.fileUrl.split('?')[0]}): ${reason} [task ${taskId}]`,
						{
							description:
								'RunningHub result links expire after 24 hours. Turn on "Allow Partial Results" ' +
								'to keep the other outputs and the JSON, or turn off "Download Outputs" to get ' +
								'only the links.',
						},
					),
					taskId,
				);
			}
			failures.push({ index, fileUrl: output.fileUrl, error: reason });
			output.downloadError = reason;
		}
		index++;
	}
	return { binary, failures };
}
