import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
	MODEL_CATEGORIES,
	MODEL_OUTPUT_TYPES,
	MODEL_PARAM_TYPES,
	findModel,
	normalizeModelEndpoint,
	paramDisplayName,
	searchModels,
	validateModelRequest,
} from '../../nodes/RunningHub/catalogue';
import type {
	BuildModelRequestOptions,
	CatalogueEntry,
	CatalogueIssue,
	CatalogueParam,
} from '../../nodes/RunningHub/catalogue';
import {
	MODEL_REGISTRY_VERSION,
	buildModelEntries,
} from '../../nodes/RunningHub/catalogue/models.generated';

/** The generated data as the catalogue module reads it. */
const MODEL_CATALOGUE = buildModelEntries();

const REPO_ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/build-model-catalogue.js');

/** Same lookup order as scripts/build-model-catalogue.js. */
function registryPath(): string {
	const candidates = [
		process.env.RH_MODEL_REGISTRY,
		path.join(REPO_ROOT, 'data/model-registry.public.json'),
		path.resolve(REPO_ROOT, '../shared/data/model-registry.public.json'),
	].filter((p): p is string => !!p);
	const found = candidates.find((p) => fs.existsSync(p));
	if (!found) {
		throw new Error(
			`model-registry.public.json not found (looked in ${candidates.join(', ')}); set RH_MODEL_REGISTRY`,
		);
	}
	return found;
}

interface RegistryParam {
	fieldKey: string;
	type: string;
	required: boolean;
}
interface RegistryModel {
	endpoint: string;
	output_type: string;
	params: RegistryParam[];
}
interface Registry {
	version: string;
	models: RegistryModel[];
}

function loadRegistry(): Registry {
	return JSON.parse(fs.readFileSync(registryPath(), 'utf8')) as Registry;
}

function model(endpoint: string): CatalogueEntry {
	const entry = findModel(endpoint);
	if (!entry) throw new Error(`catalogue has no ${endpoint}`);
	return entry;
}

function param(endpoint: string, key: string): CatalogueParam {
	const p = model(endpoint).params.find((x) => x.field === key);
	if (!p) throw new Error(`${endpoint} has no param ${key}`);
	return p;
}

/** The body `validateModelRequest` builds, checking that it found nothing wrong. */
function bodyOf(
	entry: CatalogueEntry,
	values: Record<string, unknown>,
	options?: BuildModelRequestOptions,
): Record<string, unknown> {
	const { body, issues } = validateModelRequest(entry, values, options);
	expect(issues).toEqual([]);
	return body;
}

/** A model whose only parameter is `p`, so a request checks that parameter alone. */
function alone(p: CatalogueParam): CatalogueEntry {
	return {
		endpoint: 'test/one-parameter',
		name: 'One Parameter',
		provider: 'Test',
		category: 'utility',
		outputType: 'text',
		deprecated: false,
		params: [p],
	};
}

/** What a request sends for `value` given to parameter `p` (undefined: the field is left out). */
function sent(p: CatalogueParam, value: unknown): unknown {
	const body = bodyOf(alone(p), { [p.field]: value });
	expect(Object.keys(body)).toEqual(p.field in body ? [p.field] : []);
	return body[p.field];
}

/** The one problem a request reports for `value` given to parameter `p`; nothing is sent. */
function rejected(p: CatalogueParam, value: unknown): CatalogueIssue {
	const { body, issues } = validateModelRequest(alone(p), { [p.field]: value });
	expect(body).toEqual({});
	expect(issues).toHaveLength(1);
	return issues[0];
}

describe('model catalogue: completeness against the registry', () => {
	const registry = loadRegistry();

	it('is generated from the same registry version', () => {
		expect(MODEL_REGISTRY_VERSION).toBe(registry.version);
	});

	it('holds every endpoint of the registry and nothing else', () => {
		const fromRegistry = registry.models.map((m) => m.endpoint.trim()).sort();
		const fromCatalogue = MODEL_CATALOGUE.map((e) => e.endpoint).sort();
		expect(fromCatalogue).toEqual(fromRegistry);
		expect(new Set(fromCatalogue).size).toBe(fromCatalogue.length);
		expect(MODEL_CATALOGUE.length).toBe(299);
	});

	it('keeps every registry parameter with its key, type and required flag, in order', () => {
		for (const m of registry.models) {
			const entry = model(m.endpoint);
			expect(entry.params.map((p) => [p.field, p.type, p.required])).toEqual(
				m.params.map((p) => [p.fieldKey, p.type, p.required === true]),
			);
		}
	});

	it('maps the registry output type (string → text)', () => {
		for (const m of registry.models) {
			expect(model(m.endpoint).outputType).toBe(
				m.output_type === 'string' ? 'text' : m.output_type,
			);
		}
	});
});

