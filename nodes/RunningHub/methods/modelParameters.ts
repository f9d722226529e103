import type {
	FieldType,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { CatalogueParam } from '../catalogue';
import { findModel, isMediaParam, paramDisplayName } from '../catalogue';
import { BINARY_PREFIX } from '../helpers/constants';

function fieldType(param: CatalogueParam): FieldType {
	switch (param.type) {
		case 'LIST':
			if (param.multiSelect) return 'array';
			return param.options?.length ? 'options' : 'string';
		case 'BOOLEAN':
			return 'boolean';
		case 'INT':
		case 'FLOAT':
			return 'number';
		case 'STRING':
			return param.options?.length ? 'options' : 'string';
		default:
			return 'string';
	}
}

/** Hints in the label, since mapper fields have no description: bounds, and how media is given. */
function fieldLabel(param: CatalogueParam): string {
	const label = param.label ?? paramDisplayName(param.field);
	if (param.type === 'INT' || param.type === 'FLOAT') {
		if (param.min !== undefined && param.max !== undefined)
			return `${label} (${param.min}–${param.max})`;
		if (param.min !== undefined) return `${label} (≥ ${param.min})`;
		if (param.max !== undefined) return `${label} (≤ ${param.max})`;
		return label;
	}
	if (param.multiSelect) {
		const choices = (param.options ?? []).map((option) => option.value).join(', ');
		return `${label} (one or more of: ${choices})`;
	}
	if (param.type === 'IMAGE' || param.type === 'VIDEO' || param.type === 'AUDIO') {
		if (!param.multiple) return `${label} (URL or ${BINARY_PREFIX}property)`;
		const max = param.maxItems !== undefined ? `, max ${param.maxItems}` : '';
		return `${label} (URLs or ${BINARY_PREFIX}property, comma-separated${max})`;
	}
	return label;
}

export function modelParameterField(param: CatalogueParam): ResourceMapperField {
	const field: ResourceMapperField = {
		id: param.field,
		displayName: fieldLabel(param),
		required: param.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: fieldType(param),
	};
	if (field.type === 'options')
		field.options = (param.options ?? []).map((option) => ({
			name: option.name,
			value: option.value,
		}));
	if (param.default !== undefined)
		field.defaultValue = param.multiSelect ? JSON.stringify([param.default]) : param.default;
	return field;
}

function endpointOf(context: ILoadOptionsFunctions): string {
	const locator = (context.getCurrentNodeParameter('modelEndpoint') ??
		context.getNodeParameter('modelEndpoint', '')) as { value?: unknown } | string;
	return String(
		(typeof locator === 'object' && locator !== null ? locator.value : locator) ?? '',
	).trim();
}

/**
 * Model › Generate: the chosen model's parameters from the catalogue, required first; none for
 * unknown endpoints.
 */
export async function getModelParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const endpoint = endpointOf(this);
	const entry = endpoint ? findModel(endpoint) : undefined;
	if (!entry) {
		return {
			fields: [],
			emptyFieldsNotice: endpoint
				? `The model "${endpoint}" is not in the built-in list, so its parameters are unknown: ` +
					`enter them in Additional Parameters (JSON).`
				: 'Choose a model first.',
		};
	}
	if (!entry.params.length) {
		return {
			fields: [],
			emptyFieldsNotice:
				`RunningHub publishes no parameter list for "${entry.endpoint}": enter ` +
				`its parameters in Additional Parameters (JSON).`,
		};
	}
	const ordered = [
		...entry.params.filter((p) => p.required),
		...entry.params.filter((p) => !p.required),
	];
	return { fields: ordered.map(modelParameterField) };
}

/** "Allowed: 1–4", "Allowed: 16:9, 9:16", "Several URLs, max 3": what a value must look like. */
function allowedValues(param: CatalogueParam): string {
	if (param.type === 'INT' || param.type === 'FLOAT') {
		if (param.min !== undefined && param.max !== undefined)
			return `From ${param.min} to ${param.max}.`;
		if (param.min !== undefined) return `At least ${param.min}.`;
		if (param.max !== undefined) return `At most ${param.max}.`;
		return '';
	}
	if (param.options?.length) {
		const shown = param.options.slice(0, 8).map((o) => o.value);
		const more = param.options.length > 8 ? `, … (${param.options.length} in all)` : '';
		return `${param.otherValues ? 'For example' : 'One of'}: ${shown.join(', ')}${more}.`;
	}
	const files = mediaFiles(param);
	if (param.multiple) {
		const most = param.maxItems !== undefined ? `, at most ${param.maxItems}` : '';
		return `Several URLs${most}.${files}`;
	}
	return files.trim();
}

/** " Files: JPG, PNG; at most 10 MB each." for media parameters, from the catalogue. */
function mediaFiles(param: CatalogueParam): string {
	if (!isMediaParam(param)) return '';
	const parts: string[] = [];
	if (param.accept?.length) parts.push(param.accept.join(', '));
	if (param.maxSize !== undefined) parts.push(`at most ${param.maxSize} MB each`);
	return parts.length ? ` Files: ${parts.join('; ')}.` : '';
}

/**
 * Model › Generate › Parameter Guide: one entry per parameter of the chosen model with what it
 * does and what it accepts, since the parameter list itself shows labels only.
 */
export async function getModelParameterGuide(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const endpoint = endpointOf(this);
	const entry = endpoint ? findModel(endpoint) : undefined;
	if (!entry) return [];
	return [
		...entry.params.filter((p) => p.required),
		...entry.params.filter((p) => !p.required),
	].map((param) => ({
		name: `${param.label ?? paramDisplayName(param.field)}${param.required ? ' (required)' : ''}`,
		value: param.field,
		description: [param.description, allowedValues(param), `Sent as "${param.field}".`]
			.filter(Boolean)
			.join(' '),
	}));
}
