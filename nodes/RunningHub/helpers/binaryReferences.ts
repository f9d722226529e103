import type { IExecuteFunctions } from 'n8n-workflow';

import { BINARY_PREFIX } from './constants';
import type { FileLimits } from './fileLimits';
import type { ComfyWorkflow, NodeInfo, UploadedFile } from './interfaces';
import { checkBinaryFile, uploadBinaryProperty } from './upload';

/*
 * `binary:<property>` values: an input that names a binary property of the input item instead of
 * a file on RunningHub. Each property is uploaded once per item, even when several inputs use it,
 * and the references are then replaced by what the upload returned.
 */

/** The binary property a value refers to (`binary:data` → `data`), if it uses that syntax. */
export function binaryPropertyOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed.toLowerCase().startsWith(BINARY_PREFIX)) return undefined;
	const property = trimmed.slice(BINARY_PREFIX.length).trim();
	return property === '' ? undefined : property;
}

/**
 * A binary property an input refers to; `fieldLabel` names the input in errors, `limits` are what
 * the input takes beyond what the upload takes (a model parameter's formats and size).
 */
export interface BinaryReference {
	property: string;
	fieldLabel: string;
	limits?: FileLimits[];
}

/**
 * Fails, naming the input, when a referenced file is missing or is one RunningHub would refuse
 * (format, size); uploads nothing. Every reference is checked before the first upload.
 */
export async function checkBinaryReferences(
	context: IExecuteFunctions,
	itemIndex: number,
	references: BinaryReference[],
): Promise<void> {
	for (const { property, fieldLabel, limits } of references)
		await checkBinaryFile(context, itemIndex, property, { target: 'media', fieldLabel, limits });
}

/** Uploads each referenced property once (media endpoint), in the order they are referenced. */
export async function uploadBinaryReferences(
	context: IExecuteFunctions,
	itemIndex: number,
	references: BinaryReference[],
): Promise<Map<string, UploadedFile>> {
	await checkBinaryReferences(context, itemIndex, references);
	const uploaded = new Map<string, UploadedFile>();
	for (const { property, fieldLabel } of references) {
		if (uploaded.has(property)) continue;
		// A file read as it streams (size unknown beforehand) must meet every input it fills.
		const limits = references
			.filter((reference) => reference.property === property)
			.flatMap((reference) => reference.limits ?? []);
		uploaded.set(
			property,
			await uploadBinaryProperty(context, itemIndex, property, {
				target: 'media',
				fieldLabel,
				limits,
			}),
		);
	}
	return uploaded;
}

/** URL-loading inputs want the upload's public link; loader nodes want its server file name. */
function wantsUrl(fieldName: string, classType: string): boolean {
	return /url/i.test(fieldName) || /FromUrl|URL/.test(classType);
}

/** Replaces every `binary:<property>` value of a workflow or AI app run by the uploaded file. */
export async function resolveNodeInfoBinaries(
	context: IExecuteFunctions,
	itemIndex: number,
	overrides: NodeInfo[],
	classTypeOf: (nodeId: string) => string,
): Promise<NodeInfo[]> {
	const references = overrides.flatMap((override) => {
		const property = binaryPropertyOf(override.fieldValue);
		return property
			? [{ property, fieldLabel: `Input "#${override.nodeId} › ${override.fieldName}"` }]
			: [];
	});
	if (!references.length) return overrides;
	const files = await uploadBinaryReferences(context, itemIndex, references);
	return overrides.map((override) => {
		const property = binaryPropertyOf(override.fieldValue);
		if (!property) return override;
		const file = files.get(property)!;
		const useUrl = wantsUrl(override.fieldName, classTypeOf(override.nodeId)) && file.downloadUrl;
		return { ...override, fieldValue: useUrl ? (file.downloadUrl as string) : file.fileName };
	});
}

/** The same inside a whole workflow (the Workflow JSON mode, where nodeInfoList is not used). */
export async function resolveWorkflowBinaries(
	context: IExecuteFunctions,
	itemIndex: number,
	workflow: ComfyWorkflow,
): Promise<{ workflow: ComfyWorkflow; changed: boolean }> {
	const overrides: NodeInfo[] = [];
	for (const [nodeId, node] of Object.entries(workflow)) {
		for (const [fieldName, value] of Object.entries(node.inputs ?? {})) {
			if (binaryPropertyOf(value))
				overrides.push({ nodeId, fieldName, fieldValue: value as string });
		}
	}
	if (!overrides.length) return { workflow, changed: false };
	const resolved = await resolveNodeInfoBinaries(
		context,
		itemIndex,
		overrides,
		(nodeId) => workflow[nodeId]?.class_type ?? '',
	);
	const copy = JSON.parse(JSON.stringify(workflow)) as ComfyWorkflow;
	for (const override of resolved)
		copy[override.nodeId].inputs[override.fieldName] = override.fieldValue;
	return { workflow: copy, changed: true };
}