describe('model catalogue: shape of every entry', () => {
	it.each(MODEL_CATALOGUE.map((e) => [e.endpoint, e] as const))(
		'%s is complete',
		(_endpoint, entry) => {
			expect(entry.endpoint).toMatch(/^[^\s/][^\s]*[^\s/]$/);
			expect(entry.name.trim()).not.toBe('');
			expect(entry.provider.trim()).not.toBe('');
			expect(MODEL_CATEGORIES).toContain(entry.category);
			expect(MODEL_OUTPUT_TYPES).toContain(entry.outputType);
			expect(typeof entry.deprecated).toBe('boolean');
			for (const p of entry.params) {
				expect(p.field).toBeTruthy();
				expect(MODEL_PARAM_TYPES).toContain(p.type);
				expect(typeof p.required).toBe('boolean');
				expect(typeof p.multiple).toBe('boolean');
				if (p.multiple) expect(['IMAGE', 'VIDEO', 'AUDIO']).toContain(p.type);
				// Appendix A array rule: plural media keys (`...Urls`, `videos`) always take arrays.
				if (
					['IMAGE', 'VIDEO', 'AUDIO'].includes(p.type) &&
					(/Urls$/.test(p.field) || p.field === 'videos')
				) {
					expect(p.multiple).toBe(true);
				}
				if (p.type === 'LIST') {
					expect(Array.isArray(p.options)).toBe(true);
					if (p.default !== undefined && p.options!.length) {
						expect(p.options!.map((o) => o.value)).toContain(p.default);
					}
					for (const o of p.options!) {
						expect(typeof o.value).toBe('string');
						expect(o.name).toBeTruthy();
					}
				}
				if (p.type === 'STRING' || ['IMAGE', 'VIDEO', 'AUDIO'].includes(p.type))
					expect(p.default).toBeUndefined();
				if (p.type === 'INT' && p.default !== undefined)
					expect(Number.isInteger(p.default)).toBe(true);
				if (p.type === 'BOOLEAN' && p.default !== undefined)
					expect(typeof p.default).toBe('boolean');
			}
		},
	);

	it('has unique display names', () => {
		const names = MODEL_CATALOGUE.map((e) => e.name);
		expect(new Set(names).size).toBe(names.length);
	});

	it('is sorted by endpoint', () => {
		const endpoints = MODEL_CATALOGUE.map((e) => e.endpoint);
		expect(endpoints).toEqual(endpoints.slice().sort());
	});

	it('stays compact enough to ship', () => {
		const size = fs.statSync(
			path.join(REPO_ROOT, 'nodes/RunningHub/catalogue/models.generated.ts'),
		).size;
		expect(size).toBeLessThan(600 * 1024);
	});

	it('drops registry sample URLs and never ships signed links', () => {
		const text = fs.readFileSync(
			path.join(REPO_ROOT, 'nodes/RunningHub/catalogue/models.generated.ts'),
			'utf8',
		);
		expect(text).not.toMatch(/Rh-Comfy-Auth/);
	});
});

