/**
 * Standard Model API catalogue: lookup, search and request-body checks.
 *
 * Data comes from models.generated.ts (generated from RunningHub's public model registry by
 * scripts/build-model-catalogue.js — do not edit it by hand), parsed when first needed. No n8n
 * imports here: validation
 * problems are reported as `CatalogueIssue`s, which the node turns into its errors.
 */
import { buildModelEntries } from './models.generated';
import type {
	CatalogueEntry,
	CatalogueIssue,
	CatalogueParam,
	ModelCategory,
	ModelOutputType,
} from './types';
import { MEDIA_PARAM_TYPES } from './types';

export * from './types';

interface Catalogue {
	/** Sorted by endpoint, as generated. */
	entries: readonly CatalogueEntry[];
	byEndpoint: Map<string, CatalogueEntry>;
	byEndpointLower: Map<string, CatalogueEntry>;
}

let catalogue: Catalogue | undefined;

/**
 * The catalogue, built on first use: most executions never touch a model, so loading the node
 * does not pay for parsing some 300 of them.
 */
function loadCatalogue(): Catalogue {
	if (catalogue) return catalogue;
	const entries = buildModelEntries();
	const byEndpoint = new Map<string, CatalogueEntry>();
	const byEndpointLower = new Map<string, CatalogueEntry>();
	for (const entry of entries) {
		byEndpoint.set(entry.endpoint, entry);
		byEndpointLower.set(entry.endpoint.toLowerCase(), entry);
	}
	catalogue = { entries, byEndpoint, byEndpointLower };
	return catalogue;
}

// ---------------------------------------------------------------------------------------------
// Lookup and search
// ---------------------------------------------------------------------------------------------

/**
 * Normalises what a user may paste as a model reference: a bare endpoint, `/openapi/v2/<endpoint>`,
 * or a full URL `https://www.runninghub.ai/openapi/v2/<endpoint>` (query/hash dropped).
 */
