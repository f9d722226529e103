import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { DownloadOptions } from './download';
import { downloadOutputs, maxDownloadBytes } from './download';
import { itemPerFile } from './fileItems';
import type { OutputOptions, TaskResult } from './interfaces';
import { isToolMode, leanTaskResult } from './toolMode';

export const DEFAULT_OUTPUT_OPTIONS: OutputOptions = {
	downloadOutputs: true,
	outputItems: 'perFile',
	binaryPropertyPrefix: 'data_',
	allowPartialResults: false,
};

/**
 * The output options of an Options collection (Download Outputs, Binary Property Prefix, Allow
 * Partial Results); options left out take `defaults`.
 */
export function readOutputOptions(
	options: IDataObject,
	defaults: OutputOptions = DEFAULT_OUTPUT_OPTIONS,
): OutputOptions {
	const flag = (value: unknown, fallback: boolean) =>
		value === undefined ? fallback : value === true;
	return {
		downloadOutputs: flag(options.downloadOutputs, defaults.downloadOutputs),
		outputItems:
			options.outputItems === 'perTask' || options.outputItems === 'perFile'
				? options.outputItems
				: defaults.outputItems,
		binaryPropertyPrefix:
			String(options.binaryPropertyPrefix ?? '').trim() || defaults.binaryPropertyPrefix,
		allowPartialResults: flag(options.allowPartialResults, defaults.allowPartialResults),
		maxDownloadSizeMb:
			typeof options.maxDownloadSizeMb === 'number'
				? options.maxDownloadSizeMb
				: defaults.maxDownloadSizeMb,
	};
}

/**
 * The items a finished task becomes: by default one per downloaded file (binary `data`, paired by
 * the caller to the input item), or the one item of `taskResultToItem` with "One Item per Task".
 * An agent's tool always answers with one item.
 */
export async function taskResultToItems(
	context: IExecuteFunctions | IWebhookFunctions,
	result: TaskResult,
	options: OutputOptions,
): Promise<INodeExecutionData[]> {
	const item = await taskResultToItem(context, result, options);
	return options.outputItems === 'perFile' && !isToolMode(context) ? itemPerFile(item) : [item];
}

/**
 * The one item a finished task becomes, with its files as binary data when asked for. As an AI
 * agent's tool its JSON is the lean answer a model can use (file links, task ID, status, cost).
 */
export async function taskResultToItem(
	context: IExecuteFunctions | IWebhookFunctions,
	result: TaskResult,
	options: OutputOptions,
): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: { ...result } };
	await addDownloads(context, item, result, options);
	if (isToolMode(context)) {
		const { downloadFailures } = item.json;
		item.json = { ...leanTaskResult(result), ...(downloadFailures ? { downloadFailures } : {}) };
	}
	return item;
}

async function addDownloads(
	context: IExecuteFunctions | IWebhookFunctions,
	item: INodeExecutionData,
	result: TaskResult,
	options: OutputOptions,
): Promise<void> {
	if (
		options.downloadOutputs &&
		result.status === 'SUCCESS' &&
		result.outputs.some((output) => output.fileUrl)
	) {
		const downloadOptions: DownloadOptions = {
			prefix: options.binaryPropertyPrefix,
			allowPartial: options.allowPartialResults,
			maxBytes: maxDownloadBytes(options.maxDownloadSizeMb),
		};
		const { binary, failures } = await downloadOutputs(
			context,
			result.outputs,
			downloadOptions,
			result.taskId,
		);
		if (Object.keys(binary).length) item.binary = binary;
		if (failures.length) item.json.downloadFailures = failures;
		item.json.outputs = result.outputs;
	}
}