describe('model catalogue: known entries (reference §10.3)', () => {
	it('rhart-image-v1/text-to-image', () => {
		const e = model('rhart-image-v1/text-to-image');
		expect(e).toMatchObject({
			outputType: 'image',
			category: 'text-to-image',
			provider: 'Google Nano Banana',
		});
		expect(param(e.endpoint, 'prompt')).toMatchObject({
			type: 'STRING',
			required: true,
			maxLength: 20000,
		});
		const ar = param(e.endpoint, 'aspectRatio');
		expect(ar).toMatchObject({ type: 'LIST', required: true, default: '3:4' });
		expect(ar.options!.map((o) => o.value)).toEqual([
			'auto',
			'1:1',
			'16:9',
			'9:16',
			'4:3',
			'3:4',
			'3:2',
			'2:3',
			'5:4',
			'4:5',
			'21:9',
		]);
	});

	it('rhart-image-v1/edit imageUrls is a multiple IMAGE (max 5, JPG/PNG, 10 MB)', () => {
		expect(model('rhart-image-v1/edit').category).toBe('image-to-image');
		expect(param('rhart-image-v1/edit', 'imageUrls')).toMatchObject({
			type: 'IMAGE',
			required: true,
			multiple: true,
			maxItems: 5,
			maxSize: 10,
			accept: ['JPG', 'PNG'],
		});
	});

	it('multi-input media without a plural key, and plural keys capped at one item', () => {
		expect(param('kling-elements', 'elementReferList')).toMatchObject({
			type: 'IMAGE',
			multiple: true,
			maxItems: 3,
		});
		expect(param('rhart-image-g-3/image-to-image', 'imageUrls')).toMatchObject({
			type: 'IMAGE',
			multiple: true,
			maxItems: 1,
		});
		expect(sent(param('rhart-image-g-3/image-to-image', 'imageUrls'), 'https://a/1.png')).toEqual([
			'https://a/1.png',
		]);
		expect(param('kling-v3.0-std/image-to-video', 'firstImageUrl').multiple).toBe(false);
	});

	it('kling-v2.6-pro/text-to-video sound is a LIST of "true"/"false"', () => {
		const sound = param('kling-v2.6-pro/text-to-video', 'sound');
		expect(sound).toMatchObject({ type: 'LIST', required: true, default: 'true' });
		expect(sound.options!.map((o) => o.value)).toEqual(['true', 'false']);
		expect(param('kling-v2.6-pro/text-to-video', 'duration').options!.map((o) => o.value)).toEqual([
			'5',
			'10',
		]);
		expect(model('kling-v2.6-pro/text-to-video')).toMatchObject({
			provider: 'Kling',
			category: 'text-to-video',
		});
	});

	it('kling-v3.0-std/image-to-video sound is BOOLEAN, cfgScale FLOAT 0–1', () => {
		const e = 'kling-v3.0-std/image-to-video';
		expect(model(e).category).toBe('image-to-video');
		expect(param(e, 'sound')).toMatchObject({ type: 'BOOLEAN', required: true, default: true });
		expect(param(e, 'cfgScale')).toMatchObject({
			type: 'FLOAT',
			required: false,
			default: 0.8,
			min: 0,
			max: 1,
		});
		expect(param(e, 'firstImageUrl')).toMatchObject({
			type: 'IMAGE',
			required: true,
			multiple: false,
			maxSize: 50,
		});
		expect(param(e, 'duration').options!.map((o) => o.value)).toEqual([
			'3',
			'4',
			'5',
			'6',
			'7',
			'8',
			'9',
			'10',
			'11',
			'12',
			'13',
			'14',
			'15',
		]);
	});

	it('seedance-v1.5-pro/text-to-video generateAudio and cameraFixed are string LISTs', () => {
		expect(param('seedance-v1.5-pro/text-to-video', 'generateAudio')).toMatchObject({
			type: 'LIST',
			required: true,
		});
		expect(
			param('seedance-v1.5-pro/text-to-video', 'cameraFixed').options!.map((o) => o.value),
		).toEqual(['false', 'true']);
		expect(model('seedance-v1.5-pro/text-to-video').provider).toBe('ByteDance Seedance');
	});

	it('rhart-audio/text-to-audio/speech-2.8-hd keeps snake_case keys', () => {
		const e = model('rhart-audio/text-to-audio/speech-2.8-hd');
		expect(e).toMatchObject({
			outputType: 'audio',
			category: 'text-to-audio',
			provider: 'MiniMax',
		});
		expect(e.params.map((p) => p.field)).toEqual([
			'text',
			'pronunciation_dict',
			'voice_id',
			'speed',
			'volume',
			'pitch',
			'emotion',
			'enable_base64_output',
			'english_normalization',
		]);
		expect(param(e.endpoint, 'voice_id')).toMatchObject({
			type: 'STRING',
			required: true,
			placeholder: 'Wise_Woman',
		});
		expect(param(e.endpoint, 'voice_id').default).toBeUndefined();
		expect(param(e.endpoint, 'speed')).toMatchObject({
			type: 'FLOAT',
			default: 1,
			min: 0.5,
			max: 2,
		});
		expect(param(e.endpoint, 'pitch')).toMatchObject({
			type: 'INT',
			default: 0,
			min: -12,
			max: 12,
		});
		expect(param(e.endpoint, 'enable_base64_output')).toMatchObject({
			type: 'BOOLEAN',
			required: true,
			default: false,
		});
	});

	it('seedream-v4/text-to-image', () => {
		const e = 'seedream-v4/text-to-image';
		expect(model(e).provider).toBe('ByteDance Seedream');
		expect(param(e, 'width')).toMatchObject({
			type: 'INT',
			required: false,
			default: 2048,
			min: 512,
			max: 8192,
		});
		expect(param(e, 'maxImages')).toMatchObject({ type: 'INT', default: 1, min: 1, max: 15 });
		expect(param(e, 'sequentialImageGeneration').options!.map((o) => o.value)).toEqual([
			'disabled',
			'auto',
		]);
	});

	it('vidu, hailuo, veo, hunyuan3d and gemini entries', () => {
		expect(param('vidu/text-to-video-q3-pro', 'audio')).toMatchObject({
			type: 'BOOLEAN',
			required: true,
			default: true,
		});
		expect(model('vidu/text-to-video-q3-pro').provider).toBe('Vidu');
		expect(param('minimax/hailuo-2.3/t2v-standard', 'enablePromptExpansion')).toMatchObject({
			type: 'BOOLEAN',
			required: true,
		});
		expect(
			param('minimax/hailuo-2.3/t2v-standard', 'duration').options!.map((o) => o.value),
		).toEqual(['6', '10']);
		expect(model('rhart-video-v3.1-fast/text-to-video')).toMatchObject({
			provider: 'Google Veo',
			category: 'text-to-video',
		});
		expect(param('rhart-video-v3.1-fast/text-to-video', 'duration')).toMatchObject({
			type: 'LIST',
			required: false,
		});
		expect(model('hunyuan3d-v3.1/text-to-3d')).toMatchObject({
			outputType: '3d',
			category: 'text-to-3d',
			provider: 'Hunyuan3D',
		});
		expect(param('hunyuan3d-v3.1/text-to-3d', 'enablePbr')).toMatchObject({
			type: 'BOOLEAN',
			required: true,
		});
		expect(model('hunyuan3d-v3.1/image-to-3d').category).toBe('image-to-3d');
		expect(model('rhart-text-g-25-flash/text-to-text')).toMatchObject({
			outputType: 'text',
			category: 'text-to-text',
			provider: 'Google Gemini',
		});
		expect(
			param('alibaba/wan-2.7/text-to-video', 'resolution').options!.map((o) => o.value),
		).toEqual(['720P', '1080P']);
	});

	it('marks deprecated entries', () => {
		expect(model('rhart-image-g-1.5/edit-[Deprecated]').deprecated).toBe(true);
		expect(model('rhart-video-s/text-to-video-pro-deprecated').deprecated).toBe(true);
		expect(model('rhart-image-g-2/text-to-image').deprecated).toBe(false);
		expect(MODEL_CATALOGUE.filter((e) => e.deprecated).length).toBeGreaterThanOrEqual(4);
	});

	it('drops the registry "empty" LIST sentinel (omit = server default)', () => {
		const ar = param('rhart-image-g-2/text-to-image', 'aspectRatio');
		expect(ar.options!.map((o) => o.value)).not.toContain('empty');
		expect(ar.default).toBeUndefined();
	});

	it('uses English option labels where the registry has them', () => {
		const requestType = param('hitem3d-v2/image-to-3d', 'requestType');
		expect(requestType.options!.find((o) => o.value === 'mesh')!.name).toBe('mesh (geometry only)');
	});
});