export function normalizeModelEndpoint(input: string): string {
	let s = String(input ?? '').trim();
	s = s.replace(/[?#].*$/, '');
	const marker = s.indexOf('/openapi/v2/');
	if (marker !== -1) s = s.slice(marker + '/openapi/v2/'.length);
	else s = s.replace(/^https?:\/\/[^/]+\//i, '');
	return s.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The catalogue entry for an endpoint (exact, then case-insensitive), or undefined. */
export function findModel(endpoint: string): CatalogueEntry | undefined {
	const key = normalizeModelEndpoint(endpoint);
	if (!key) return undefined;
	const { byEndpoint, byEndpointLower } = loadCatalogue();
	return byEndpoint.get(key) ?? byEndpointLower.get(key.toLowerCase());
}

export interface SearchModelsOptions {
	/** Include deprecated entries (listed last). Default true. */
	includeDeprecated?: boolean;
	category?: ModelCategory;
	outputType?: ModelOutputType;
	provider?: string;
}

function normalizeText(s: string): string {
	return s
		.toLowerCase()
		.replace(/[\s_\-/·()[\],:]+/g, ' ')
		.trim();
}

const HAYSTACK = new Map<CatalogueEntry, string>();
function haystackOf(entry: CatalogueEntry): string {
	let h = HAYSTACK.get(entry);
	if (h === undefined) {
		const { endpoint, name, provider, category, outputType, docName } = entry;
		const fields = [endpoint, name, provider, category, outputType, docName ?? ''];
		h = ` ${normalizeText(fields.join(' '))} `;
		HAYSTACK.set(entry, h);
	}
	return h;
}

const NOT_FEATURED = Number.MAX_SAFE_INTEGER;

function compareEntries(a: CatalogueEntry, b: CatalogueEntry): number {
	if (a.deprecated !== b.deprecated) return a.deprecated ? 1 : -1;
	const byFeatured = (a.featured ?? NOT_FEATURED) - (b.featured ?? NOT_FEATURED);
	if (byFeatured) return byFeatured;
	const byProvider = a.provider.localeCompare(b.provider, 'en');
	if (byProvider !== 0) return byProvider;
	const byName = a.name.localeCompare(b.name, 'en', { numeric: true });
	if (byName !== 0) return byName;
	return a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0;
}

/**
 * Case-insensitive search over endpoint, name, provider, category, output type and doc name.
 * Every word of the filter must match (separators `-`, `/`, `_` are treated as spaces, so
 * `nano-banana` finds "Nano Banana"). Results: exact endpoint, endpoint prefix, whole-phrase
 * matches, then word matches; within a tier non-deprecated first, then featured models (the
 * most-used families' flagships), then by provider and name. Without a filter all (matching)
 * entries are returned in that order.
 */
export function searchModels(filter?: string, options: SearchModelsOptions = {}): CatalogueEntry[] {
	const includeDeprecated = options.includeDeprecated !== false;
	const provider = options.provider?.toLowerCase();
	const candidates = loadCatalogue().entries.filter(
		(e) =>
			(includeDeprecated || !e.deprecated) &&
			(!options.category || e.category === options.category) &&
			(!options.outputType || e.outputType === options.outputType) &&
			(!provider || e.provider.toLowerCase() === provider),
	);
	const raw = (filter ?? '').trim();
	if (!raw) return candidates.slice().sort(compareEntries);

	const endpointQuery = normalizeModelEndpoint(raw).toLowerCase();
	const phrase = normalizeText(raw);
	const words = phrase.split(' ').filter(Boolean);
	const scored: Array<{ entry: CatalogueEntry; score: number }> = [];
	for (const entry of candidates) {
		const endpoint = entry.endpoint.toLowerCase();
		const hay = haystackOf(entry);
		let score: number;
		if (endpoint === endpointQuery) score = 0;
		else if (endpoint.startsWith(endpointQuery)) score = 1;
		else if (phrase && hay.includes(` ${phrase}`)) score = 2;
		else if (phrase && hay.includes(phrase)) score = 3;
		else if (words.length && words.every((w) => hay.includes(w))) score = 4;
		else continue;
		scored.push({ entry, score });
	}
	scored.sort((a, b) => a.score - b.score || compareEntries(a.entry, b.entry));
	return scored.map((s) => s.entry);
}

// ---------------------------------------------------------------------------------------------
// Coercion and validation: the registry's parameter types and limits
// ---------------------------------------------------------------------------------------------

const MEDIA_URL = /^(https?:\/\/\S+|data:[^,]*,[\s\S]*|asset:\/\/\S+)$/i;

/**
 * Why a value cannot be sent for a parameter (the text after `Parameter "<field>"`). Converters
 * return it instead of throwing, so a request's problems are collected, not caught.
 */
class Rejection {
	constructor(readonly reason: string) {}
}

function show(value: unknown): string {
	let s: string;
	if (typeof value === 'string') s = JSON.stringify(value);
	else if (value === undefined) s = 'nothing';
	else {
		try {
			s = JSON.stringify(value) ?? String(value);
		} catch {
			s = String(value);
		}
	}
	return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isMissing(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.every((v) => isMissing(v));
	return false;
}

function rangeText(param: CatalogueParam): string {
	if (param.min !== undefined && param.max !== undefined)
		return `between ${param.min} and ${param.max}`;
	if (param.min !== undefined) return `at least ${param.min}`;
	return `at most ${param.max}`;
}

function toNumber(param: CatalogueParam, value: unknown, integer: boolean): number | Rejection {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (
		typeof value === 'string' &&
		value.trim() !== '' &&
		/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())
	) {
		n = Number(value.trim());
	} else {
		return new Rejection(`must be a ${integer ? 'whole number' : 'number'} (got ${show(value)})`);
	}
	if (!Number.isFinite(n)) return new Rejection(`must be a finite number (got ${show(value)})`);
	if (integer && !Number.isInteger(n)) {
		return new Rejection(`must be a whole number (got ${show(value)})`);
	}
	if ((param.min !== undefined && n < param.min) || (param.max !== undefined && n > param.max)) {
		return new Rejection(`must be ${rangeText(param)} (got ${n})`);
	}
	return n;
}

function toBoolean(value: unknown): boolean | Rejection {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (s === 'true' || s === '1') return true;
		if (s === 'false' || s === '0') return false;
	}
	return new Rejection(`must be true or false (got ${show(value)})`);
}

function optionList(param: CatalogueParam): string {
	const options = param.options ?? [];
	const shown = options.slice(0, 12).map((o) => JSON.stringify(o.value));
	return options.length > 12
		? `${shown.join(', ')}, … (${options.length} options)`
		: shown.join(', ');
}

function toListValue(param: CatalogueParam, value: unknown): string | Rejection {
	const notAnOption = () =>
		new Rejection(`must be one of ${optionList(param)} (got ${show(value)})`);
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
		return notAnOption();
	}
	const s = String(value).trim();
	const options = param.options ?? [];
	if (!options.length) return s;
	const exact = options.find((o) => o.value === s);
	if (exact) return exact.value;
	const lower = s.toLowerCase();
	const loose = options.find(
		(o) => o.value.toLowerCase() === lower || o.name.toLowerCase() === lower,
	);
	return loose ? loose.value : notAnOption();
}

/** A multi-select LIST: an array, a JSON array string or comma-separated options → its options. */
function toListValues(param: CatalogueParam, value: unknown): string[] | undefined | Rejection {
	let items: unknown[];
	if (Array.isArray(value)) items = value;
	else if (typeof value === 'string') {
		const text = value.trim();
		let parsed: unknown;
		if (text.startsWith('[')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = undefined;
			}
		}
		items = Array.isArray(parsed) ? parsed : text.split(',');
	} else items = [value];
	const values: string[] = [];
	for (const item of items) {
		if (item === undefined || item === null || String(item).trim() === '') continue;
		const one = toListValue(param, item);
		if (one instanceof Rejection) return one;
		if (!values.includes(one)) values.push(one);
	}
	return values.length ? values : undefined;
}

function toText(param: CatalogueParam, value: unknown): string | Rejection {
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
		return new Rejection(`must be text (got ${show(value)})`);
	}
	const s = String(value);
	if (param.maxLength !== undefined && s.length > param.maxLength) {
		return new Rejection(
			`is too long (${s.length} characters, max ${param.maxLength}); shorten it`,
		);
	}
	return s;
}

