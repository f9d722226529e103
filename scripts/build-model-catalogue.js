#!/usr/bin/env node
/*
 * Builds nodes/RunningHub/catalogue/models.generated.ts from RunningHub's public model registry
 * (HM-RunningHub/ComfyUI_RH_OpenAPI, developer-kit/model-registry.public.json, Apache-2.0).
 *
 * Usage:
 *   node scripts/build-model-catalogue.js [registry.json] [--check] [--out <file>]
 *
 *   registry path: first positional argument, else $RH_MODEL_REGISTRY, else the first existing of
 *   <repo>/data/model-registry.public.json and <repo>/../shared/data/model-registry.public.json.
 *   --check  regenerate in memory and exit 1 if the committed file differs (for CI).
 *
 * Exit codes: 0 ok, 1 validation failure or --check mismatch, 2 usage / IO error.
 * Plain Node, no dependencies. Output is deterministic (entries sorted by endpoint).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUT = path.join(REPO_ROOT, 'nodes/RunningHub/catalogue/models.generated.ts');
const DEFAULT_REGISTRY_CANDIDATES = [
	path.join(REPO_ROOT, 'data/model-registry.public.json'),
	path.resolve(__dirname, '../../shared/data/model-registry.public.json'),
];

/** Reviewed English for the registry's Chinese descriptions (one entry per distinct text). */
const DEFAULT_TRANSLATIONS = path.join(REPO_ROOT, 'data/model-registry.translations.json');
/** Each endpoint's page number in RunningHub's API documentation, from its llms.txt index. */
const DEFAULT_DOC_PAGES = path.join(REPO_ROOT, 'data/model-doc-pages.json');

const PARAM_TYPES = ['STRING', 'LIST', 'INT', 'FLOAT', 'BOOLEAN', 'IMAGE', 'VIDEO', 'AUDIO'];
const MEDIA_TYPES = ['IMAGE', 'VIDEO', 'AUDIO'];
const OUTPUT_TYPES = ['image', 'video', 'audio', '3d', 'text'];
// Keep in sync with MODEL_CATEGORIES in nodes/RunningHub/catalogue/types.ts (the unit test checks).
const CATEGORIES = [
	'text-to-image',
	'image-to-image',
	'text-to-video',
	'image-to-video',
	'video-to-video',
	'text-to-audio',
	'audio-to-audio',
	'text-to-3d',
	'image-to-3d',
	'video-to-3d',
	'text-to-text',
	'image-to-text',
	'video-to-text',
	'utility',
];
/** Registry LIST options with this value mean "omit the field" (HM node_factory LIST_OMIT_SENTINEL). */
const LIST_OMIT_SENTINEL = 'empty';

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------

