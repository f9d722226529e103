import type { CatalogueParam } from '../catalogue';

/*
 * What RunningHub takes as a file, so that a file it would refuse is refused before anything is
 * sent: the formats and sizes of its two upload endpoints, and those of each Standard Model API
 * media parameter (the catalogue's `accept` and `maxSize`).
 */

export const MiB = 1024 * 1024;

/** Legacy upload page: "The maximum size of a single file for all types is 30MB". */
export const LEGACY_UPLOAD_MAX_BYTES = 30 * MiB;

/** Media upload (v2) page, "支持文件类型汇总"; it states no size limit. */
export const MEDIA_UPLOAD_FORMATS: readonly string[] = [
	'JPG',
	'JPEG',
	'PNG',
	'WEBP',
	'ZIP',
	'MP3',
	'WAV',
	'FLAC',
	'MP4',
	'AVI',
	'MOV',
	'MKV',
];

/** A rule a file must meet, and how errors name who sets it. */
export interface FileLimits {
	/** Largest size in bytes; none when the source states none. */
	maxBytes?: number;
	/** Accepted formats as upper-case extensions; any format when absent. */
	formats?: readonly string[];
	/** Completes "over …", e.g. "RunningHub's upload limit of 30 MB". */
	sizeRule?: string;
	/** Completes "… does not take it", e.g. "RunningHub's media upload". */
	formatRule?: string;
}

export const MEDIA_UPLOAD_LIMITS: FileLimits = {
	formats: MEDIA_UPLOAD_FORMATS,
	formatRule: "RunningHub's file upload (/openapi/v2/media/upload/binary)",
};

export const LEGACY_UPLOAD_LIMITS: FileLimits = {
	maxBytes: LEGACY_UPLOAD_MAX_BYTES,
	sizeRule: "RunningHub's upload limit of 30 MB",
};

/** The limits a model sets for one of its media parameters. */
export function modelParamLimits(endpoint: string, param: CatalogueParam): FileLimits {
	const limits: FileLimits = {};
	if (param.maxSize !== undefined && param.maxSize > 0) {
		limits.maxBytes = Math.floor(param.maxSize * MiB);
		limits.sizeRule =
			`the limit of ${param.maxSize} MB that model "${endpoint}" sets for ` + `"${param.field}"`;
	}
	if (param.accept?.length) {
		limits.formats = param.accept;
		limits.formatRule = `model "${endpoint}" in "${param.field}"`;
	}
	return limits;
}

/** Names of one format: JPG and JPEG are the same files, as are TIF and TIFF. */
const SAME_FORMAT: Record<string, string> = { JPEG: 'JPG', TIF: 'TIFF', MPG: 'MPEG' };

const FORMAT_OF_MIME: Record<string, string> = {
	'image/jpeg': 'JPG',
	'image/jpg': 'JPG',
	'image/pjpeg': 'JPG',
	'image/png': 'PNG',
	'image/webp': 'WEBP',
	'image/gif': 'GIF',
	'image/bmp': 'BMP',
	'image/x-ms-bmp': 'BMP',
	'image/tiff': 'TIFF',
	'image/heic': 'HEIC',
	'image/avif': 'AVIF',
	'image/svg+xml': 'SVG',
	'video/mp4': 'MP4',
	'video/quicktime': 'MOV',
	'video/webm': 'WEBM',
	'video/x-msvideo': 'AVI',
	'video/avi': 'AVI',
	'video/x-matroska': 'MKV',
	'video/mpeg': 'MPEG',
	'audio/mpeg': 'MP3',
	'audio/mp3': 'MP3',
	'audio/wav': 'WAV',
	'audio/wave': 'WAV',
	'audio/x-wav': 'WAV',
	'audio/vnd.wave': 'WAV',
	'audio/flac': 'FLAC',
	'audio/x-flac': 'FLAC',
	'audio/mp4': 'M4A',
	'audio/m4a': 'M4A',
	'audio/x-m4a': 'M4A',
	'audio/aac': 'AAC',
	'audio/ogg': 'OGG',
	'application/zip': 'ZIP',
	'application/x-zip-compressed': 'ZIP',
};

/** Extensions that name a media file: a URL ending in one of them says what it links to. */
const MEDIA_EXTENSIONS = new Set([
	...Object.values(FORMAT_OF_MIME),
	...Object.keys(SAME_FORMAT),
	'MPEG',
]);

function canonical(format: string): string {
	const upper = format.toUpperCase();
	return SAME_FORMAT[upper] ?? upper;
}

function acceptsFormat(formats: readonly string[], format: string): boolean {
	const wanted = canonical(format);
	return formats.some((accepted) => canonical(accepted) === wanted);
}

function mediaExtensionOf(name: string | undefined): string | undefined {
	const match = /\.([A-Za-z0-9]{2,5})$/.exec(String(name ?? '').trim());
	const extension = match?.[1].toUpperCase();
	return extension && MEDIA_EXTENSIONS.has(extension) ? extension : undefined;
}

function formatOfMime(mimeType: string | undefined): string | undefined {
	return FORMAT_OF_MIME[
		String(mimeType ?? '')
			.split(';')[0]
			.trim()
			.toLowerCase()
	];
}

/** The format of a binary: its file name's extension, n8n's extension, then its MIME type. */
export function binaryFormatOf(binary: {
	fileName?: string;
	fileExtension?: string;
	mimeType?: string;
}): string | undefined {
	return (
		mediaExtensionOf(binary.fileName) ??
		mediaExtensionOf(binary.fileExtension ? `.${binary.fileExtension}` : undefined) ??
		formatOfMime(binary.mimeType)
	);
}

/**
 * What a media URL shows of its file without fetching it: the type and size of a data: URI, the
 * extension of a link's path when it names a media type. Nothing for other links.
 */
export function urlFileOf(url: string): { format?: string; bytes?: number } {
	const data = /^data:([^,;]*)((?:;[^,;]*)*),/i.exec(url);
	if (data) {
		const payload = url.slice(data[0].length);
		const base64 = /;base64/i.test(data[2]);
		const bytes = base64
			? Buffer.byteLength(payload.replace(/\s+/g, ''), 'base64')
			: Buffer.byteLength(decodeURIComponentSafe(payload));
		return { format: formatOfMime(data[1]), bytes };
	}
	if (!/^https?:\/\//i.test(url)) return {};
	try {
		return { format: mediaExtensionOf(new URL(url).pathname) };
	} catch {
		return {};
	}
}

function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < MiB) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / MiB).toFixed(1)} MB`;
}

/** "over RunningHub's upload limit of 30 MB (31457280 bytes)" when the size breaks a rule. */
export function sizeProblem(bytes: number, limits: FileLimits): string | undefined {
	if (limits.maxBytes === undefined || bytes <= limits.maxBytes) return undefined;
	return `over ${limits.sizeRule ?? 'the size limit'} (${limits.maxBytes} bytes)`;
}

/** Why a format breaks a rule, or nothing when it meets it. */
export function formatProblem(format: string | undefined, limits: FileLimits): string | undefined {
	if (!limits.formats?.length) return undefined;
	const takes = `${limits.formatRule ?? 'RunningHub'} takes ${limits.formats.join(', ')}`;
	if (format === undefined) return `its type is unknown, and ${takes}`;
	if (acceptsFormat(limits.formats, format)) return undefined;
	return `${format} is not taken: ${takes}`;
}
