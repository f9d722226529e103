import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CatalogueEntry, CatalogueIssue, CatalogueParam } from '../catalogue';
import {
	findModel,
	isMediaParam,
	normalizeModelEndpoint,
	splitMediaList,
	validateModelRequest,
} from '../catalogue';
import type { BinaryReference } from './binaryReferences';
import {
	binaryPropertyOf,
	checkBinaryReferences,
	uploadBinaryReferences,
} from './binaryReferences';
import { ENDPOINT_SEGMENT } from './constants';
import type { FileLimits } from './fileLimits';
import { formatBytes, formatProblem, modelParamLimits, sizeProblem, urlFileOf } from './fileLimits';
import { jsonKind, parseJsonParameter } from './jsonParameter';

/*
 * Standard Model API requests (`POST /openapi/v2/<endpoint>`): which model, and the body built from
 * Model Parameters and Additional Parameters (JSON), checked against the built-in catalogue.
 */

/** What a hand-typed endpoint must look like: the part after `/openapi/v2/`. */
const ENDPOINT_PATH = new RegExp(`^${ENDPOINT_SEGMENT}(?:/${ENDPOINT_SEGMENT})*$`);

/**
 * First path segments of /openapi/v2 that are not models: sending a model body there would do
 * something else.
 */
const RESERVED_SEGMENTS = [
	'query',
	'run',
	'media',
	'price-preview',
	'queue',
	'api-key',
	'resource',
	'aiapp',
];

export interface ResolvedModel {
	endpoint: string;
	/** Undefined for an endpoint typed by hand that the catalogue does not know. */
	entry: CatalogueEntry | undefined;
}

/**
 * The chosen model: list mode must name a catalogue model; a typed path must look like an endpoint.
 */
export function getModelEndpoint(context: IExecuteFunctions, itemIndex: number): ResolvedModel {
	const locator = context.getNodeParameter('modelEndpoint', itemIndex) as
		| { mode?: string; value?: unknown }
		| string;
	const mode = typeof locator === 'object' && locator !== null ? (locator.mode ?? 'id') : 'id';
	const raw = String(
		(typeof locator === 'object' && locator !== null ? locator.value : locator) ?? '',
	).trim();
	const node = context.getNode();
	if (raw === '') {
		throw new NodeOperationError(
			node,
			'Model is empty: choose a model from the list or enter its endpoint path',
			{ itemIndex },
		);
	}
	const entry = findModel(raw);
	if (mode === 'list') {
		if (!entry) {
			throw new NodeOperationError(node, `Model "${raw}" is not in the built-in model list`, {
				itemIndex,
				description:
					'Choose a model from the list again, or switch Model to "Endpoint Path" and enter the ' +
					'path after /openapi/v2/ to run a model the list does not know yet.',
			});
		}
		return { endpoint: entry.endpoint, entry };
	}
	const endpoint = entry?.endpoint ?? normalizeModelEndpoint(raw);
	if (
		!entry &&
		(!ENDPOINT_PATH.test(endpoint) || RESERVED_SEGMENTS.includes(endpoint.split('/')[0]))
	) {
		throw new NodeOperationError(node, `Model endpoint path "${raw}" is not a model endpoint`, {
			itemIndex,
			description:
				'Enter the part of the model URL after /openapi/v2/, in lowercase path segments like ' +
				'"kling-v2.6-pro/text-to-video" (copy it from the model\'s API page on RunningHub).',
		});
	}
	return { endpoint, entry };
}

function parseAdditionalParameters(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const value = parseJsonParameter(
		context.getNode(),
		context.getNodeParameter('additionalParameters', itemIndex, '{}'),
		{
			label: 'Additional Parameters (JSON)',
			itemIndex,
			fix: 'Enter a JSON object such as {"seed": 42}, with double-quoted keys and strings.',
		},
	);
	if (value === null || value === undefined) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`Additional Parameters (JSON) must be a JSON object, got ${jsonKind(value)}`,
			{
				itemIndex,
				description:
					'Enter a JSON object such as {"seed": 42}; its keys are added to the request body.',
			},
		);
	}
	if ('webhookUrl' in value) {
		throw new NodeOperationError(
			context.getNode(),
			'Additional Parameters (JSON) cannot set "webhookUrl"',
			{
				itemIndex,
				description:
					'Set the callback address in Options › Webhook URL (it is checked there), or use Wait ' +
					'Mode "Wait for Callback". Remove "webhookUrl" from Additional Parameters.',
			},
		);
	}
	return value as IDataObject;
}