describe('model catalogue: loaded when first needed', () => {
	const GENERATED = '../../nodes/RunningHub/catalogue/models.generated';

	it('loading the node builds no model; the first look-up builds them once for all', () => {
		jest.isolateModules(() => {
			const generated =
				jest.requireActual<typeof import('../../nodes/RunningHub/catalogue/models.generated')>(
					GENERATED,
				);
			const build = jest.fn(generated.buildModelEntries);
			jest.doMock(GENERATED, () => ({ ...generated, buildModelEntries: build }));
			const { RunningHub } = jest.requireActual<
				typeof import('../../nodes/RunningHub/RunningHub.node')
			>('../../nodes/RunningHub/RunningHub.node');
			expect(new RunningHub().description.name).toBe('runningHub');
			expect(build).not.toHaveBeenCalled();

			const catalogue = jest.requireActual<typeof import('../../nodes/RunningHub/catalogue')>(
				'../../nodes/RunningHub/catalogue',
			);
			expect(catalogue.findModel('SEEDREAM-V4/TEXT-TO-IMAGE')?.endpoint).toBe(
				'seedream-v4/text-to-image',
			);
			expect(catalogue.searchModels()).toHaveLength(MODEL_CATALOGUE.length);
			expect(catalogue.findModel('kling-v2.6-pro/text-to-video')).toBe(
				catalogue.searchModels('kling-v2.6-pro/text-to-video')[0],
			);
			expect(build).toHaveBeenCalledTimes(1);
		});
	});
});

describe('findModel / searchModels', () => {
	it('finds by endpoint, path or URL', () => {
		expect(findModel('seedream-v4/text-to-image')?.endpoint).toBe('seedream-v4/text-to-image');
		expect(findModel('/openapi/v2/seedream-v4/text-to-image')?.endpoint).toBe(
			'seedream-v4/text-to-image',
		);
		expect(
			findModel('https://www.runninghub.ai/openapi/v2/kling-v2.6-pro/text-to-video')?.endpoint,
		).toBe('kling-v2.6-pro/text-to-video');
		expect(findModel('  SEEDREAM-V4/TEXT-TO-IMAGE ')?.endpoint).toBe('seedream-v4/text-to-image');
		expect(findModel('no-such/model')).toBeUndefined();
		expect(findModel('')).toBeUndefined();
		expect(normalizeModelEndpoint('https://www.runninghub.cn/openapi/v2/a/b?x=1')).toBe('a/b');
	});

	it('returns everything without a filter: featured models first, then by provider, deprecated last', () => {
		const all = searchModels();
		expect(all).toHaveLength(MODEL_CATALOGUE.length);
		const firstDeprecated = all.findIndex((e) => e.deprecated);
		expect(all.slice(firstDeprecated).every((e) => e.deprecated)).toBe(true);
		const featured = all.filter((e) => e.featured !== undefined);
		expect(featured.length).toBeGreaterThanOrEqual(20);
		expect(all.slice(0, featured.length)).toEqual(featured);
		expect(featured.map((e) => e.featured)).toEqual(featured.map((_, i) => i + 1));
		expect(all[0].name).toBe('Nano Banana Pro · Text to Image (Low-Price Channel)');
		const providers = all
			.filter((e) => !e.deprecated && e.featured === undefined)
			.map((e) => e.provider);
		expect(providers).toEqual(providers.slice().sort((a, b) => a.localeCompare(b, 'en')));
		expect(searchModels('', { includeDeprecated: false }).some((e) => e.deprecated)).toBe(false);
	});

	it('is case-insensitive over endpoint, name, provider and category', () => {
		expect(searchModels('KLING').length).toBeGreaterThanOrEqual(30);
		expect(
			searchModels('kling').every((e) => /kling/i.test(`${e.endpoint} ${e.name} ${e.provider}`)),
		).toBe(true);
		expect(searchModels('google veo').every((e) => e.provider === 'Google Veo')).toBe(true);
		expect(searchModels('nano-banana').length).toBeGreaterThanOrEqual(10);
		expect(searchModels('image-to-3d').every((e) => e.category === 'image-to-3d')).toBe(true);
		expect(searchModels('zzz-not-a-model')).toEqual([]);
	});

	it('ranks the exact endpoint first', () => {
		expect(searchModels('seedream-v4/text-to-image')[0].endpoint).toBe('seedream-v4/text-to-image');
		expect(searchModels('kling-v2.6-pro/text-to-video')[0].endpoint).toBe(
			'kling-v2.6-pro/text-to-video',
		);
		const prefix = searchModels('seedream-v4');
		expect(prefix.slice(0, 4).every((e) => e.endpoint.startsWith('seedream-v4'))).toBe(true);
	});

	it('filters by category, output type and provider', () => {
		const videos = searchModels('kling', { category: 'text-to-video' });
		expect(videos.length).toBeGreaterThan(0);
		expect(videos.every((e) => e.category === 'text-to-video' && e.provider === 'Kling')).toBe(
			true,
		);
		expect(searchModels(undefined, { outputType: '3d' }).every((e) => e.outputType === '3d')).toBe(
			true,
		);
		expect(searchModels(undefined, { provider: 'vidu' }).length).toBe(20);
	});
});

