import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	ResourceMapperValue,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CatalogueEntry, CatalogueIssue, CatalogueParam } from '../../catalogue';
import {
	findModel,
	isMediaParam,
	normalizeModelEndpoint,
	splitMediaList,
	validateModelRequest,
} from '../../catalogue';
import { BINARY_PREFIX, binaryPropertyOf } from '../../helpers/nodeInfo';
import { getBinaryMetadataOf, uploadBinaryProperty } from '../../helpers/upload';

/**
 * What a hand-typed endpoint must look like: the part after `/openapi/v2/`, lowercase path segments
 * (`vendor/model/task`); a trailing `-[Deprecated]` tag is tolerated because the registry uses it.
 */
const SEGMENT = '[a-z0-9][a-z0-9._-]*(?:-\\[[A-Za-z]+\\])?';
export const ENDPOINT_PATH_REGEX = `^${SEGMENT}(?:/${SEGMENT})*$`;
const ENDPOINT_PATH = new RegExp(ENDPOINT_PATH_REGEX);
/** Accepted in the UI too: a pasted `/openapi/v2/...` path or full URL, stripped at run time. */
const ENDPOINT_INPUT_REGEX = `^\\s*(?:https?://[^/\\s]+)?/?(?:openapi/v2/)?${SEGMENT}(?:/${SEGMENT})*/?\\s*$`;

/** First path segments of /openapi/v2 that are not models: sending a model body there would do something else. */
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

export function modelEndpointField(operations: string[]): INodeProperties {
	return {
		displayName: 'Model',
		name: 'modelEndpoint',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The hosted model to run. The Standard Model API needs an Enterprise-Shared API key.',
		displayOptions: { show: { resource: ['model'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model…',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'Endpoint Path',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. kling-v2.6-pro/text-to-video',
				hint: 'The part of the model URL after /openapi/v2/, for models newer than the built-in list',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: ENDPOINT_INPUT_REGEX,
							errorMessage:
								'Enter lowercase path segments like vendor/model/task (the part after /openapi/v2/)',
						},
					},
				],
			},
		],
	};
}

export function modelParameterFields(operations: string[]): INodeProperties[] {
	const displayOptions = { show: { resource: ['model'], operation: operations } };
	return [
		{
			displayName: 'Model Parameters',
			name: 'modelParameters',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['modelEndpoint.value'],
				resourceMapper: {
					resourceMapperMethod: 'getModelParameters',
					mode: 'add',
					valuesLabel: 'Model Parameters',
					fieldWords: { singular: 'parameter', plural: 'parameters' },
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: false,
					noFieldsError:
						'No parameters are known for this model: put its parameters in Additional Parameters (JSON)',
					// a list saved by an older version (other labels) is refreshed quietly, keeping the
					// user's rows, instead of showing "outdated"
					refreshStaleSchemaOnOpen: true,
				},
			},
			displayOptions,
		},
		{
			displayName: 'Look Up Parameter Name or ID',
			name: 'modelParameterGuide',
			type: 'options',
			typeOptions: {
				loadOptionsMethod: 'getModelParameterGuide',
				loadOptionsDependsOn: ['modelEndpoint.value'],
			},
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'Open the list to read what each parameter of this model does and accepts. Nothing chosen here is sent.',
			displayOptions,
		},
		{
			displayName: `Image, video and audio parameters take a public URL, or <code>${BINARY_PREFIX}data</code> to upload the file in the binary property "data" of the input item. Fields taking several files accept a comma-separated list.`,
			name: 'modelMediaNotice',
			type: 'notice',
			default: '',
			displayOptions,
		},
		{
			displayName: 'Additional Parameters (JSON)',
			name: 'additionalParameters',
			type: 'json',
			default: '{}',
			description:
				'A JSON object merged into the request body: parameters the list above does not know, or every parameter of a model typed as an endpoint path. Overrides fields of the same name.',
			displayOptions,
		},
	];
}

export interface ResolvedModel {
	endpoint: string;
	/** Undefined for an endpoint typed by hand that the catalogue does not know. */
	entry: CatalogueEntry | undefined;
}

/** The chosen model: list mode must name a catalogue model; a typed path must look like an endpoint. */
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
					'Choose a model from the list again, or switch Model to "Endpoint Path" and enter the path after /openapi/v2/ to run a model the list does not know yet.',
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
				'Enter the part of the model URL after /openapi/v2/, in lowercase path segments like "kling-v2.6-pro/text-to-video" (copy it from the model\'s API page on RunningHub).',
		});
	}
	return { endpoint, entry };
}