function readMappedValues(context: IExecuteFunctions, itemIndex: number): IDataObject {
	// Read as a whole: n8n then skips its own per-field checks, so the catalogue's checks (which name
	// the field and the allowed values) are the ones users see.
	const mapper = context.getNodeParameter(
		'modelParameters',
		itemIndex,
		null,
	) as ResourceMapperValue | null;
	const values = mapper?.value ?? {};
	return { ...(values as IDataObject) };
}

/**
 * Media values with their binary references found: a list for multi-file params (and for any
 * list-valued unknown key), a single value otherwise.
 */
function mediaItems(param: CatalogueParam | undefined, value: unknown): unknown[] | undefined {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return undefined;
	if (param?.multiple) return splitMediaList(value);
	return [value];
}

function fieldLabel(key: string): string {
	return `Model parameter "${key}"`;
}

function issuesError(
	context: IExecuteFunctions,
	itemIndex: number,
	endpoint: string,
	issues: CatalogueIssue[],
): NodeOperationError {
	const fields = [...new Set(issues.map((issue) => issue.field))];
	const message =
		issues.length === 1
			? issues[0].message
			: `${issues.length} model parameters are invalid: ` +
				`${issues.map((issue) => issue.message).join('; ')}`;
	return new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description:
			`Fix ${fields.map((field) => `"${field}"`).join(', ')} in Model Parameters (or ` +
			`in Additional Parameters (JSON)) for model "${endpoint}". Nothing was sent to RunningHub.`,
	});
}

/** Stands in for an upload's URL while the catalogue checks the body (it wants a URL there). */
function placeholderUrl(property: string): string {
	return `https://binary.invalid/${encodeURIComponent(property)}`;
}

function shortUrl(url: string): string {
	return url.length > 60 ? `${url.slice(0, 57)}...` : url;
}

/**
 * Media URLs that show a file the model does not take: a data: URI over the parameter's size or of
 * another type, a link whose path names another media type. Links that show nothing are sent.
 */
function mediaUrlIssues(
	endpoint: string,
	entry: CatalogueEntry,
	body: IDataObject,
	placeholders: Set<string>,
): CatalogueIssue[] {
	const issues: CatalogueIssue[] = [];
	for (const param of entry.params) {
		if (!isMediaParam(param) || body[param.field] === undefined) continue;
		const limits: FileLimits = modelParamLimits(endpoint, param);
		const value = body[param.field];
		for (const url of Array.isArray(value) ? value : [value]) {
			if (typeof url !== 'string' || placeholders.has(url)) continue;
			const file = urlFileOf(url);
			const isData = url.toLowerCase().startsWith('data:');
			const what = isData
				? `a ${file.format ? `${file.format} ` : ''}data: URI of ` +
					`${formatBytes(file.bytes ?? 0)} (${file.bytes ?? 0} bytes)`
				: `"${shortUrl(url)}"${file.format ? ` (${file.format})` : ''}`;
			// A link that shows no type may serve anything: RunningHub judges it when it fetches it.
			const problem =
				(isData || file.format !== undefined ? formatProblem(file.format, limits) : undefined) ??
				(file.bytes !== undefined ? sizeProblem(file.bytes, limits) : undefined);
			if (problem)
				issues.push({
					field: param.field,
					message: `Parameter "${param.field}" got ${what}: ${problem}`,
				});
		}
	}
	return issues;
}

/**
 * The request body for the model: mapped values merged with Additional Parameters (JSON), typed and
 * checked against the catalogue, binary references uploaded and replaced by download URLs.
 * Everything is checked before the first upload, so a bad value never costs a request.
 */