describe('validateModelRequest: one parameter of each type (reference §10.2)', () => {
	const sound26 = param('kling-v2.6-pro/text-to-video', 'sound');
	const duration26 = param('kling-v2.6-pro/text-to-video', 'duration');
	const sound30 = param('kling-v3.0-std/image-to-video', 'sound');
	const cfgScale = param('kling-v3.0-std/image-to-video', 'cfgScale');
	const seed = param('alibaba/wan-2.7/text-to-video', 'seed');
	const prompt = param('kling-v2.6-pro/text-to-video', 'prompt');
	const negative = param('kling-v2.6-pro/text-to-video', 'negativePrompt');
	const imageUrls = param('rhart-image-v1/edit', 'imageUrls');
	const firstImage = param('kling-v3.0-std/image-to-video', 'firstImageUrl');
	const lastImage = param('kling-v3.0-std/image-to-video', 'lastImageUrl');

	it('LIST → JSON string, even for booleans and numbers', () => {
		expect(sent(sound26, true)).toBe('true');
		expect(sent(sound26, false)).toBe('false');
		expect(sent(sound26, 'false')).toBe('false');
		expect(sent(duration26, 5)).toBe('5');
		expect(sent(duration26, '10')).toBe('10');
	});

	it('LIST rejects values outside the options, naming the field and the choices', () => {
		const error = rejected(duration26, '7');
		expect(error.field).toBe('duration');
		expect(error.message).toBe('Parameter "duration" must be one of "5", "10" (got "7")');
	});

	it('LIST matches options case-insensitively and returns the canonical value', () => {
		expect(sent(param('alibaba/wan-2.7/text-to-video', 'resolution'), '720p')).toBe('720P');
	});

	it('BOOLEAN → JSON boolean, accepting "true"/"false" strings', () => {
		expect(sent(sound30, true)).toBe(true);
		expect(sent(sound30, 'false')).toBe(false);
		expect(sent(sound30, 'TRUE')).toBe(true);
		expect(sent(sound30, 0)).toBe(false);
		const error = rejected(sound30, 'maybe');
		expect(error.field).toBe('sound');
		expect(error.message).toMatch(/"sound" must be true or false/);
	});

	it('INT → integer number, rejecting fractions and out-of-range values', () => {
		expect(sent(seed, '42')).toBe(42);
		expect(sent(seed, 7)).toBe(7);
		expect(rejected(seed, 1.5).message).toMatch(/"seed" must be a whole number \(got 1.5\)/);
		expect(rejected(seed, 'abc').message).toMatch(/"seed" must be a whole number/);
		expect(rejected(seed, -1).message).toMatch(/"seed" must be between 0 and 2147483647/);
	});

	it('FLOAT → number within range', () => {
		expect(sent(cfgScale, '0.5')).toBe(0.5);
		expect(sent(cfgScale, 1)).toBe(1);
		const error = rejected(cfgScale, 2);
		expect(error.field).toBe('cfgScale');
		expect(error.message).toBe('Parameter "cfgScale" must be between 0 and 1 (got 2)');
	});

	it('STRING → string; empty optional omitted; required missing and too-long rejected', () => {
		expect(sent(prompt, 'a cat')).toBe('a cat');
		expect(sent(negative, '')).toBeUndefined();
		expect(sent(negative, '   ')).toBeUndefined();
		expect(sent(negative, undefined)).toBeUndefined();
		const missing = rejected(prompt, '');
		expect(missing.field).toBe('prompt');
		expect(missing.message).toMatch(/"prompt" is required/);
		expect(rejected(prompt, 'x'.repeat(2001)).message).toMatch(
			/"prompt" is too long \(2001 characters, max 2000\)/,
		);
		expect(rejected(prompt, { a: 1 }).message).toMatch(/"prompt" must be text/);
	});

	it('missing required LIST/BOOLEAN values fall back to the registry default', () => {
		expect(sent(sound26, undefined)).toBe('true');
		expect(sent(sound30, null)).toBe(true);
		expect(sent(duration26, '')).toBe('5');
	});

	it('single media → URL string', () => {
		expect(sent(firstImage, ' https://example.com/a.png ')).toBe('https://example.com/a.png');
		expect(sent(firstImage, ['https://example.com/a.png'])).toBe('https://example.com/a.png');
		expect(sent(lastImage, '')).toBeUndefined();
		expect(rejected(firstImage, '').message).toMatch(
			/"firstImageUrl" is required: provide an image URL/,
		);
		expect(rejected(firstImage, ['https://a/1.png', 'https://a/2.png']).message).toMatch(
			/takes a single URL/,
		);
		expect(rejected(firstImage, '/tmp/cat.png').message).toMatch(
			/"firstImageUrl" must be a public http\(s\) URL/,
		);
	});

	it('multiple media → array of URLs from an array, or a comma/newline separated string', () => {
		expect(sent(imageUrls, 'https://a/1.png, https://a/2.png\nhttps://a/3.png')).toEqual([
			'https://a/1.png',
			'https://a/2.png',
			'https://a/3.png',
		]);
		expect(sent(imageUrls, ['https://a/1.png'])).toEqual(['https://a/1.png']);
		expect(sent(imageUrls, 'https://a/1.png')).toEqual(['https://a/1.png']);
		expect(sent(imageUrls, '["https://a/1.png","https://a/2.png"]')).toEqual([
			'https://a/1.png',
			'https://a/2.png',
		]);
		expect(sent(imageUrls, 'data:image/png;base64,AAA=,https://a/2.png')).toEqual([
			'data:image/png;base64,AAA=',
			'https://a/2.png',
		]);
		const tooMany = rejected(
			imageUrls,
			Array.from({ length: 6 }, (_, i) => `https://a/${i}.png`),
		);
		expect(tooMany.field).toBe('imageUrls');
		expect(tooMany.message).toMatch(/at most 5 URLs \(got 6\)/);
		expect(rejected(imageUrls, []).message).toMatch(/"imageUrls" is required/);
	});
});

