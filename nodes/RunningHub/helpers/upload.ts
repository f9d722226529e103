import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TIMEOUT_DEFAULTS, apiRequestV1, apiRequestV2 } from '../transport';
import type { FileLimits } from './fileLimits';
import {
	LEGACY_UPLOAD_LIMITS,
	LEGACY_UPLOAD_MAX_BYTES,
	MEDIA_UPLOAD_LIMITS,
	binaryFormatOf,
	formatBytes,
	formatProblem,
	sizeProblem,
} from './fileLimits';
import type { UploadOptions, UploadTarget, UploadedFile } from './interfaces';

export const MEDIA_UPLOAD_PATH = '/openapi/v2/media/upload/binary';
export const LEGACY_UPLOAD_PATH = '/task/openapi/upload';

/**
 * Bytes decoded per slice of an in-memory (base64) binary; a multiple of 3 so slices stay aligned.
 */
const DECODE_SLICE_BYTES = 3 * 256 * 1024;

function describeSource(propertyName: string, itemIndex: number, options: UploadOptions): string {
	return options.fieldLabel
		? `${options.fieldLabel} (binary property "${propertyName}" of item ${itemIndex})`
		: `Binary property "${propertyName}" of item ${itemIndex}`;
}

/**
 * The binary's metadata, with an error that lists the binary properties the item does have
 * (n8n's own assertBinaryData only says that the one asked for is missing).
 */
export function getBinaryMetadataOf(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	options: UploadOptions = {},
): IBinaryData {
	const name = String(propertyName ?? '').trim();
	const source = describeSource(name, itemIndex, options);
	if (name === '') {
		throw new NodeOperationError(
			context.getNode(),
			`${options.fieldLabel ?? 'Input Binary Field'} is empty: enter the name of the binary ` +
				`property that holds the file (usually "data")`,
			{
				itemIndex,
			},
		);
	}
	const item = context.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	if (!item?.binary?.[name]) {
		throw new NodeOperationError(
			context.getNode(),
			`${source} does not exist, so there is no file to upload`,
			{
				itemIndex,
				description: available.length
					? `The item has these binary properties: ` +
						`${available.map((key) => `"${key}"`).join(', ')}. Enter one of them as the binary ` +
						`property name.`
					: 'The item has no binary data at all. Put a node that produces a file (e.g. ' +
						'Read/Write Files from Disk, HTTP Request with "File" response, Form Trigger) ' +
						'before this one.',
			},
		);
	}
	return context.helpers.assertBinaryData(itemIndex, name);
}

/**
 * The byte length without loading the bytes: n8n's stored metadata for binaries kept outside the
 * item (filesystem/S3), the base64 length for binaries kept in the item. `binary.fileSize` is only
 * a display string ("25 MB") and is never used.
 */
async function byteLengthOf(
	context: IExecuteFunctions,
	binary: IBinaryData,
): Promise<number | undefined> {
	if (binary.id) {
		const metadata = await context.helpers.getBinaryMetadata(binary.id);
		const size = Number(metadata?.fileSize);
		return Number.isFinite(size) ? size : undefined;
	}
	return typeof binary.data === 'string' ? Buffer.byteLength(binary.data, 'base64') : undefined;
}

function tooLargeError(
	context: IExecuteFunctions,
	itemIndex: number,
	source: string,
	fileName: string,
	size: number,
	problem: string,
	atLeast = false,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${source}: file "${fileName}" is ${atLeast ? 'at least ' : ''}${formatBytes(size)} ` +
			`(${size} bytes), ${problem}`,
		{
			itemIndex,
			description:
				'Make the file smaller (compress or resize the image, shorten or re-encode the video) ' +
				'before this node, or host it yourself and pass a public URL to a node that loads from ' +
				'a URL.',
		},
	);
}

function wrongFormatError(
	context: IExecuteFunctions,
	itemIndex: number,
	source: string,
	fileName: string,
	binary: IBinaryData,
	problem: string,
): NodeOperationError {
	const seen = [
		binary.fileExtension ? `extension "${binary.fileExtension}"` : 'no file extension',
		`MIME type "${binary.mimeType || 'none'}"`,
	].join(', ');
	return new NodeOperationError(
		context.getNode(),
		`${source}: file "${fileName}" (${seen}) cannot be sent: ${problem}`,
		{
			itemIndex,
			description:
				'Convert the file to one of the formats named before this node (e.g. with an image or ' +
				'video conversion step), or, if it already is one, give it the right file name and MIME ' +
				'type. A file RunningHub does not take can also be hosted elsewhere and passed as a ' +
				'public URL.',
		},
	);
}

/**
 * The limits a file must meet: those of the caller (e.g. a model parameter), then the endpoint's.
 */
function limitsFor(options: UploadOptions): FileLimits[] {
	const endpoint =
		(options.target ?? 'media') === 'media' ? MEDIA_UPLOAD_LIMITS : LEGACY_UPLOAD_LIMITS;
	return [...(options.limits ?? []), endpoint];
}

/** The smallest size limit among the rules, with the rule that sets it. */
function tightestSize(rules: FileLimits[]): FileLimits | undefined {
	let tightest: FileLimits | undefined;
	for (const rule of rules)
		if (rule.maxBytes !== undefined && (!tightest || rule.maxBytes < tightest.maxBytes!))
			tightest = rule;
	return tightest;
}

interface CheckedFile {
	name: string;
	binary: IBinaryData;
	source: string;
	fileName: string;
	knownSize: number | undefined;
	sizeRule: FileLimits | undefined;
}

/**
 * Checks a binary property against everything that would refuse it (missing, empty, a format or
 * size the endpoint or the caller's rules do not take) without sending anything.
 */
export async function checkBinaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	options: UploadOptions = {},
): Promise<CheckedFile> {
	const name = String(propertyName ?? '').trim();
	const binary = getBinaryMetadataOf(context, itemIndex, name, options);
	const source = describeSource(name, itemIndex, options);
	const fileName = safeFileName(binary, name);
	const rules = limitsFor(options);
	const format = binaryFormatOf({ ...binary, fileName: binary.fileName ?? fileName });
	for (const rule of rules) {
		const problem = formatProblem(format, rule);
		if (problem) throw wrongFormatError(context, itemIndex, source, fileName, binary, problem);
	}
	const knownSize = await byteLengthOf(context, binary);
	if (knownSize === 0) throw emptyFileError(context, itemIndex, source, fileName);
	if (knownSize !== undefined) {
		for (const rule of rules) {
			const problem = sizeProblem(knownSize, rule);
			if (problem) throw tooLargeError(context, itemIndex, source, fileName, knownSize, problem);
		}
	}
	return { name, binary, source, fileName, knownSize, sizeRule: tightestSize(rules) };
}

function emptyFileError(
	context: IExecuteFunctions,
	itemIndex: number,
	source: string,
	fileName: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${source}: file "${fileName}" is empty (0 bytes), so there is nothing to upload`,
		{
			itemIndex,
			description: 'Check the node that produced the file.',
		},
	);
}

