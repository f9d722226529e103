/**
 * Bytes of generated result files. They only need to be recognisable: a real (tiny) PNG, and
 * placeholder mp4/mp3/glb/... files with the right magic numbers, so that MIME sniffing and
 * n8n's binary handling behave as with real results.
 */

import { deflateSync } from 'zlib';

const CRC_TABLE: number[] = (() => {
	const table: number[] = [];
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table.push(c >>> 0);
	}
	return table;
})();

function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([len, typeAndData, crc]);
}

/** A valid RGB PNG of a solid colour derived from `seed` (so different tasks give different files). */
export function makePng(seed: string, width = 16, height = 16): Buffer {
	let h = 0;
	for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	const rgb = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	const row = Buffer.alloc(1 + width * 3);
	for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
	const raw = Buffer.concat(Array.from({ length: height }, () => row));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('tEXt', Buffer.from(`Comment\0runninghub-simulator ${seed}`, 'latin1')),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function box(type: string, payload: Buffer): Buffer {
	const size = Buffer.alloc(4);
	size.writeUInt32BE(8 + payload.length);
	return Buffer.concat([size, Buffer.from(type, 'ascii'), payload]);
}

/** An ISO-BMFF file (ftyp + free + mdat boxes): sniffed as video/mp4; not playable. */
function makeMp4(seed: string): Buffer {
	const ftyp = box(
		'ftyp',
		Buffer.concat([
			Buffer.from('isom'),
			Buffer.from([0, 0, 2, 0]),
			Buffer.from('isomiso2avc1mp41'),
		]),
	);
	return Buffer.concat([
		ftyp,
		box('free', Buffer.alloc(8)),
		box('mdat', Buffer.from(`runninghub-simulator ${seed}`)),
	]);
}

/** ID3v2 header followed by MPEG-1 Layer III frame headers. */
function makeMp3(seed: string): Buffer {
	const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
	const frame = Buffer.alloc(417);
	frame.set([0xff, 0xfb, 0x90, 0x64]);
	frame.write(seed, 8, 'latin1');
	return Buffer.concat([id3, frame, frame]);
}

/** A minimal binary glTF 2.0 container (header + JSON chunk). */
function makeGlb(): Buffer {
	let json = JSON.stringify({ asset: { version: '2.0', generator: 'runninghub-simulator' } });
	while (json.length % 4 !== 0) json += ' ';
	const jsonBuf = Buffer.from(json);
	const header = Buffer.alloc(12);
	header.write('glTF', 0, 'ascii');
	header.writeUInt32LE(2, 4);
	header.writeUInt32LE(12 + 8 + jsonBuf.length, 8);
	const chunkHeader = Buffer.alloc(8);
	chunkHeader.writeUInt32LE(jsonBuf.length, 0);
	chunkHeader.write('JSON', 4, 'ascii');
	return Buffer.concat([header, chunkHeader, jsonBuf]);
}

function makeRiff(form: string, seed: string): Buffer {
	const payload = Buffer.concat([Buffer.from(form, 'ascii'), Buffer.from(`VP8 ${seed}`)]);
	const size = Buffer.alloc(4);
	size.writeUInt32LE(payload.length);
	return Buffer.concat([Buffer.from('RIFF'), size, payload]);
}

export const CONTENT_TYPES: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	mkv: 'video/x-matroska',
	avi: 'video/x-msvideo',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	flac: 'audio/flac',
	glb: 'model/gltf-binary',
	zip: 'application/zip',
	safetensors: 'application/octet-stream',
	txt: 'text/plain; charset=utf-8',
	json: 'application/json',
};

export function contentTypeFor(ext: string): string {
	return CONTENT_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}

/** Bytes for a generated output file of the given type. */
export function makeOutputFile(fileType: string, seed: string): Buffer {
	switch (fileType) {
		case 'png':
			return makePng(seed);
		case 'mp4':
		case 'mov':
			return makeMp4(seed);
		case 'mp3':
			return makeMp3(seed);
		case 'flac':
			return Buffer.concat([Buffer.from('fLaC'), Buffer.from(seed)]);
		case 'wav':
			return makeRiff('WAVE', seed);
		case 'webp':
			return makeRiff('WEBP', seed);
		case 'gif':
			return Buffer.concat([Buffer.from('GIF89a'), Buffer.from(seed)]);
		case 'glb':
			return makeGlb();
		default:
			return Buffer.from(`runninghub-simulator ${seed}\n`);
	}
}

/** Output file type of a ComfyUI output node, or undefined if the node writes no result. */
export function outputTypeOfNode(
	classType: string,
	inputs: Record<string, unknown>,
): string | undefined {
	switch (classType) {
		case 'SaveImage':
		case 'Image Save':
			return 'png';
		case 'SaveAnimatedWEBP':
			return 'webp';
		case 'SaveVideo':
		case 'SaveWEBM':
			return 'mp4';
		case 'VHS_VideoCombine': {
			const format = typeof inputs.format === 'string' ? inputs.format : 'video/h264-mp4';
			if (format === 'image/gif') return 'gif';
			if (format === 'image/webp') return 'webp';
			return format.includes('webm') ? 'webm' : 'mp4';
		}
		case 'SaveAudio':
			return 'flac';
		case 'SaveAudioMP3':
			return 'mp3';
		case 'SaveGLB':
		case 'Save3D':
			return 'glb';
		default:
			return undefined;
	}
}

export type ModelOutputKind = 'image' | 'video' | 'audio' | '3d' | 'text';

/** Output kind of a Standard Model API endpoint guessed from its path (Appendix A naming). */
export function modelOutputKind(endpoint: string): ModelOutputKind {
	const e = endpoint.toLowerCase();
	if (/(^|[/-])3d([/-]|$)|to-3d/.test(e)) return '3d';
	if (/text-to-text|image-to-text|video-to-text|chat|llm|caption/.test(e)) return 'text';
	if (/video/.test(e)) return 'video';
	if (/audio|speech|music|song|tts|voice/.test(e)) return 'audio';
	return 'image';
}

export const MODEL_FILE_TYPES: Record<ModelOutputKind, string> = {
	image: 'png',
	video: 'mp4',
	audio: 'mp3',
	'3d': 'glb',
	text: 'txt',
};

/** Extension for an uploaded file, from its name or MIME type. */
export function extensionOf(filename: string | undefined, contentType: string | undefined): string {
	const fromName = filename && /\.([A-Za-z0-9]{1,12})$/.exec(filename);
	if (fromName) return fromName[1].toLowerCase();
	const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
	for (const [ext, type] of Object.entries(CONTENT_TYPES))
		if (type.split(';')[0] === mime) return ext;
	return 'bin';
}

/** v2 upload `type` field. */
export function mediaTypeOf(ext: string): string {
	if (['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'].includes(ext)) return 'image';
	if (['mp4', 'mov', 'avi', 'mkv', 'webm'].includes(ext)) return 'video';
	if (['mp3', 'wav', 'flac', 'm4a', 'ogg'].includes(ext)) return 'audio';
	if (ext === 'zip') return 'zip';
	return 'file';
}
