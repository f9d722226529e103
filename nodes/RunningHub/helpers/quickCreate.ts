import type { IDataObject } from 'n8n-workflow';

import type { RunningHubContext } from '../transport';
import { apiRequestV1 } from '../transport';
import { QUICK_CREATE_STYLE_TYPE } from './constants';
import type { NodeInfo } from './interfaces';

/** One model-library style of a Quick Create module (`modelLoar…` is RunningHub's spelling). */
export interface QuickCreateStyle extends IDataObject {
	id: string;
	modelName: string;
	modelKey: string;
	modelTrigger: string;
	content: string;
	modelPreviewUrl: string;
	loras: Array<{ fileName: string; weight: number | null }>;
}

function textOf(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

function weightOf(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const weight = Number(value);
	return Number.isFinite(weight) ? weight : null;
}

/**
 * POST /api/fast/creation/model/params: the styles (LoRA, trigger words, sample prompt) of a
 * module.
 */
export async function fetchQuickCreateStyles(
	context: RunningHubContext,
	webappId: string,
	type: number = QUICK_CREATE_STYLE_TYPE,
): Promise<QuickCreateStyle[]> {
	const data = await apiRequestV1.call(context, {
		path: '/api/fast/creation/model/params',
		body: { type, webappId },
	});
	const list = Array.isArray(data) ? (data as IDataObject[]) : [];
	return list.map((style) => ({
		id: textOf(style.id),
		modelName: textOf(style.modelName),
		modelKey: textOf(style.modelKey),
		modelTrigger: textOf(style.modelTrigger),
		content: textOf(style.content),
		modelPreviewUrl: textOf(style.modelPreviewUrl),
		loras: [
			{ fileName: textOf(style.modelLoar1FileName), weight: weightOf(style.modelLoar1Weight) },
			{ fileName: textOf(style.modelLoar2FileName), weight: weightOf(style.modelLoar2Weight) },
		].filter((lora) => lora.fileName !== ''),
	}));
}

/**
 * Puts a style's LoRA files into the module's LORA fields (fieldType "LORA"), in order. Returns
 * undefined when the list has no LORA field to take them.
 */
export function applyStyle(list: NodeInfo[], style: QuickCreateStyle): NodeInfo[] | undefined {
	const loraIndexes = list
		.map((item, index) => (String(item.fieldType ?? '').toUpperCase() === 'LORA' ? index : -1))
		.filter((index) => index >= 0);
	if (!loraIndexes.length) return undefined;
	const applied = list.map((item) => ({ ...item }));
	style.loras.forEach((lora, position) => {
		const index = loraIndexes[position];
		if (index !== undefined) applied[index].fieldValue = lora.fileName;
	});
	return applied;
}