export async function buildModelBody(
	context: IExecuteFunctions,
	itemIndex: number,
	model: ResolvedModel,
): Promise<IDataObject> {
	const { endpoint, entry } = model;
	// The mapper offers no fields for endpoints the catalogue does not know, so anything in it is
	// left over from a previously chosen model.
	const mapped = entry ? readMappedValues(context, itemIndex) : {};
	const additional = parseAdditionalParameters(context, itemIndex);
	const paramsByKey = new Map((entry?.params ?? []).map((param) => [param.field, param]));

	if (entry && entry.params.length) {
		const stale = Object.keys(mapped).filter(
			(key) =>
				!paramsByKey.has(key) &&
				mapped[key] !== null &&
				mapped[key] !== '' &&
				mapped[key] !== undefined,
		);
		if (stale.length) {
			throw new NodeOperationError(
				context.getNode(),
				`Model Parameters contain ${stale.map((key) => `"${key}"`).join(', ')}, which model ` +
					`"${endpoint}" does not have`,
				{
					itemIndex,
					description:
						`Refresh Model Parameters after changing the model (known parameters: ` +
						`${entry.params.map((p) => p.field).join(', ')}), or move extra fields to ` +
						`Additional Parameters (JSON).`,
				},
			);
		}
	}
	const values: IDataObject = { ...mapped, ...additional };

	// Binary references are replaced by placeholder URLs, so the catalogue checks everything else
	// before any upload; the placeholders are swapped for the uploads' URLs at the end.
	const references: BinaryReference[] = [];
	const withPlaceholders: IDataObject = {};
	const binaryKeys = new Set<string>();
	for (const [key, value] of Object.entries(values)) {
		const param = paramsByKey.get(key);
		const items = param && !isMediaParam(param) ? undefined : mediaItems(param, value);
		if (!items || !items.some((item) => binaryPropertyOf(item) !== undefined)) {
			withPlaceholders[key] = value;
			continue;
		}
		const limits = param && entry ? [modelParamLimits(entry.endpoint, param)] : undefined;
		const replaced = items.map((item) => {
			const property = binaryPropertyOf(item);
			if (property === undefined) return item;
			references.push({ property, fieldLabel: fieldLabel(key), limits });
			return placeholderUrl(property);
		});
		withPlaceholders[key] = (
			param?.multiple || Array.isArray(value) ? replaced : replaced[0]
		) as IDataObject[keyof IDataObject];
		binaryKeys.add(key);
	}
	await checkBinaryReferences(context, itemIndex, references);

	const check = entry
		? validateModelRequest(entry, withPlaceholders, { unknownParams: 'passthrough' })
		: { body: withPlaceholders, issues: [] };
	if (entry) {
		const placeholders = new Set(references.map(({ property }) => placeholderUrl(property)));
		check.issues.push(...mediaUrlIssues(endpoint, entry, check.body as IDataObject, placeholders));
	}
	if (check.issues.length) throw issuesError(context, itemIndex, endpoint, check.issues);

	const files = await uploadBinaryReferences(context, itemIndex, references);
	const urls = new Map<string, string>();
	for (const { property, fieldLabel: label } of references) {
		const downloadUrl = files.get(property)?.downloadUrl;
		if (!downloadUrl) {
			throw new NodeOperationError(
				context.getNode(),
				`${label}: RunningHub stored binary property "${property}" but returned no download URL`,
				{
					itemIndex,
					description: 'Try again; model parameters need the download URL of the uploaded file.',
				},
			);
		}
		urls.set(placeholderUrl(property), downloadUrl);
	}

	const swap = (item: unknown) => (typeof item === 'string' ? (urls.get(item) ?? item) : item);
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(check.body)) {
		body[key] = (
			binaryKeys.has(key) ? (Array.isArray(value) ? value.map(swap) : swap(value)) : value
		) as IDataObject[keyof IDataObject];
	}
	return body;
}