describe('validateModelRequest: every problem names the field and the fix', () => {
	const seed = param('alibaba/wan-2.7/text-to-video', 'seed');
	const cfgScale = param('kling-v3.0-std/image-to-video', 'cfgScale');
	const imageUrls = param('rhart-image-v1/edit', 'imageUrls');
	const firstImage = param('kling-v3.0-std/image-to-video', 'firstImageUrl');

	it.each([
		['a number that is not finite', cfgScale, Infinity, 'must be a finite number (got null)'],
		['text for a number', cfgScale, 'half', 'must be a number (got "half")'],
		[
			'an object for a media URL',
			firstImage,
			{ url: 'x' },
			'must be a media URL (got {"url":"x"})',
		],
		[
			'an object for a list of media URLs',
			imageUrls,
			42,
			'must be a media URL or a list of URLs (got 42)',
		],
		[
			'a number inside a list of URLs',
			imageUrls,
			['https://a/1.png', 7],
			'must contain only URL strings (got 7)',
		],
		['a local path', firstImage, 'C:\\cat.png', 'must be a public http(s) URL'],
	] as const)('%s', (_case, p, value, reason) => {
		const issue = rejected(p as CatalogueParam, value);
		expect(issue.field).toBe(p.field);
		expect(issue.message.startsWith(`Parameter "${p.field}" ${reason}`)).toBe(true);
	});

	it('a missing required number falls back to its registry default', () => {
		expect(sent({ ...seed, required: true, default: 3 }, undefined)).toBe(3);
		expect(rejected({ ...seed, required: true }, '').message).toBe(
			'Parameter "seed" is required: provide a value',
		);
	});

	it('ranges with one bound say so', () => {
		expect(rejected({ ...seed, max: undefined }, -1).message).toBe(
			'Parameter "seed" must be at least 0 (got -1)',
		);
		expect(rejected({ ...seed, min: undefined }, 2147483648).message).toBe(
			'Parameter "seed" must be at most 2147483647 (got 2147483648)',
		);
	});

	it('a required LIST without a default lists its options', () => {
		const duration = param('kling-v2.6-pro/text-to-video', 'duration');
		expect(rejected({ ...duration, default: undefined }, '').message).toBe(
			'Parameter "duration" is required: provide one of "5", "10"',
		);
	});

	it('a parameter type the catalogue does not know is reported, not sent', () => {
		const odd = { ...seed, type: 'COLOR' } as unknown as CatalogueParam;
		expect(rejected(odd, '#fff').message).toBe('Parameter "seed" has an unsupported type "COLOR"');
	});

	it('keys the model does not define are problems by default, naming the known ones', () => {
		const { body, issues } = validateModelRequest(model('seedream-v4/text-to-image'), {
			prompt: 'p',
			extra: 1,
		});
		expect(body).not.toHaveProperty('extra');
		expect(issues).toHaveLength(1);
		expect(issues[0].field).toBe('extra');
		expect(issues[0].message).toMatch(
			/^Parameter "extra" is not defined for model "seedream-v4\/text-to-image" \(known parameters: prompt, /,
		);
	});
});

describe('validateModelRequest: whole requests', () => {
	it('builds the kling-v2.6-pro/text-to-video body with LIST strings', () => {
		const body = bodyOf(model('kling-v2.6-pro/text-to-video'), {
			prompt: 'a cat surfing',
			negativePrompt: '',
			sound: false,
			aspectRatio: '16:9',
			duration: 10,
		});
		expect(body).toEqual({
			prompt: 'a cat surfing',
			sound: 'false',
			aspectRatio: '16:9',
			duration: '10',
		});
	});

	it('builds the kling-v3.0-std/image-to-video body with JSON booleans and numbers', () => {
		const body = bodyOf(model('kling-v3.0-std/image-to-video'), {
			prompt: 'wave',
			firstImageUrl: 'https://example.com/a.png',
			duration: '5',
			cfgScale: '0.5',
			sound: 'true',
		});
		expect(body).toEqual({
			prompt: 'wave',
			firstImageUrl: 'https://example.com/a.png',
			duration: '5',
			cfgScale: 0.5,
			sound: true,
		});
	});

	it('builds snake_case bodies for speech-2.8-hd', () => {
		const body = bodyOf(model('rhart-audio/text-to-audio/speech-2.8-hd'), {
			text: 'Hello (laughs)',
			voice_id: 'Wise_Woman',
			speed: 1.25,
			pitch: '-3',
			enable_base64_output: false,
			english_normalization: 'true',
		});
		expect(body).toEqual({
			text: 'Hello (laughs)',
			voice_id: 'Wise_Woman',
			speed: 1.25,
			pitch: -3,
			enable_base64_output: false,
			english_normalization: true,
		});
	});

	it('reports every problem with its field', () => {
		const { issues } = validateModelRequest(model('kling-v3.0-std/image-to-video'), {
			prompt: '',
			duration: '99',
			cfgScale: 3,
			bogus: 1,
		});
		expect(issues.map((i) => i.field).sort()).toEqual([
			'bogus',
			'cfgScale',
			'duration',
			'firstImageUrl',
			'prompt',
		]);
		expect(issues.find((i) => i.field === 'bogus')!.message).toMatch(
			/not defined for model "kling-v3.0-std\/image-to-video"/,
		);
		const missingImage = validateModelRequest(model('kling-v3.0-std/image-to-video'), {
			prompt: 'x',
			duration: '5',
		});
		expect(missingImage.issues).toHaveLength(1);
		expect(missingImage.issues[0].field).toBe('firstImageUrl');
		expect(missingImage.issues[0].message).toBe(
			'Parameter "firstImageUrl" is required: provide an image URL',
		);
		expect(missingImage.body).not.toHaveProperty('firstImageUrl');
	});

	it('handles unknown keys per option, and passes them through for schema-less entries', () => {
		const entry = model('seedream-v4/text-to-image');
		expect(bodyOf(entry, { prompt: 'p', extra: 1 }, { unknownParams: 'drop' })).toEqual({
			prompt: 'p',
		});
		expect(bodyOf(entry, { prompt: 'p', extra: 1 }, { unknownParams: 'passthrough' })).toEqual({
			prompt: 'p',
			extra: 1,
		});
		const schemaless = model('rhart-image/f-dev');
		expect(schemaless.params).toEqual([]);
		expect(bodyOf(schemaless, { prompt: 'p', '79##text': 'x' })).toEqual({
			prompt: 'p',
			'79##text': 'x',
		});
	});
});

describe('multi-select LIST params', () => {
	const slots = findModel('bytedance/seedance-2.0-global/image-to-video')?.params.find(
		(param) => param.field === 'conversionSlots',
	) as CatalogueParam;

	it('are typed as multi-select in the catalogue (the registry says 多选)', () => {
		expect(slots).toMatchObject({ type: 'LIST', multiSelect: true, default: 'all' });
	});

	it('are sent as arrays of options, from an array, a JSON array or comma-separated text', () => {
		expect(sent(slots, 'all')).toEqual(['all']);
		expect(sent(slots, ['firstFrameUrl', 'lastframeurl'])).toEqual([
			'firstFrameUrl',
			'lastFrameUrl',
		]);
		expect(sent(slots, '["lastFrameUrl"]')).toEqual(['lastFrameUrl']);
		expect(sent(slots, 'firstFrameUrl, lastFrameUrl')).toEqual(['firstFrameUrl', 'lastFrameUrl']);
		expect(sent(slots, '')).toBeUndefined();
		expect(rejected(slots, ['all', 'middle']).message).toMatch(/conversionSlots.*one of/);
	});
});

describe('paramDisplayName', () => {
	it('turns keys into labels', () => {
		expect(paramDisplayName('aspectRatio')).toBe('Aspect Ratio');
		expect(paramDisplayName('voice_id')).toBe('Voice ID');
		expect(paramDisplayName('imageUrls')).toBe('Image URLs');
		expect(paramDisplayName('enablePbr')).toBe('Enable PBR');
		expect(paramDisplayName('79##text')).toBe('Text');
	});
});

describe('build-model-catalogue.js', () => {
	const generator = require(SCRIPT);

	it('shows every registry description in English, through the reviewed table', () => {
		const han = /[\u3400-\u9fff]/;
		const withChinese = MODEL_CATALOGUE.flatMap((e) =>
			e.params.filter((p) => han.test(JSON.stringify(p))).map((p) => `${e.endpoint} ${p.field}`),
		);
		expect(withChinese).toEqual([]);
		const described = MODEL_CATALOGUE.flatMap((e) => e.params).filter((p) => p.description);
		expect(described.length).toBeGreaterThanOrEqual(840);
		const count = findModel('alibaba/wan-2.5-preview/image-to-image')?.params.find(
			(p) => p.field === 'n',
		);
		expect(count).toMatchObject({
			label: 'Number of Images',
			description: 'Number of images to generate (1 to 4); affects the cost directly.',
		});
	});

	it('leaves out (and reports) a Chinese description the table lacks', () => {
		const translations = { table: {}, missing: new Set<string>() };
		const param = generator.convertParam(
			{ fieldKey: 'shotType', type: 'STRING', description: '分镜方式' },
			translations,
		);
		expect(param.description).toBeUndefined();
		expect([...translations.missing]).toEqual(['分镜方式']);
		const known = { table: { 分镜方式: 'How shots are split.' }, missing: new Set<string>() };
		expect(
			generator.convertParam(
				{ fieldKey: 'shotType', type: 'STRING', description: '分镜方式' },
				known,
			).description,
		).toBe('How shots are split.');
	});

	it('turns values a description lists into a dropdown that still takes other values', () => {
		const voice = findModel('rhart-audio/text-to-audio/speech-02-hd')?.params.find(
			(p) => p.field === 'voice_id',
		);
		expect(voice?.options?.map((o) => o.value)).toContain('Wise_Woman');
		expect(voice?.otherValues).toBe(true);
		expect(sent(voice as CatalogueParam, 'my-cloned-voice-01')).toBe('my-cloned-voice-01');
	});

	it('names models clearly: FLUX, the task said once', () => {
		const names = MODEL_CATALOGUE.map((e) => e.name);
		expect(findModel('rhart-image/f-dev')?.name).toBe('FLUX.1 Dev · Text to Image');
		expect(findModel('minimax/hailuo-02/fast')?.name).toBe('Hailuo 02 Fast · Image to Video');
		expect(names.filter((n) => /\b(\w+) to (\w+)\b.*\b\1 to \2\b/i.test(n))).toEqual([]);
		expect(names.filter((n) => /F-Dev/.test(n))).toEqual([]);
	});

	it('links each model the documentation index lists to its own page, the others to none', () => {
		const docPages = generator.loadDocPages();
		const listed = MODEL_CATALOGUE.filter((e) => docPages.pages[e.endpoint]);
		expect(listed.length).toBeGreaterThanOrEqual(200);
		for (const entry of MODEL_CATALOGUE) {
			const pageId = docPages.pages[entry.endpoint];
			expect(entry.docUrl).toBe(
				pageId ? `https://www.runninghub.cn/runninghub-api-doc-cn/api-${pageId}` : undefined,
			);
		}
		expect(findModel('rhart-video-v3.1-fast/text-to-video')?.docUrl).toBe(
			'https://www.runninghub.cn/runninghub-api-doc-cn/api-448183144',
		);

		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-doc-'));
		const bad = path.join(tmp, 'pages.json');
		fs.writeFileSync(
			bad,
			JSON.stringify({ pageUrl: docPages.pageUrl, pages: { 'vendor/model': 'api-12' } }),
		);
		expect(() => generator.loadDocPages(bad)).toThrow(/page ID of vendor\/model is not a number/);
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('--check passes on the committed generated file', () => {
		const result = spawnSync(process.execPath, [SCRIPT, registryPath(), '--check'], {
			encoding: 'utf8',
		});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/up to date \(299 models, public-2026-04-29\)/);
	});

	it('--check fails when the generated file differs', () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-cat-'));
		const out = path.join(tmp, 'models.generated.ts');
		fs.writeFileSync(out, '// stale\n');
		const result = spawnSync(process.execPath, [SCRIPT, registryPath(), '--check', '--out', out], {
			encoding: 'utf8',
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/out of date/);
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('rejects a registry entry without an endpoint or with an unknown param type', () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-cat-'));
		const bad = path.join(tmp, 'registry.json');
		fs.writeFileSync(
			bad,
			JSON.stringify({
				version: 'test',
				models: [
					{
						endpoint: '',
						name_en: 'x',
						output_type: 'image',
						category: 'RunningHub/X',
						params: [],
					},
					{
						endpoint: 'a/b',
						name_en: 'a/b',
						output_type: 'image',
						category: 'RunningHub/X',
						params: [{ fieldKey: 'k', type: 'WEIRD' }],
					},
				],
			}),
		);
		const result = spawnSync(
			process.execPath,
			[SCRIPT, bad, '--check', '--out', path.join(tmp, 'out.ts')],
			{ encoding: 'utf8' },
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/missing endpoint/);
		expect(result.stderr).toMatch(/unknown type "WEIRD"/);
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	it('rejects an entry that gets no task category or output type', () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-cat-'));
		const bad = path.join(tmp, 'registry.json');
		fs.writeFileSync(
			bad,
			JSON.stringify({
				version: 'test',
				models: [
					{
						endpoint: 'x/y',
						name_en: 'x/y',
						output_type: 'hologram',
						category: 'RunningHub/X',
						params: [],
					},
				],
			}),
		);
		const result = spawnSync(process.execPath, [SCRIPT, bad, '--out', path.join(tmp, 'out.ts')], {
			encoding: 'utf8',
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/x\/y: no task category/);
		expect(result.stderr).toMatch(/unknown output type "hologram"/);
		expect(fs.existsSync(path.join(tmp, 'out.ts'))).toBe(false);
		fs.rmSync(tmp, { recursive: true, force: true });
	});
});