/**
 * Splits several media references given as one string: a JSON array, or items separated by newlines
 * or by commas. Commas only separate items when followed by a scheme (URL, data URI, or the node's
 * `binary:` reference), so the commas inside data: URIs stay intact.
 */
export function splitMediaList(value: string): string[] {
	const s = value.trim();
	if (s.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(s);
			if (Array.isArray(parsed)) return parsed.map((v) => String(v));
		} catch {
			// not JSON: split as text
		}
	}
	return s
		.split(/\r?\n|,(?=\s*(?:https?:|data:|asset:|binary:))/i)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

function toMedia(param: CatalogueParam, value: unknown): string | string[] | undefined | Rejection {
	let items: unknown[];
	if (Array.isArray(value)) items = value;
	else if (typeof value === 'string') items = param.multiple ? splitMediaList(value) : [value];
	else {
		const kind = param.multiple ? 'a media URL or a list of URLs' : 'a media URL';
		return new Rejection(`must be ${kind} (got ${show(value)})`);
	}
	const urls: string[] = [];
	for (const item of items) {
		if (item === undefined || item === null) continue;
		if (typeof item !== 'string') {
			return new Rejection(`must contain only URL strings (got ${show(item)})`);
		}
		const url = item.trim();
		if (!url) continue;
		if (!MEDIA_URL.test(url)) {
			return new Rejection(
				`must be a public http(s) URL, a data: URI or an asset:// reference (got ${show(url)}); ` +
					'upload local files first (File → Upload) and pass the returned URL',
			);
		}
		urls.push(url);
	}
	if (!urls.length) return undefined;
	if (!param.multiple) {
		return urls.length > 1 ? new Rejection(`takes a single URL (got ${urls.length})`) : urls[0];
	}
	if (param.maxItems !== undefined && urls.length > param.maxItems) {
		const plural = param.maxItems === 1 ? '' : 's';
		return new Rejection(`accepts at most ${param.maxItems} URL${plural} (got ${urls.length})`);
	}
	return urls;
}

/** Image, video or audio: sent as URLs, and fillable from a binary property by the node. */
export function isMediaParam(param: CatalogueParam | undefined): boolean {
	return param !== undefined && (MEDIA_PARAM_TYPES as readonly string[]).includes(param.type);
}

function requiredRejection(param: CatalogueParam): Rejection {
	let kind = 'a value';
	if (isMediaParam(param)) {
		const article = param.type === 'IMAGE' || param.type === 'AUDIO' ? 'an' : 'a';
		const several = param.multiple ? ' (or several)' : '';
		kind = `${article} ${param.type.toLowerCase()} URL${several}`;
	} else if (param.type === 'LIST' && param.options?.length) {
		kind = `one of ${optionList(param)}`;
	}
	return new Rejection(`is required: provide ${kind}`);
}