/**
 * The file's bytes in slices, so that no second full copy of the file is ever made: binaries on
 * disk/S3 are streamed, in-memory (base64) ones decoded slice by slice into one scratch buffer.
 * A yielded slice is only valid until the next one is requested (consumers copy it).
 */
async function* chunksOf(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	binary: IBinaryData,
	maxBytes: number,
	onTooLarge: (size: number) => NodeOperationError,
): AsyncGenerator<Uint8Array> {
	let size = 0;
	const counted = (chunk: Uint8Array) => {
		size += chunk.byteLength;
		if (size > maxBytes) throw onTooLarge(size);
		return chunk;
	};
	if (binary.id) {
		const stream = await context.helpers.getBinaryStream(binary.id);
		try {
			for await (const chunk of stream as AsyncIterable<Buffer | string>)
				yield counted(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		} finally {
			stream.destroy();
		}
	} else if (typeof binary.data === 'string' && binary.data !== '') {
		// No id: n8n keeps the bytes base64 in `data` (what its getBinaryDataBuffer decodes).
		const base64 = binary.data;
		const sliceChars = (DECODE_SLICE_BYTES / 3) * 4;
		const scratch = Buffer.allocUnsafe(DECODE_SLICE_BYTES);
		for (let offset = 0; offset < base64.length; offset += sliceChars) {
			const written = scratch.write(base64.slice(offset, offset + sliceChars), 0, 'base64');
			yield counted(scratch.subarray(0, written));
		}
	} else {
		yield counted(await context.helpers.getBinaryDataBuffer(itemIndex, propertyName));
	}
}

/**
 * The time one upload may take: the file-transfer timeout for files up to the legacy upload's
 * 30 MB, and as long again for each further 30 MB, since the media upload takes larger files (a
 * model's video input may be 100 MB or more) over the same connection.
 */
export function uploadTimeoutMs(bytes: number): number {
	const base = TIMEOUT_DEFAULTS.fileTransferMs;
	return Math.max(base, Math.ceil((bytes / LEGACY_UPLOAD_MAX_BYTES) * base));
}

/** Escapes like browsers and axios do, so a quote or line break cannot end the header early. */
function headerValue(value: string): string {
	return value.replace(/[\r\n"]/g, (c) => ({ '\r': '%0D', '\n': '%0A', '"': '%22' })[c] ?? c);
}

/**
 * One `file` part, written straight into a single buffer of the final size: n8n's request helper
 * sends a Buffer as is, so the file exists once in memory (FormData would add a Blob copy and the
 * copies axios reads out of it).
 */
async function multipartBody(
	chunks: AsyncGenerator<Uint8Array>,
	expectedSize: number,
	fileName: string,
	mimeType: string,
): Promise<{ body: Buffer; contentType: string; size: number } | undefined> {
	const unique = `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	const boundary = `----n8nRunningHub${unique}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
			`filename="${headerValue(fileName)}"\r\nContent-Type: ${headerValue(mimeType)}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	const body = Buffer.allocUnsafe(head.length + expectedSize + tail.length);
	head.copy(body, 0);
	let offset = head.length;
	for await (const chunk of chunks) {
		// The stored size was wrong: let the caller fall back to the slower path.
		if (offset + chunk.byteLength > head.length + expectedSize) return undefined;
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	if (offset !== head.length + expectedSize) return undefined;
	tail.copy(body, offset);
	return { body, contentType: `multipart/form-data; boundary=${boundary}`, size: expectedSize };
}

async function blobOf(
	chunks: AsyncGenerator<Uint8Array>,
	mimeType: string,
): Promise<{ blob: Blob; size: number }> {
	const parts: Blob[] = [];
	let size = 0;
	for await (const chunk of chunks) {
		size += chunk.byteLength;
		parts.push(new Blob([chunk]));
	}
	return { blob: new Blob(parts, { type: mimeType }), size };
}

function safeFileName(binary: IBinaryData, propertyName: string): string {
	const name = String(binary.fileName ?? '').trim();
	if (name) return name;
	return binary.fileExtension ? `${propertyName}.${binary.fileExtension}` : propertyName;
}

interface MediaUploadData {
	type?: string;
	download_url?: string;
	downloadUrl?: string;
	fileName?: string;
	size?: string | number;
}

interface LegacyUploadData {
	fileName?: string;
	fileType?: string;
}

/**
 * Uploads the binary property `propertyName` of input item `itemIndex` to RunningHub and returns
 * where it landed. Works whatever n8n's binary mode (memory, filesystem, S3); refuses a file the
 * endpoint or the caller's limits do not take before sending anything.
 */
export async function uploadBinaryProperty(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	options: UploadOptions = {},
): Promise<UploadedFile> {
	const target: UploadTarget = options.target ?? 'media';
	const { name, binary, source, fileName, knownSize, sizeRule } = await checkBinaryFile(
		context,
		itemIndex,
		propertyName,
		options,
	);
	const mimeType = String(binary.mimeType || 'application/octet-stream');

	const tooLarge = (seen: number) =>
		tooLargeError(context, itemIndex, source, fileName, seen, sizeProblem(seen, sizeRule!)!, true);
	const chunks = () =>
		chunksOf(
			context,
			itemIndex,
			name,
			binary,
			sizeRule?.maxBytes ?? Number.POSITIVE_INFINITY,
			tooLarge,
		);
	const emptyError = () => emptyFileError(context, itemIndex, source, fileName);
	const base = { mimeType, originalFileName: binary.fileName ?? null, target };
	const timeoutMs = uploadTimeoutMs(knownSize ?? 0);

	if (target === 'media') {
		// The credential adds only a Bearer header here, so the body can be prepared by hand.
		let prepared =
			knownSize !== undefined
				? await multipartBody(chunks(), knownSize, fileName, mimeType)
				: undefined;
		if (!prepared) {
			const { blob, size } = await blobOf(chunks(), mimeType);
			if (size === 0) throw emptyError();
			const bytes = Buffer.from(await blob.arrayBuffer());
			prepared = await multipartBody(
				(async function* () {
					yield bytes;
				})(),
				size,
				fileName,
				mimeType,
			);
		}
		if (!prepared) throw emptyError();
		const data = await apiRequestV2.call(context, {
			path: MEDIA_UPLOAD_PATH,
			body: prepared.body,
			headers: { 'Content-Type': prepared.contentType },
			timeoutMs: Math.max(timeoutMs, uploadTimeoutMs(prepared.size)),
		});
		const result = (data ?? {}) as MediaUploadData;
		if (!result.fileName)
			throw missingFileNameError(context, itemIndex, source, MEDIA_UPLOAD_PATH, data);
		return {
			fileName: String(result.fileName),
			downloadUrl: result.download_url ?? result.downloadUrl ?? null,
			type: result.type ?? null,
			size: prepared.size,
			...base,
		};
	}

	// The legacy endpoint takes the key as a form field, which the credential appends to a FormData
	// body; axios serialises that FormData with its own boundary and streams the Blob.
	const { blob, size } = await blobOf(chunks(), mimeType);
	if (size === 0) throw emptyError();
	const form = new FormData();
	form.append('file', blob, fileName);
	form.append('fileType', options.legacyFileType ?? 'input');
	const data = await apiRequestV1.call(context, {
		path: LEGACY_UPLOAD_PATH,
		body: form,
		timeoutMs,
	});
	const result = (data ?? {}) as LegacyUploadData;
	if (!result.fileName)
		throw missingFileNameError(context, itemIndex, source, LEGACY_UPLOAD_PATH, data);
	return {
		fileName: String(result.fileName),
		downloadUrl: null,
		type: result.fileType ?? null,
		size,
		...base,
	};
}

function missingFileNameError(
	context: IExecuteFunctions,
	itemIndex: number,
	source: string,
	path: string,
	data: unknown,
): NodeOperationError {
	const keys =
		data && typeof data === 'object' ? Object.keys(data as IDataObject).join(', ') : String(data);
	return new NodeOperationError(
		context.getNode(),
		`${source}: RunningHub accepted the upload to ${path} but returned no file name (got: ` +
			`${keys || 'nothing'})`,
		{
			itemIndex,
			description:
				'Try again; if it keeps happening, try the other upload target (Media (v2) / Legacy).',
		},
	);
}
