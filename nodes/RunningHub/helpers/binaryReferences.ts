import type { IExecuteFunctions } from 'n8n-workflow';

import type { ComfyWorkflow, NodeInfo, UploadedFile } from './interfaces';
import { getBinaryMetadataOf, uploadBinaryProperty } from './upload';

/*
 * `binary:<property>` values: an input that names a binary property of the input item instead of
 * a file on RunningHub. Each property is uploaded once per item, even when several inputs use it,
 * and the references are then replaced by what the upload returned.
 */

export const BINARY_PREFIX = 'binary:';

/** The binary property a value refers to (`binary:data` → `data`), if it uses that syntax. */
export function binaryPropertyOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed.toLowerCase().startsWith(BINARY_PREFIX)) return undefined;
	const property = trimmed.slice(BINARY_PREFIX.length).trim();
	return property === '' ? undefined : property;
}

/** A binary property an input refers to; `fieldLabel` names the input in errors. */
export interface BinaryReference {
	property: string;
	fieldLabel: string;
}

/** Fails, naming the input, when a referenced binary property is missing; uploads nothing. */
export function checkBinaryReferences(
	context: IExecuteFunctions,
	itemIndex: number,
	references: BinaryReference[],
): void {
	for (const { property, fieldLabel } of references)
		getBinaryMetadataOf(context, itemIndex, property, { fieldLabel });
}

/** Uploads each referenced property once (media endpoint), in the order they are referenced. */
export async function uploadBinaryReferences(
	context: IExecuteFunctions,
	itemIndex: number,
	references: BinaryReference[],
): Promise<Map<string, UploadedFile>> {
	const uploaded = new Map<string, UploadedFile>();
	for (const { property, fieldLabel } of references) {
		if (uploaded.has(property)) continue;
		uploaded.set(
			property,
			await uploadBinaryProperty(context, itemIndex, property, { target: 'media', fieldLabel }),
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
