import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { submitAndPause } from './callback';
import {
	DEFAULT_MAX_CONCURRENT_TASKS,
	MAX_CONCURRENT_AUTO,
	MAX_CONCURRENT_LIMIT,
	WAIT_LIMITS,
	WAIT_MODE_NAMES,
} from './constants';
import type { RunSettings, WaitMode, WaitModeHandler, WaitOptions } from './interfaces';
import { DEFAULT_OUTPUT_OPTIONS, readOutputOptions } from './output';
import type { SubmitRequest } from './submit';
import { taskSubmitter } from './submit';
import { TOOL_TIMEOUT_SECONDS, isToolMode } from './toolMode';
import { validateRange, validateWebhookUrl } from './validation';
import { DEFAULT_WAIT_OPTIONS, waitForCompletion } from './wait';

/*
 * Shared "submit → wait or return the task ID → item" flow of every operation that starts a
 * RunningHub task (workflow, AI app, Quick Create, model). An operation supplies a `SubmitRequest`
 * (which API, path and body); `runTask` creates the task through helpers/submit.ts and does the
 * rest
 * according to the Wait Mode.
 */

const returnTaskId: WaitModeHandler = async (_context, _itemIndex, submit) => {
	const task = await submit();
	return [{ json: { taskId: task.taskId, status: task.status, ...(task.json ?? {}) } }];
};

const waitModeHandlers: Record<WaitMode, WaitModeHandler> = {
	wait: waitForCompletion,
	submit: returnTaskId,
	callback: submitAndPause,
};

/**
 * One item's run, the same for every run operation: the task is created from `request` (with the
 * webhook URL, retries and concurrency slots of `taskSubmitter`), then handled as the Wait Mode
 * says.
 */
export async function runTask(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
	request: SubmitRequest,
): Promise<INodeExecutionData[]> {
	const handler = waitModeHandlers[settings.waitMode];
	if (!handler) {
		throw new NodeOperationError(
			context.getNode(),
			`Wait Mode "${settings.waitMode}" is not supported by this version of the node`,
			{
				itemIndex,
				description: `Choose one of: ${Object.values(WAIT_MODE_NAMES).join(', ')}.`,
			},
		);
	}
	const submit = taskSubmitter(context, itemIndex, settings, request);
	return await handler(context, itemIndex, submit, settings);
}

/** Max Concurrent Tasks as set: a number of tasks, or MAX_CONCURRENT_AUTO. */
export function maxConcurrentTasks(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const value =
		options.maxConcurrentTasks === undefined
			? DEFAULT_MAX_CONCURRENT_TASKS
			: Number(options.maxConcurrentTasks);
	return validateRange(
		context,
		'Max Concurrent Tasks',
		value,
		MAX_CONCURRENT_AUTO,
		MAX_CONCURRENT_LIMIT,
		0,
	);
}

export function readRunSettings(context: IExecuteFunctions, itemIndex: number): RunSettings {
	const waitMode = context.getNodeParameter('waitMode', itemIndex, 'wait') as WaitMode;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// As an agent's tool: a turn-sized wait (a paused execution holds no one up, so Wait for
	// Callback keeps the long default), and files as links unless downloads are asked for.
	const toolMode = isToolMode(context);
	const wait: WaitOptions = {
		...DEFAULT_WAIT_OPTIONS,
		...(toolMode && waitMode !== 'callback' ? { timeoutSeconds: TOOL_TIMEOUT_SECONDS } : {}),
	};
	if (options.pollIntervalSeconds !== undefined) {
		const { min, max } = WAIT_LIMITS.pollIntervalSeconds;
		wait.pollIntervalSeconds = validateRange(
			context,
			'Poll Interval (Seconds)',
			Number(options.pollIntervalSeconds),
			min,
			max,
			itemIndex,
		);
	}
	if (options.timeoutSeconds !== undefined) {
		const { min, max } = WAIT_LIMITS.timeoutSeconds;
		wait.timeoutSeconds = validateRange(
			context,
			'Timeout (Seconds)',
			Number(options.timeoutSeconds),
			min,
			max,
			itemIndex,
		);
	}
	if (options.cancelOnTimeout !== undefined)
		wait.cancelOnTimeout = options.cancelOnTimeout === true;
	const webhookUrl = validateWebhookUrl(
		context,
		String(options.webhookUrl ?? '').trim(),
		itemIndex,
	);
	const output = readOutputOptions(
		options,
		toolMode ? { ...DEFAULT_OUTPUT_OPTIONS, downloadOutputs: false } : DEFAULT_OUTPUT_OPTIONS,
	);
	return { waitMode, wait, output, webhookUrl };
}
