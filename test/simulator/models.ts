/**
 * A handful of Standard Model API endpoints (reference §10.3) with their parameter schema, so the
 * simulator can answer errorCode "1007" when the node sends wrongly typed values (e.g. a LIST value
 * as a number, or a BOOLEAN as the string "true"), or a media file of a format or size the
 * registry's `accept` / `maxSize` exclude. Unlisted endpoints are accepted as-is.
 */

import { isRecord } from './util';

type ParamType =
	| 'STRING'
	| 'LIST'
	| 'INT'
	| 'FLOAT'
	| 'BOOLEAN'
	| 'IMAGE'
	| 'VIDEO'
	| 'AUDIO'
	| 'IMAGE[]'
	| 'VIDEO[]';

interface ParamSpec {
	type: ParamType;
	required?: boolean;
	options?: string[];
	min?: number;
	max?: number;
	/** Media: largest file in MB (MiB) and accepted formats, as the registry gives them. */
	maxSize?: number;
	accept?: string[];
}

/** What the simulator can tell of a media reference's file: its extension and size, if known. */
export interface MediaFile {
	ext?: string;
	bytes?: number;
}

export const MODEL_REGISTRY: Readonly<Record<string, Record<string, ParamSpec>>> = {
	'rhart-image-v1/text-to-image': {
		prompt: { type: 'STRING', required: true },
		aspectRatio: {
			type: 'LIST',
			required: true,
			options: ['auto', '1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '5:4', '4:5', '21:9'],
		},
	},
	'rhart-image-v1/edit': {
		prompt: { type: 'STRING', required: true },
		aspectRatio: {
			type: 'LIST',
			required: true,
			options: ['auto', '1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '5:4', '4:5', '21:9'],
		},
		imageUrls: { type: 'IMAGE[]', required: true, maxSize: 10, accept: ['JPG', 'PNG'] },
	},
	'seedream-v4/text-to-image': {
		prompt: { type: 'STRING', required: true },
		width: { type: 'INT', min: 512, max: 8192 },
		height: { type: 'INT', min: 512, max: 8192 },
		sequentialImageGeneration: { type: 'LIST', options: ['disabled', 'auto'] },
		maxImages: { type: 'INT', min: 1, max: 15 },
		resolution: { type: 'LIST', options: ['1k', '2k', '4k'] },
	},
	'kling-v2.6-pro/text-to-video': {
		prompt: { type: 'STRING', required: true },
		negativePrompt: { type: 'STRING' },
		sound: { type: 'LIST', required: true, options: ['true', 'false'] },
		aspectRatio: { type: 'LIST', required: true, options: ['1:1', '16:9', '9:16'] },
		duration: { type: 'LIST', required: true, options: ['5', '10'] },
	},
	'alibaba/wan-2.6/image-to-video': {
		imageUrl: { type: 'IMAGE', required: true, maxSize: 50, accept: ['JPG', 'PNG'] },
		prompt: { type: 'STRING' },
		negativePrompt: { type: 'STRING' },
		resolution: { type: 'LIST', required: true, options: ['720p', '1080p'] },
		duration: { type: 'LIST', required: true, options: ['5', '10', '15'] },
		shotType: { type: 'LIST', required: true, options: ['single', 'multi'] },
	},
	'seedance-v1.5-pro/text-to-video': {
		prompt: { type: 'STRING', required: true },
		aspectRatio: {
			type: 'LIST',
			required: true,
			options: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'],
		},
		duration: {
			type: 'LIST',
			required: true,
			options: ['4', '5', '6', '7', '8', '9', '10', '11', '12'],
		},
		resolution: { type: 'LIST', required: true, options: ['480p', '720p', '1080p'] },
		generateAudio: { type: 'LIST', required: true, options: ['true', 'false'] },
		cameraFixed: { type: 'LIST', required: true, options: ['true', 'false'] },
	},
	'rhart-audio/text-to-audio/speech-2.8-hd': {
		text: { type: 'STRING', required: true },
		voice_id: { type: 'STRING', required: true },
		speed: { type: 'FLOAT', min: 0.5, max: 2 },
		volume: { type: 'FLOAT', min: 0.1, max: 10 },
		pitch: { type: 'INT', min: -12, max: 12 },
		enable_base64_output: { type: 'BOOLEAN', required: true },
		english_normalization: { type: 'BOOLEAN', required: true },
	},
	'hunyuan3d-v3.1/text-to-3d': {
		prompt: { type: 'STRING', required: true },
		faceCount: { type: 'INT', min: 10000, max: 1500000 },
		enablePbr: { type: 'BOOLEAN', required: true },
		generateType: { type: 'LIST', required: true, options: ['Normal', 'Geometry', 'Sketch'] },
	},
	'rhart-text-g-25-flash/text-to-text': {
		prompt: { type: 'STRING', required: true },
	},
};

function isMediaRef(v: unknown): boolean {
	return typeof v === 'string' && /^(https?:\/\/|data:)/i.test(v);
}

const SAME_FORMAT: Record<string, string> = { jpeg: 'jpg' };

function mediaProblem(
	name: string,
	spec: ParamSpec,
	file: MediaFile | undefined,
): string | undefined {
	if (!file) return undefined;
	const ext = file.ext?.toLowerCase();
	const canonical = (e: string) => SAME_FORMAT[e] ?? e;
	if (ext && spec.accept && !spec.accept.some((a) => canonical(a.toLowerCase()) === canonical(ext)))
		return `${name} file type ${ext} is not supported (${spec.accept.join(', ')})`;
	if (
		file.bytes !== undefined &&
		spec.maxSize !== undefined &&
		file.bytes > spec.maxSize * 1024 * 1024
	)
		return `${name} file exceeds ${spec.maxSize} MB`;
	return undefined;
}

/**
 * Returns a list of problems (empty when the body is valid or the endpoint is not in the registry).
 * `fileOf` tells what a media reference holds, where the simulator can know it.
 */
export function validateModelBody(
	endpoint: string,
	body: Record<string, unknown>,
	fileOf: (ref: string) => MediaFile | undefined = () => undefined,
): string[] {
	const schema = MODEL_REGISTRY[endpoint];
	if (!schema) return [];
	const problems: string[] = [];
	for (const [name, spec] of Object.entries(schema)) {
		const v = body[name];
		if (v === undefined || v === null || v === '') {
			if (spec.required) problems.push(`${name} is required`);
			continue;
		}
		switch (spec.type) {
			case 'STRING':
				if (typeof v !== 'string') problems.push(`${name} must be a string`);
				break;
			case 'LIST':
				// LIST values are always sent as strings, even "5" or "true" (reference §10.2).
				if (typeof v !== 'string') problems.push(`${name} must be a string option`);
				else if (spec.options && !spec.options.includes(v))
					problems.push(`${name} must be one of ${spec.options.join(', ')}`);
				break;
			case 'INT':
			case 'FLOAT':
				if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${name} must be a number`);
				else if (spec.type === 'INT' && !Number.isInteger(v))
					problems.push(`${name} must be an integer`);
				else if (
					(spec.min !== undefined && v < spec.min) ||
					(spec.max !== undefined && v > spec.max)
				)
					problems.push(`${name} out of range`);
				break;
			case 'BOOLEAN':
				if (typeof v !== 'boolean') problems.push(`${name} must be a boolean`);
				break;
			case 'IMAGE':
			case 'VIDEO':
			case 'AUDIO':
				if (!isMediaRef(v)) problems.push(`${name} must be a URL or data URI`);
				else {
					const problem = mediaProblem(name, spec, fileOf(v as string));
					if (problem) problems.push(problem);
				}
				break;
			case 'IMAGE[]':
			case 'VIDEO[]':
				if (!Array.isArray(v) || v.length === 0 || !v.every(isMediaRef))
					problems.push(`${name} must be an array of URLs`);
				else
					for (const ref of v as string[]) {
						const problem = mediaProblem(name, spec, fileOf(ref));
						if (problem) problems.push(problem);
					}
				break;
		}
	}
	return problems;
}

export function isKnownModel(endpoint: string): boolean {
	return isRecord(MODEL_REGISTRY) && endpoint in MODEL_REGISTRY;
}
