/**
 * How the node tells a file's format and size without sending it, and how long an upload may take.
 */
import {
	LEGACY_UPLOAD_LIMITS,
	MEDIA_UPLOAD_LIMITS,
	binaryFormatOf,
	formatProblem,
	sizeProblem,
	urlFileOf,
} from '../../nodes/RunningHub/helpers/fileLimits';
import { uploadTimeoutMs } from '../../nodes/RunningHub/helpers/upload';
import { TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';

const MiB = 1024 * 1024;

describe('file formats', () => {
	it('reads a binary format from its file name, then its extension, then its MIME type', () => {
		expect(binaryFormatOf({ fileName: 'a.PNG', mimeType: 'image/jpeg' })).toBe('PNG');
		expect(binaryFormatOf({ fileName: 'noext', fileExtension: 'webp' })).toBe('WEBP');
		expect(binaryFormatOf({ fileName: 'noext', mimeType: 'video/quicktime' })).toBe('MOV');
		expect(binaryFormatOf({ fileName: 'report.final', mimeType: 'audio/x-wav' })).toBe('WAV');
		expect(binaryFormatOf({ fileName: 'blob', mimeType: 'application/octet-stream' })).toBe(
			undefined,
		);
	});

	it('treats JPG and JPEG, TIF and TIFF as one format', () => {
		const rule = (formats: string[]) => ({ formats, formatRule: 'the model' });
		expect(formatProblem('JPEG', rule(['JPG', 'PNG']))).toBeUndefined();
		expect(formatProblem('jpg', rule(['JPEG']))).toBeUndefined();
		expect(formatProblem('TIF', rule(['TIFF']))).toBeUndefined();
		expect(formatProblem('WEBP', rule(['JPG', 'PNG']))).toBe(
			'WEBP is not taken: the model takes JPG, PNG',
		);
	});

	it('tells a data: URI by its type and decoded size, a link by its path only', () => {
		expect(urlFileOf(`data:image/png;base64,${Buffer.alloc(300).toString('base64')}`)).toEqual({
			format: 'PNG',
			bytes: 300,
		});
		expect(urlFileOf('data:audio/mpeg,abc%20d')).toEqual({ format: 'MP3', bytes: 5 });
		expect(urlFileOf('https://cdn.example.com/a/clip.MP4?sig=x.png')).toEqual({ format: 'MP4' });
		expect(urlFileOf('https://example.com/render.php?id=1')).toEqual({ format: undefined });
		expect(urlFileOf('asset://volc-123')).toEqual({});
	});

	it('names the rule a file breaks, and nothing when it meets it', () => {
		expect(formatProblem('GIF', MEDIA_UPLOAD_LIMITS)).toMatch(/^GIF is not taken: RunningHub's/);
		expect(formatProblem(undefined, MEDIA_UPLOAD_LIMITS)).toMatch(/^its type is unknown/);
		expect(formatProblem('JPEG', MEDIA_UPLOAD_LIMITS)).toBeUndefined();
		expect(formatProblem('GIF', LEGACY_UPLOAD_LIMITS)).toBeUndefined();
		expect(sizeProblem(30 * MiB, LEGACY_UPLOAD_LIMITS)).toBeUndefined();
		expect(sizeProblem(30 * MiB + 1, LEGACY_UPLOAD_LIMITS)).toBe(
			"over RunningHub's upload limit of 30 MB (31457280 bytes)",
		);
		expect(sizeProblem(10 ** 9, MEDIA_UPLOAD_LIMITS)).toBeUndefined();
	});
});

describe('upload timeout', () => {
	it('is the file-transfer timeout up to 30 MB, and grows with every further 30 MB', () => {
		const base = TIMEOUT_DEFAULTS.fileTransferMs;
		expect(uploadTimeoutMs(0)).toBe(base);
		expect(uploadTimeoutMs(30 * MiB)).toBe(base);
		expect(uploadTimeoutMs(60 * MiB)).toBe(2 * base);
		expect(uploadTimeoutMs(300 * MiB)).toBe(10 * base);
	});
});