function parseAdditionalParameters(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter('additionalParameters', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(
				context.getNode(),
				`Additional Parameters (JSON) is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description:
						'Enter a JSON object such as {"seed": 42}, with double-quoted keys and strings.',
				},
			);
		}
	}
	if (value === null || value === undefined) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`Additional Parameters (JSON) must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
			{
				itemIndex,
				description:
					'Enter a JSON object such as {"seed": 42}; its keys are added to the request body.',
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
			: `${issues.length} model parameters are invalid: ${issues.map((issue) => issue.message).join('; ')}`;
	return new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: `Fix ${fields.map((field) => `"${field}"`).join(', ')} in Model Parameters (or in Additional Parameters (JSON)) for model "${endpoint}". Nothing was sent to RunningHub.`,
	});
}

/**
 * The request body for the model: mapped values merged with Additional Parameters (JSON), typed and
 * checked against the catalogue (§10.2), binary references uploaded and replaced by download URLs.
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
				`Model Parameters contain ${stale.map((key) => `"${key}"`).join(', ')}, which model "${endpoint}" does not have`,
				{
					itemIndex,
					description: `Refresh Model Parameters after changing the model (known parameters: ${entry.params.map((p) => p.field).join(', ')}), or move extra fields to Additional Parameters (JSON).`,
				},
			);
		}
	}
	const values: IDataObject = { ...mapped, ...additional };

	// Binary references: collected per key, checked to exist, replaced by placeholders for validation.
	const uploads = new Map<string, { key: string; url: string }>();
	const placeholder = (property: string) =>
		`https://binary.invalid/${encodeURIComponent(property)}`;
	const withPlaceholders: IDataObject = {};
	const binaryKeys: string[] = [];
	for (const [key, value] of Object.entries(values)) {
		const param = paramsByKey.get(key);
		if (param && !isMediaParam(param)) {
			withPlaceholders[key] = value;
			continue;
		}
		const items = mediaItems(param, value);
		if (!items || !items.some((item) => binaryPropertyOf(item) !== undefined)) {
			withPlaceholders[key] = value;
			continue;
		}
		const replaced = items.map((item) => {
			const property = binaryPropertyOf(item);
			if (property === undefined) return item;
			getBinaryMetadataOf(context, itemIndex, property, { fieldLabel: fieldLabel(key) });
			if (!uploads.has(property)) uploads.set(property, { key, url: '' });
			return placeholder(property);
		});
		withPlaceholders[key] = (
			param?.multiple || Array.isArray(value) ? replaced : replaced[0]
		) as IDataObject[keyof IDataObject];
		binaryKeys.push(key);
	}

	const check = entry
		? validateModelRequest(entry, withPlaceholders, { unknownParams: 'passthrough' })
		: { body: withPlaceholders, issues: [] };
	if (check.issues.length) throw issuesError(context, itemIndex, endpoint, check.issues);

	for (const [property, upload] of uploads) {
		const key = upload.key;
		const uploaded = await uploadBinaryProperty(context, itemIndex, property, {
			target: 'media',
			fieldLabel: fieldLabel(key),
		});
		if (!uploaded.downloadUrl) {
			throw new NodeOperationError(
				context.getNode(),
				`${fieldLabel(key)}: RunningHub stored binary property "${property}" but returned no download URL`,
				{
					itemIndex,
					description: 'Try again; model parameters need the download URL of the uploaded file.',
				},
			);
		}
		upload.url = uploaded.downloadUrl;
	}

	const body: IDataObject = {};
	for (const [key, value] of Object.entries(check.body)) {
		body[key] = binaryKeys.includes(key)
			? substitute(value, uploads, placeholder)
			: (value as IDataObject[keyof IDataObject]);
	}
	return body;
}

function substitute(
	value: unknown,
	uploads: Map<string, { key: string; url: string }>,
	placeholder: (property: string) => string,
): IDataObject[keyof IDataObject] {
	const swap = (item: unknown) => {
		for (const [property, upload] of uploads) if (item === placeholder(property)) return upload.url;
		return item;
	};
	return (Array.isArray(value) ? value.map(swap) : swap(value)) as IDataObject[keyof IDataObject];
}
