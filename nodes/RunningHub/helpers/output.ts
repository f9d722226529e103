import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { DownloadOptions } from './download';
import { downloadOutputs } from './download';
import type { TaskResult } from './taskResult';
import { isToolMode, leanTaskResult } from './toolMode';

export interface OutputOptions {
	downloadOutputs: boolean;
	binaryPropertyPrefix: string;
	allowPartialResults: boolean;
}

export const DEFAULT_OUTPUT_OPTIONS: OutputOptions = {
	downloadOutputs: true,
	binaryPropertyPrefix: 'data_',
	allowPartialResults: false,
};

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