/**
 * Converts one user value to the JSON the API expects for `param`:
 * LIST → string (numbers/booleans stringified, checked against the options, case-insensitive match
 * returns the canonical option; a multi-select LIST → array of such strings), BOOLEAN → true/false
 * (accepts "true"/"false"/1/0), INT → integer, FLOAT → number (both range-checked), STRING → string
 * (maxLength-checked), media → URL string, or an array of URLs for `multiple` params (accepts an
 * array, a JSON array string, or a newline/comma separated string).
 *
 * Returns `undefined` when the field should be omitted (empty optional value). A missing required
 * LIST/INT/FLOAT/BOOLEAN value falls back to the registry default; any other missing required value
 * and any invalid value gives a `Rejection` saying what to provide.
 */
function coerceParameter(param: CatalogueParam, value: unknown): unknown {
	if (isMissing(value)) {
		if (!param.required) return undefined;
		if (param.default !== undefined && param.type !== 'STRING' && !isMediaParam(param)) {
			return coerceParameter(param, param.default);
		}
		return requiredRejection(param);
	}
	switch (param.type) {
		case 'LIST': {
			if (!param.multiSelect) return toListValue(param, value);
			const values = toListValues(param, value);
			return values === undefined && param.required ? requiredRejection(param) : values;
		}
		case 'BOOLEAN':
			return toBoolean(value);
		case 'INT':
			return toNumber(param, value, true);
		case 'FLOAT':
			return toNumber(param, value, false);
		case 'STRING':
			return toText(param, value);
		case 'IMAGE':
		case 'VIDEO':
		case 'AUDIO': {
			const media = toMedia(param, value);
			return media === undefined && param.required ? requiredRejection(param) : media;
		}
		default:
			return new Rejection(`has an unsupported type ${show((param as CatalogueParam).type)}`);
	}
}

export interface BuildModelRequestOptions {
	/**
	 * What to do with keys of `values` that the entry does not define: `error` (default when the
	 * entry
	 * has params), `passthrough` (sent unchanged; default for entries whose schema is empty) or
	 * `drop`.
	 */
	unknownParams?: 'error' | 'passthrough' | 'drop';
}

export interface ModelRequestResult {
	body: Record<string, unknown>;
	issues: CatalogueIssue[];
}

/**
 * Validates all values for a model and builds the JSON body, collecting every problem instead of
 * stopping at the first; each issue names its field and the fix. Keys are emitted in registry
 * order; omitted optional fields are left out.
 */
export function validateModelRequest(
	entry: CatalogueEntry,
	values: Record<string, unknown>,
	options: BuildModelRequestOptions = {},
): ModelRequestResult {
	const body: Record<string, unknown> = {};
	const issues: CatalogueIssue[] = [];
	const input = values ?? {};
	const known = new Set<string>();
	for (const param of entry.params) {
		known.add(param.field);
		const value = coerceParameter(param, input[param.field]);
		if (value instanceof Rejection) {
			issues.push({ field: param.field, message: `Parameter "${param.field}" ${value.reason}` });
		} else if (value !== undefined) body[param.field] = value;
	}
	const unknownMode = options.unknownParams ?? (entry.params.length ? 'error' : 'passthrough');
	for (const key of Object.keys(input)) {
		if (known.has(key) || input[key] === undefined) continue;
		if (unknownMode === 'passthrough') body[key] = input[key];
		else if (unknownMode === 'error') {
			const names = entry.params.map((p) => p.field).join(', ');
			issues.push({
				field: key,
				message:
					`Parameter "${key}" is not defined for model "${entry.endpoint}" ` +
					`(known parameters: ${names})`,
			});
		}
	}
	return { body, issues };
}

/**
 * Human-readable label for a body key: `aspectRatio` → "Aspect Ratio", `voice_id` → "Voice ID",
 * `imageUrls` → "Image URLs".
 */
export function paramDisplayName(key: string): string {
	const field = key.includes('##') ? key.slice(key.indexOf('##') + 2) : key;
	const words = field
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_\-.]+/g, ' ')
		.trim()
		.split(/\s+/)
		.filter(Boolean);
	const special: Record<string, string> = {
		id: 'ID',
		url: 'URL',
		urls: 'URLs',
		pbr: 'PBR',
		cfg: 'CFG',
		fps: 'FPS',
		tts: 'TTS',
		lora: 'LoRA',
		aigc: 'AIGC',
	};
	const label = words
		.map((w) => special[w.toLowerCase()] ?? w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');
	return label || key;
}
