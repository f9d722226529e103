import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** The binary property n8n's file nodes read by default (Write File to Disk, Drive › Upload…). */
export const FILE_PROPERTY = 'data';

/**
 * One item per downloaded file, each with its file in the binary property `data` and the task's
 * JSON plus `file` (this file's output entry), `fileIndex` and `fileCount`: what the next node's
 * defaults expect. A task without downloaded files stays one item (text outputs, downloads off).
 */
export function itemPerFile(item: INodeExecutionData): INodeExecutionData[] {
	const binary = item.binary ?? {};
	const outputs = Array.isArray(item.json.outputs) ? (item.json.outputs as IDataObject[]) : [];
	const files = outputs.filter(
		(output) => typeof output.binaryProperty === 'string' && binary[output.binaryProperty],
	);
	if (!files.length) return [item];
	const listed = outputs.map((output) => {
		const entry = { ...output };
		delete entry.binaryProperty;
		return entry;
	});
	return files.map((output, fileIndex) => ({
		json: {
			...item.json,
			outputs: listed,
			file: { ...output, binaryProperty: FILE_PROPERTY },
			fileIndex,
			fileCount: files.length,
		},
		binary: { [FILE_PROPERTY]: binary[output.binaryProperty as string] },
	}));
}