const PROVIDER_RULES = [
	[/^hitem3d/, 'HiTem3D'],
	[/^hunyuan3d/, 'Hunyuan3D'],
	[/^meshy/, 'Meshy'],
	[/^minimax\//, 'MiniMax'],
	[/^rhart-audio\/suno/, 'Suno'],
	[/^rhart-audio\/text-to-audio\//, 'MiniMax'],
	[/^alibaba\/qwen/, 'Alibaba Qwen'],
	[/^alibaba\/wan/, 'Alibaba Wan'],
	[/^alibaba\/happyhorse/, 'Alibaba HappyHorse'],
	[/^higgsfield\//, 'Higgsfield'],
	[/^image-enhance\//, 'HYPIR'],
	[/^marble/, 'World Labs Marble'],
	[/^rhart-image-g-(1\.5|2)/, 'OpenAI GPT Image'],
	[/^rhart-image-(g|g-3|g-4|x|x-official)\//, 'xAI Grok Imagine'],
	[/^rhart-image-(n-|v1)/, 'Google Nano Banana'],
	[/^rhart-image\/f-dev/, 'FLUX'],
	[/^seedream/, 'ByteDance Seedream'],
	[
		/^(seedance|bytedance\/seedance|rhart-video\/sparkvideo|cinematic-video-generator)/,
		'ByteDance Seedance',
	],
	[/^bytedance\/dreamactor/, 'ByteDance DreamActor'],
	[/^topazlabs\//, 'Topaz Labs'],
	[/^youchuan\//, 'Midjourney (Youchuan)'],
	[/^kling/, 'Kling'],
	[/^rhart-text-g-/, 'Google Gemini'],
	[/^rhart-text-qwen/, 'Alibaba Qwen'],
	[/^rhart-video-s/, 'OpenAI Sora'],
	[/^rhart-video-g/, 'xAI Grok Imagine'],
	[/^rhart-video-r\//, 'Runway'],
	[/^rhart-video-v3\.1/, 'Google Veo'],
	[/^rhart-video\/ltx/, 'Lightricks LTX'],
	[/^rhart-video\/video-/, 'RunningHub'],
	[/^pixverse/, 'PixVerse'],
	[/^skyreels/, 'SkyReels'],
	[/^vidu\//, 'Vidu'],
];

function deriveProvider(model) {
	for (const [re, provider] of PROVIDER_RULES) if (re.test(model.endpoint)) return provider;
	// Fallback: the registry category without its "RunningHub/" prefix.
	return String(model.category || '')
		.replace(/^RunningHub\//, '')
		.trim();
}

// ---------------------------------------------------------------------------------------------
// Task category
// ---------------------------------------------------------------------------------------------

function requiredMedia(model, type) {
	return model.params.some((p) => p.type === type && p.required === true);
}

function deriveCategory(model, outputType) {
	const ep = model.endpoint.toLowerCase();
	const has = (re) => re.test(ep);
	switch (outputType) {
		case '3d':
			if (has(/text-to-3d/)) return 'text-to-3d';
			if (has(/image-to-3d/)) return 'image-to-3d';
			return requiredMedia(model, 'IMAGE') ? 'image-to-3d' : 'text-to-3d';
		case 'image':
			if (has(/image-to-world/)) return 'image-to-3d';
			if (has(/text-to-image/)) return 'text-to-image';
			if (has(/image-to-image|edit|upscale|enhance/)) return 'image-to-image';
			return requiredMedia(model, 'IMAGE') ? 'image-to-image' : 'text-to-image';
		case 'audio':
			if (has(/voice-clone/) || requiredMedia(model, 'AUDIO')) return 'audio-to-audio';
			return 'text-to-audio';
		case 'text':
			if (has(/text-to-world/)) return 'text-to-3d';
			if (has(/image-to-text/)) return 'image-to-text';
			if (has(/video-to-text/)) return 'video-to-text';
			if (has(/text-to-text|\/chat$/)) return 'text-to-text';
			if (has(/\/tts$/)) return 'text-to-audio';
			if (has(/extend/)) return 'video-to-video';
			return 'utility';
		case 'video':
			if (has(/video-to-world/)) return 'video-to-3d';
			if (has(/upload-character/)) return 'utility';
			if (has(/text-to-video|\/t2v/)) return 'text-to-video';
			if (
				has(/image-to-video|\/i2v|start-end|start-to-end|image-audio-to-video|transition|effects/)
			) {
				return 'image-to-video';
			}
			if (
				has(
					/video-to-video|video-edit|edit-video|extend|extension|restyling|upscale|fps|lip-sync|motion-control|dreamactor/,
				)
			) {
				return 'video-to-video';
			}
			if (has(/reference-to-video|refrence-to-video|multimodal|omni-reference/))
				return 'image-to-video';
			if (requiredMedia(model, 'VIDEO')) return 'video-to-video';
			if (requiredMedia(model, 'IMAGE')) return 'image-to-video';
			return 'text-to-video';
		default:
			return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Display name
// ---------------------------------------------------------------------------------------------

const WORD_CASE = {
	'3d': '3D',
	ai: 'AI',
	cgi: 'CGI',
	cv: 'CV',
	dop: 'DoP',
	fps: 'FPS',
	gpt: 'GPT',
	hd: 'HD',
	hypir: 'HYPIR',
	lora: 'LoRA',
	ltx: 'LTX',
	minimax: 'MiniMax',
	pixverse: 'PixVerse',
	rh: 'RH',
	skyreels: 'SkyReels',
	tts: 'TTS',
	hitem3d: 'HiTem3D',
	hunyuan3d: 'Hunyuan3D',
	happyhorse: 'HappyHorse',
	topazlabs: 'Topaz Labs',
	'sd2.0': 'SD2.0',
	flux: 'FLUX',
	'flux.1': 'FLUX.1',
	to: 'to',
	i2v: 'Image to Video',
	t2v: 'Text to Video',
	refrence: 'Reference',
	asyn: 'Async',
};

/** Rewrites applied to the lower-cased registry name_en before prettifying (vendor prefixes are in `provider`). */
const NAME_REWRITES = [
	[/^(alibaba|google|xai)\//, ''],
	[/^runwayml\//, 'runway-'],
	[/^higgsfield\//, 'higgsfield-'],
	[/^minimax\//, 'minimax-'],
	[/^grok-imagine-(image|video)\//, 'grok-imagine/'],
	[/^nano-banana2-gemini31flash\//, 'nano-banana-2/'],
	[/^gpt-image-2\.0\//, 'gpt-image-2/'],
	[/^rhart-text-g-25-/, 'gemini-2.5-'],
	[/^rhart-text-g-3-/, 'gemini-3-'],
	[/^rhart-text-qwen-/, 'qwen-'],
	[/^(hitem3d(?:-portrait)?)-v(\d)(\d)\//, '$1-v$2.$3/'],
	[/^kling-lip-sync\/lip-sync-video$/, 'kling-lip-sync/video'],
	[/^f-dev(-lora)?$/, 'flux.1-dev$1/text-to-image'],
	[/^seedance2\.0-(fast-)?multimodal-video$/, 'seedance-2.0-$1/multimodal-video'],
	[/^grok-3-image-to-image$/, 'grok-3-image/image-to-image'],
];

function prettyWord(word) {
	const lower = word.toLowerCase();
	if (WORD_CASE[lower] !== undefined) return WORD_CASE[lower];
	if (/^v\d/.test(lower)) return lower; // v2.6, v3.1
	if (/^[oq]\d$/.test(lower)) return lower.toUpperCase(); // Kling O1 / O3, Vidu Q2 / Q3
	if (/^\d+[kb]$/.test(lower)) return lower.toUpperCase(); // 4K, 19B
	if (/^\d/.test(lower)) return lower; // 2.0, 02
	const m = /^([a-z]{3,})(\d+(?:\.\d+)?)$/.exec(lower); // veo3.1, meshy6, niji6, seedance2.0
	if (m) return `${prettyWord(m[1])} ${m[2]}`;
	return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** Splits "kling-v2.6-pro-text-to-video" into model part and task part. */
const TASK_SPLIT =
	/(?<!multi|^image)-(?=(?:multi-)?(?:text|image|video|audio|start-end|start|reference|refrence|image-audio|video-ref)-to-|i2v|t2v)/;

function prettySegment(segment) {
	return segment
		.replace(TASK_SPLIT, '/')
		.split('/')
		.map((part) => part.split('-').filter(Boolean).map(prettyWord).join(' '))
		.filter(Boolean)
		.join(' · ');
}

function cleanName(model) {
	let raw = String(model.name_en || model.endpoint).trim();
	raw = raw.replace(/-?\[deprecated\].*$/i, '').replace(/-deprecated$/i, '');
	raw = raw.toLowerCase().replace(/[\s_]+/g, '-');
	let channel = '';
	const channelPatterns = [
		[/[-/]channel-low-price$/, 'Low-Price Channel'],
		[/[-/]official-stable$/, 'Official'],
		[/-official$/, 'Official'],
	];
	for (const [re, label] of channelPatterns) {
		if (re.test(raw)) {
			raw = raw.replace(re, '');
			channel = label;
			break;
		}
	}
	let trial = false;
	if (/-trial$/.test(raw)) {
		raw = raw.replace(/-trial$/, '');
		trial = true;
	}
	for (const [re, replacement] of NAME_REWRITES) raw = raw.replace(re, replacement);
	let name = raw.split('/').filter(Boolean).map(prettySegment).join(' · ');
	const notes = [];
	if (channel) notes.push(channel);
	if (trial) notes.push('Trial');
	if (notes.length) name += ` (${notes.join(', ')})`;
	return name;
}

function isDeprecated(model) {
	return /deprecated|已下架/i.test(
		`${model.endpoint} ${model.name_en} ${model.display_name || ''}`,
	);
}

// ---------------------------------------------------------------------------------------------
// Params
// ---------------------------------------------------------------------------------------------

const HAN = /[\u3400-\u9fff]/;
const NO_TRANSLATIONS = { table: {}, missing: new Set() };
const NO_DOC_PAGES = { pageUrl: '', pages: {} };

function parseAccept(raw) {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let list = raw;
	if (typeof raw === 'string') {
		try {
			list = JSON.parse(raw);
		} catch (e) {
			list = raw.split(/[,\s]+/);
		}
	}
	if (!Array.isArray(list)) return undefined;
	const out = [];
	for (const item of list) {
		const v = String(item).trim().toUpperCase().replace(/^\./, '');
		if (v && !out.includes(v)) out.push(v);
	}
	return out.length ? out : undefined;
}

function isMultiple(p) {
	if (!MEDIA_TYPES.includes(p.type)) return false;
	// HM-RunningHub node_factory: array when key ends in "Urls", key is "videos", or multipleInputs
	// (maxInputNum <= 1 with multipleInputs means "unspecified", not 1).
	return /Urls$/.test(p.fieldKey) || p.fieldKey === 'videos' || p.multipleInputs === true;
}

/** LIST params the registry describes as multi-select ("多选"): the API takes an array, e.g. ["all"]. */
function isMultiSelect(p) {
	if (p.type !== 'LIST') return false;
	const text = `${p.description || ''} ${p.descriptionEn || ''} ${p.label || ''}`;
	return /多选|multi-?select/i.test(text);
}

function finiteNumber(v) {
	return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function convertParam(p, translations = NO_TRANSLATIONS) {
	const out = {
		field: p.fieldKey,
		type: p.type,
		required: p.required === true,
		multiple: isMultiple(p),
	};
	const t = p.type;
	const dv = p.defaultValue;
	if (t === 'LIST') {
		const options = [];
		for (const o of p.options || []) {
			const value = String(o.value);
			if (value === LIST_OMIT_SENTINEL) continue;
			const en = typeof o.descriptionEn === 'string' ? o.descriptionEn.trim() : '';
			options.push({ value, name: en || value });
		}
		out.options = options;
		if (dv !== undefined && dv !== null && String(dv) !== LIST_OMIT_SENTINEL)
			out.default = String(dv);
		if (isMultiSelect(p)) out.multiSelect = true;
	} else if (t === 'BOOLEAN') {
		if (typeof dv === 'boolean') out.default = dv;
		else if (typeof dv === 'string' && /^(true|false)$/i.test(dv))
			out.default = dv.toLowerCase() === 'true';
	} else if (t === 'INT' || t === 'FLOAT') {
		const n = typeof dv === 'string' && dv.trim() !== '' ? Number(dv) : dv;
		if (finiteNumber(n) !== undefined) out.default = t === 'INT' ? Math.round(n) : n;
		for (const k of ['min', 'max', 'step']) if (finiteNumber(p[k]) !== undefined) out[k] = p[k];
	} else if (t === 'STRING') {
		// Registry defaults of STRING params are sample content (prompts, ids): never sent as a
		// default (ref. §10.2), but short ASCII samples make useful placeholders ("Wise_Woman").
		if (typeof dv === 'string') {
			const s = dv.trim();
			if (s && s.length <= 40 && /^[\x20-\x7e]+$/.test(s) && !/^(https?|data):/i.test(s))
				out.placeholder = s;
		}
	}
	if (t === 'STRING' && finiteNumber(p.maxLength) !== undefined) out.maxLength = p.maxLength;
	// maxInputNum caps arrays; with multipleInputs it is only meaningful above 1 (HM uses a default count
	// otherwise), while a plural key without multipleInputs (e.g. grok imageUrls, max 1) takes exactly that many.
	if (out.multiple && finiteNumber(p.maxInputNum) !== undefined && p.maxInputNum >= 1) {
		if (p.multipleInputs !== true || p.maxInputNum > 1) out.maxItems = p.maxInputNum;
	}
	if (MEDIA_TYPES.includes(t)) {
		if (finiteNumber(p.maxSize) !== undefined) out.maxSize = p.maxSize;
		const accept = parseAccept(p.accept);
		if (accept) out.accept = accept;
	}
	const description = typeof p.description === 'string' ? p.description.trim() : '';
	const descriptionEn = typeof p.descriptionEn === 'string' ? p.descriptionEn.trim() : '';
	let desc = descriptionEn || description;
	// Chinese labels (Suno) carry meaning the description may lack.
	if ((!desc || desc === p.fieldKey || desc === p.label) && typeof p.label === 'string') {
		if (p.label !== p.fieldKey && HAN.test(p.label)) desc = p.label.trim();
	}
	desc = inEnglish(desc, translations);
	if (desc && desc !== p.fieldKey && desc !== p.label) out.description = desc;
	const label = KEY_LABELS[p.fieldKey.toLowerCase()];
	if (label) out.label = label;
	const listed = valuesListedIn(desc);
	if (t === 'STRING' && listed) {
		out.options = listed.map((value) => ({ value, name: value.replace(/_/g, ' ') }));
		out.otherValues = true;
		out.description =
			'One of the system voices, or the ID of a voice you cloned (as an expression).';
	}
	return out;
}

/**
 * The English text for a registry description: English as is, Chinese through the reviewed table.
 * A Chinese text the table lacks is left out (and reported), never shown untranslated.
 */
function inEnglish(text, translations) {
	if (!text || !HAN.test(text)) return text;
	const english = translations.table[text];
	if (english) return english;
	translations.missing.add(text);
	return '';
}

/**
 * Labels for keys that say nothing on their own (Midjourney's short flags, `n`, `bgm`…), taken
 * from the model's own documentation of the flag.
 */
const KEY_LABELS = {
	n: 'Number of Images',
	iw: 'Image Weight',
	cw: 'Character Weight',
	sw: 'Style Weight',
	sv: 'Style Version',
	ow: 'Omni Reference Weight',
	cref: 'Character Reference',
	sref: 'Style Reference',
	oref: 'Omni Reference',
	bgm: 'Background Music',
	raw: 'Raw Mode',
	tile: 'Seamless Tiling',
	stop: 'Stop At (%)',
	face: 'Face Count',
	loop: 'Loop',
	kind: 'File Kind',
};

/** Valid values a description enumerates ("system voice IDs: Wise_Woman, Friendly_Person, …"). */
function valuesListedIn(description) {
	const m = /\bsystem voice IDs:\s*(.+)$/i.exec(description || '');
	if (!m) return undefined;
	const values = m[1]
		.split(/,\s*/)
		.map((v) => v.trim())
		.filter((v) => /^[A-Za-z0-9_-]+$/.test(v));
	return values.length >= 2 ? values : undefined;
}

function outputTypeOf(model) {
	const t = String(model.output_type || '').toLowerCase();
	if (t === 'string' || t === 'text') return 'text';
	return t;
}

/** Names that do not say what the model does get its task added ("Hailuo 02 Fast · Image to Video"). */
const SAYS_TASK =
	/\b(to|edit|extend|extension|upscale|upscaler|transition|effects|motion control|chat|lyrics|lip sync|restyling|tts|speech|music|voice design|upload|elements|identify face|fps increaser|multimodal video|omni reference|video|image)\b/i;

function withTask(name, category) {
	if (!category || category === 'utility' || SAYS_TASK.test(name.replace(/\(.*\)$/, '')))
		return name;
	const task = category
		.split('-')
		.map((w) => (w === 'to' ? w : w === '3d' ? '3D' : w.charAt(0).toUpperCase() + w.slice(1)))
		.join(' ');
	const note = /( \(.*\))$/.exec(name);
	return note ? `${name.slice(0, -note[1].length)} · ${task}${note[1]}` : `${name} · ${task}`;
}

/**
 * The models a newcomer most likely came for, listed first (in this order) when the list opens;
 * the registry has no usage figures, so this is a reviewed choice of each major family's current
 * flagship endpoints. Every endpoint must exist in the registry (validated).
 */
const FEATURED = [
	'rhart-image-n-pro/text-to-image',
	'rhart-image-n-pro/edit',
	'seedream-v4.5/text-to-image',
	'seedream-v4.5/image-to-image',
	'rhart-image-v1/text-to-image',
	'rhart-image-v1/edit',
	'kling-v3.0-pro/text-to-video',
	'kling-v3.0-pro/image-to-video',
	'rhart-video-v3.1-fast/text-to-video',
	'rhart-video-v3.1-fast/image-to-video',
	'rhart-video/sparkvideo-2.0/text-to-video',
	'rhart-video/sparkvideo-2.0/image-to-video',
	'rhart-video-s/text-to-video',
	'rhart-video-s/image-to-video',
	'alibaba/wan-2.6/text-to-video',
	'alibaba/wan-2.6/image-to-video',
	'minimax/hailuo-2.3/t2v-standard',
	'minimax/hailuo-2.3/i2v-standard',
	'youchuan/text-to-image-v7',
	'alibaba/qwen-image-2.0/text-to-image',
	'alibaba/qwen-image-2.0/image-edit',
	'rhart-audio/text-to-audio/speech-2.8-hd',
	'rhart-audio/suno-v5/custom',
	'hunyuan3d-v3.1/image-to-3d',
];

function convertModel(model, translations = NO_TRANSLATIONS, docPages = NO_DOC_PAGES) {
	const outputType = outputTypeOf(model);
	const entry = {
		endpoint: String(model.endpoint).trim(),
		name: '',
		provider: deriveProvider(model),
		category: deriveCategory(model, outputType),
		outputType,
		deprecated: isDeprecated(model),
	};
	entry.name =
		withTask(cleanName(model), entry.category || '') + (entry.deprecated ? ' (Deprecated)' : '');
	const docName = String(model.name_en || '').trim();
	if (docName && docName !== entry.endpoint) entry.docName = docName;
	const pageId = docPages.pages[entry.endpoint];
	if (pageId) entry.docUrl = docPages.pageUrl.replace('{pageId}', pageId);
	const featured = FEATURED.indexOf(entry.endpoint);
	if (featured !== -1) entry.featured = featured + 1;
	entry.params = (model.params || []).map((p) => convertParam(p, translations));
	return entry;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

function validateRegistry(registry) {
	const problems = [];
	if (!registry || typeof registry !== 'object' || !Array.isArray(registry.models)) {
		return ['registry has no "models" array'];
	}
	if (typeof registry.version !== 'string' || !registry.version)
		problems.push('registry has no "version" string');
	if (typeof registry.model_count === 'number' && registry.model_count !== registry.models.length) {
		problems.push(
			`registry model_count ${registry.model_count} != models.length ${registry.models.length}`,
		);
	}
	registry.models.forEach((m, i) => {
		const where = `models[${i}]${m && m.endpoint ? ` (${m.endpoint})` : ''}`;
		if (!m || typeof m !== 'object') return problems.push(`${where}: not an object`);
		if (typeof m.endpoint !== 'string' || !m.endpoint.trim())
			problems.push(`${where}: missing endpoint`);
		if (!Array.isArray(m.params)) problems.push(`${where}: params is not an array`);
		else {
			m.params.forEach((p, j) => {
				if (!p || typeof p.fieldKey !== 'string' || !p.fieldKey)
					problems.push(`${where}: params[${j}] has no fieldKey`);
				if (!p || !PARAM_TYPES.includes(p.type)) {
					problems.push(
						`${where}: params[${j}] (${p && p.fieldKey}) has unknown type ${JSON.stringify(p && p.type)}`,
					);
				}
			});
		}
	});
	return problems;
}

function validateCatalogue(entries) {
	const problems = [];
	const known = new Set(entries.map((e) => e.endpoint));
	for (const endpoint of FEATURED)
		if (!known.has(endpoint)) problems.push(`featured model ${endpoint} is not in the registry`);
	const seen = new Set();
	const names = new Map();
	for (const e of entries) {
		const where = e.endpoint || '(no endpoint)';
		if (!e.endpoint || /\s/.test(e.endpoint))
			problems.push(`${where}: missing or invalid endpoint path`);
		if (seen.has(e.endpoint)) problems.push(`${where}: duplicate endpoint`);
		seen.add(e.endpoint);
		if (!e.name) problems.push(`${where}: missing display name`);
		else if (names.has(e.name))
			problems.push(`${where}: display name "${e.name}" also used by ${names.get(e.name)}`);
		names.set(e.name, e.endpoint);
		if (!e.provider) problems.push(`${where}: missing provider`);
		if (!CATEGORIES.includes(e.category))
			problems.push(`${where}: no task category (got ${JSON.stringify(e.category)})`);
		if (!OUTPUT_TYPES.includes(e.outputType))
			problems.push(`${where}: unknown output type ${JSON.stringify(e.outputType)}`);
		const fields = new Set();
		for (const p of e.params) {
			if (!p.field) problems.push(`${where}: a param has no field name`);
			if (fields.has(p.field)) problems.push(`${where}: duplicate param field "${p.field}"`);
			fields.add(p.field);
			if (!PARAM_TYPES.includes(p.type))
				problems.push(`${where}: param "${p.field}" has unknown type ${JSON.stringify(p.type)}`);
			if (
				p.type === 'LIST' &&
				p.default !== undefined &&
				p.options.length &&
				!p.options.some((o) => o.value === p.default)
			) {
				problems.push(
					`${where}: param "${p.field}" default ${JSON.stringify(p.default)} is not one of its options`,
				);
			}
		}
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function render(registry, entries) {
	const lines = [];
	lines.push(
		'// GENERATED FILE - DO NOT EDIT. Regenerate with `npm run catalogue` (scripts/build-model-catalogue.js).',
	);
	lines.push('//');
	lines.push(
		`// Source: RunningHub model registry model-registry.public.json, version ${registry.version}, ${entries.length} models,`,
	);
	lines.push(
		'// published by RunningHub in HM-RunningHub/ComfyUI_RH_OpenAPI (developer-kit/model-registry.public.json)',
	);
	lines.push(
		'// under the Apache License 2.0. Derived data: names, providers and task categories are computed;',
	);
	lines.push(
		"// Documentation links: page numbers from RunningHub's documentation index (data/model-doc-pages.json).",
	);
	lines.push('// See NOTICE.');
	lines.push('');
	lines.push("import type { CatalogueEntry } from './types';");
	lines.push('');
	lines.push(`export const MODEL_REGISTRY_VERSION = ${JSON.stringify(registry.version)};`);
	lines.push('');
	lines.push('/**');
	lines.push(
		' * Every model of the registry, sorted by endpoint; parsed anew on each call. The entries are',
	);
	lines.push(
		' * JSON text, one a line and ASCII only: loading the module only scans past a string, and',
	);
	lines.push(' * JSON.parse builds the objects faster than the same object literals would be.');
	lines.push(' */');
	lines.push('export function buildModelEntries(): CatalogueEntry[] {');
	lines.push('\treturn JSON.parse(`[');
	entries.forEach((e, i) => {
		lines.push(`${templateText(asciiJson(e))}${i === entries.length - 1 ? '' : ','}`);
	});
	lines.push(']`) as CatalogueEntry[];');
	lines.push('}');
	lines.push('');
	return lines.join('\n');
}

/** JSON of `value` with every non-ASCII character escaped (`·` as `\\u00b7`). */
function asciiJson(value) {
	return JSON.stringify(value).replace(
		/[\u0080-\uffff]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** `text` written inside a template literal so that the literal's value is `text` again. */
function templateText(text) {
	return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function loadTranslations(file = DEFAULT_TRANSLATIONS) {
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	return { table: data.descriptions || {}, missing: new Set() };
}

/** The page numbers, checked: a page ID is digits, and the URL pattern has its `{pageId}`. */
function loadDocPages(file = DEFAULT_DOC_PAGES) {
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (!/^https:\/\/[^{}]+\{pageId\}$/.test(String(data.pageUrl)))
		throw new Error(`${file}: pageUrl must be an https URL ending in {pageId}`);
	for (const [endpoint, pageId] of Object.entries(data.pages || {}))
		if (!/^\d{6,12}$/.test(String(pageId)))
			throw new Error(`${file}: page ID of ${endpoint} is not a number: ${JSON.stringify(pageId)}`);
	return { pageUrl: data.pageUrl, pages: data.pages || {} };
}

function build(registry, translations = loadTranslations(), docPages = loadDocPages()) {
	const problems = validateRegistry(registry);
	if (problems.length) return { problems };
	const entries = registry.models
		.map((m) => convertModel(m, translations, docPages))
		.sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
	const catProblems = validateCatalogue(entries);
	if (catProblems.length) return { problems: catProblems };
	return { entries, text: render(registry, entries), untranslated: [...translations.missing] };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
	const args = { check: false, out: DEFAULT_OUT, registry: undefined };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--check') args.check = true;
		else if (a === '--out') args.out = path.resolve(argv[++i]);
		else if (a === '--help' || a === '-h') args.help = true;
		else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
		else args.registry = path.resolve(a);
	}
	return args;
}

function resolveRegistryPath(explicit) {
	if (explicit) return explicit;
	if (process.env.RH_MODEL_REGISTRY) return path.resolve(process.env.RH_MODEL_REGISTRY);
	return (
		DEFAULT_REGISTRY_CANDIDATES.find((p) => fs.existsSync(p)) || DEFAULT_REGISTRY_CANDIDATES[0]
	);
}

function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (e) {
		console.error(`build-model-catalogue: ${e.message}`);
		return 2;
	}
	if (args.help) {
		console.log(
			'Usage: node scripts/build-model-catalogue.js [registry.json] [--check] [--out file]',
		);
		return 0;
	}
	const registryPath = resolveRegistryPath(args.registry);
	let registry;
	try {
		registry = JSON.parse(fs.readFileSync(registryPath, 'utf8'));
	} catch (e) {
		console.error(`build-model-catalogue: cannot read registry ${registryPath}: ${e.message}`);
		console.error('Pass the path as an argument or set RH_MODEL_REGISTRY.');
		return 2;
	}
	let result;
	try {
		result = build(registry);
	} catch (e) {
		console.error(`build-model-catalogue: ${e.message}`);
		return 2;
	}
	if (result.problems) {
		console.error(`build-model-catalogue: registry ${registryPath} failed validation:`);
		for (const p of result.problems) console.error(`  - ${p}`);
		return 1;
	}
	for (const text of result.untranslated) {
		console.warn(
			`build-model-catalogue: no English for ${JSON.stringify(text)}; add it to data/model-registry.translations.json (left out until then)`,
		);
	}
	const rel = path.relative(process.cwd(), args.out) || args.out;
	if (args.check) {
		let current = null;
		try {
			current = fs.readFileSync(args.out, 'utf8');
		} catch (e) {
			current = null;
		}
		if (current !== result.text) {
			console.error(
				`build-model-catalogue: ${rel} is ${current === null ? 'missing' : 'out of date'}; run \`npm run catalogue\` and commit the result.`,
			);
			return 1;
		}
		console.log(
			`build-model-catalogue: ${rel} is up to date (${result.entries.length} models, ${registry.version}).`,
		);
		return 0;
	}
	fs.mkdirSync(path.dirname(args.out), { recursive: true });
	fs.writeFileSync(args.out, result.text);
	const withPage = result.entries.filter((e) => e.docUrl).length;
	console.log(
		`build-model-catalogue: wrote ${rel} (${result.entries.length} models, ${registry.version}, ${Buffer.byteLength(result.text)} bytes; ${withPage} link to their own documentation page).`,
	);
	return 0;
}

if (require.main === module) process.exitCode = main();

module.exports = {
	build,
	convertModel,
	convertParam,
	deriveCategory,
	deriveProvider,
	cleanName,
	loadTranslations,
	loadDocPages,
	FEATURED,
	KEY_LABELS,
	CATEGORIES,
	PARAM_TYPES,
	OUTPUT_TYPES,
};
