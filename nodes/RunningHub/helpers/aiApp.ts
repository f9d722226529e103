import type { FieldType, IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { RunningHubContext } from '../transport';
import { apiRequestV1, parseEmbeddedJson } from '../transport';
import type { InputDescriptor, NodeInfo } from './interfaces';

/** One form field of an AI app, as `apiCallDemo` lists it (all values are strings). */
export interface AppField extends IDataObject {
	nodeId: string;
	nodeName: string;
	fieldName: string;
	fieldValue: string;
	fieldType: string;
	fieldData: string;
	description: string;
	descriptionEn: string;
}

export interface AppTemplate {
	webappId: string;
	webappName: string;
	/** The app asks for an access password (`accessPassword` on run). */
	accessEncrypted: boolean;
	nodeInfoList: AppField[];
}

export async function fetchAppTemplate(
	context: RunningHubContext,
	webappId: string,
): Promise<AppTemplate> {
	const data = ((await apiRequestV1.call(context, {
		method: 'GET',
		path: '/api/webapp/apiCallDemo',
		qs: { webappId },
	})) ?? {}) as IDataObject;
	const list = Array.isArray(data.nodeInfoList) ? (data.nodeInfoList as IDataObject[]) : [];
	return {
		webappId,
		webappName: String(data.webappName ?? ''),
		accessEncrypted: data.accessEncrypted === true || data.accessEncrypted === 'true',
		nodeInfoList: list.map((field) => ({
			...field,
			nodeId: String(field.nodeId ?? ''),
			nodeName: String(field.nodeName ?? ''),
			fieldName: String(field.fieldName ?? ''),
			fieldValue:
				field.fieldValue === null || field.fieldValue === undefined ? '' : String(field.fieldValue),
			fieldType: String(field.fieldType ?? 'STRING').toUpperCase(),
			fieldData:
				typeof field.fieldData === 'string'
					? field.fieldData
					: JSON.stringify(field.fieldData ?? ''),
			description: String(field.description ?? ''),
			descriptionEn: String(field.descriptionEn ?? ''),
		})),
	};
}

const MEDIA_TYPES = ['IMAGE', 'VIDEO', 'AUDIO'];

/**
 * `fieldData` is a ComfyUI widget spec: `[["a","b"], {...}]` or the newer `["COMBO", {"options":
 * ["a","b"]}]` for lists, `["INT", {min, max}]` for numbers.
 */
function widgetSpec(fieldData: string): { choices?: string[]; limits: IDataObject } {
	const spec = parseEmbeddedJson(fieldData);
	if (!Array.isArray(spec)) return { limits: {} };
	const limits =
		spec[1] && typeof spec[1] === 'object' && !Array.isArray(spec[1])
			? (spec[1] as IDataObject)
			: {};
	const comboOptions =
		spec[0] === 'COMBO' && Array.isArray(limits.options) ? limits.options : undefined;
	const choices = Array.isArray(spec[0])
		? (spec[0] as unknown[]).map(String)
		: comboOptions?.map(String);
	return { choices, limits };
}

function finite(value: unknown): number | undefined {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	return Number.isFinite(number) ? number : undefined;
}

export function appInputs(template: AppTemplate): InputDescriptor[] {
	return template.nodeInfoList.map((field) => {
		const { choices, limits } = widgetSpec(field.fieldData);
		const description = (field.descriptionEn || field.description || '').trim() || undefined;
		const base = {
			nodeId: field.nodeId,
			fieldName: field.fieldName,
			nodeLabel: field.nodeName || field.fieldType,
			classType: field.nodeName,
			description,
			media: MEDIA_TYPES.includes(field.fieldType),
		};
		let type: FieldType = 'string';
		let current: InputDescriptor['current'] = field.fieldValue;
		let options: INodePropertyOptions[] | undefined;
		let min: number | undefined;
		let max: number | undefined;
		switch (field.fieldType) {
			case 'LIST':
				if (choices?.length) {
					type = 'options';
					options = choices.map((choice) => ({ name: choice, value: choice }));
				}
				break;
			case 'INT':
			case 'FLOAT':
				type = 'number';
				current = finite(field.fieldValue) ?? null;
				min = finite(limits.min);
				max = finite(limits.max);
				break;
			case 'BOOLEAN':
			case 'SWITCH':
				type = 'boolean';
				current = /^true$/i.test(field.fieldValue.trim());
				break;
		}
		return { ...base, type, current, options, min, max };
	});
}

/** App fields are strings in RunningHub's own templates, so values are sent the same way. */
export function appNodeInfo(overrides: NodeInfo[]): NodeInfo[] {
	return overrides.map((override) => ({
		nodeId: override.nodeId,
		fieldName: override.fieldName,
		fieldValue: override.fieldValue === null ? '' : String(override.fieldValue),
	}));
}
