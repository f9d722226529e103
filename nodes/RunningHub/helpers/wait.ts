import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import { CancelledError, cancellableSleep, runningHubApiError, withTaskId } from '../transport';
import type {
	RunSettings,
	SubmittedTask,
	TaskResult,
	WaitModeHandler,
	WaitOptions,
} from './interfaces';
import { taskResultToItems } from './output';
import { cancelQuietly, queryTask, withFailureDetails } from './task';
import { TERMINAL_STATUSES, failureDetails, failureHeadline, resultFromV2Task } from './taskResult';

/** Video tasks often take 5-15 minutes, so the default limit leaves room for them. */
export const DEFAULT_WAIT_OPTIONS: WaitOptions = {
	pollIntervalSeconds: 5,
	timeoutSeconds: 1800,
	cancelOnTimeout: true,
};

/**
 * Checks soon after submit, so a task of a few seconds is not held to the Poll Interval, then on
 * the Poll Interval's own grid (5, 10, 15 s… at the default), which keeps its meaning for long
 * tasks. Times are counted from the submit answer; at most these few extra checks per task.
 */
const EARLY_CHECKS_MS = [1000, 2000, 3000];

/** Milliseconds from `elapsedMs` (time since submit) to the next status check. */
export function nextPollDelayMs(elapsedMs: number, intervalMs: number): number {
	// A timer may fire a little early: a check due within this margin counts as done.
	const margin = Math.min(250, intervalMs / 2);
	const due = elapsedMs + margin;
	const early = EARLY_CHECKS_MS.find((at) => at < intervalMs && at > due);
	const next = early ?? (Math.floor(due / intervalMs) + 1) * intervalMs;
	return Math.max(0, next - elapsedMs);
}

/**
 * How RunningHub reports a task cancelled while it ran (ComfyUI's interrupt), or a CANCEL status.
 */
function wasCancelled(result: TaskResult): boolean {
	return (
		['CANCEL', 'CANCELLED'].includes(result.status) ||
		result.failure?.exceptionType === 'InterruptProcessingException'
	);
}

/**
 * The error a failed task becomes: a one-sentence headline naming the failing node, exception and
 * message; RunningHub's code, its own message and the traceback in the description.
 */
export function taskFailedError(
	context: IExecuteFunctions | { getNode: IExecuteFunctions['getNode'] },
	result: TaskResult,
) {
	const failure = result.failure;
	const cancelled = wasCancelled(result);
	const headline = cancelled
		? 'Task was cancelled on RunningHub before it finished'
		: failureHeadline(result.status, failure);
	const details = failure ? failureDetails(failure, headline) : [];
	if (cancelled)
		details.push(
			'It was cancelled on the RunningHub site, by another tool or workflow, or by an earlier ' +
				'timeout or stop; it has no outputs. Run the node again to start a new task.',
		);
	return runningHubApiError(context.getNode(), {
		code: failure?.errorCode ?? undefined,
		codeInDescription: true,
		summary: headline,
		taskId: result.taskId,
		context: details.join(' ') || undefined,
	});
}

/**
 * A status poll that failed for good (after its retries) says nothing about the task itself, which
 * is paid for and may well finish: the error tells how to fetch its result later.
 */
function pollFailedError(
	context: IExecuteFunctions,
	taskId: string,
	error: unknown,
): NodeApiError | NodeOperationError {
	const hint =
		`The task may still be running on RunningHub: get its result later with Task › ` +
		`Get Outputs (task ID ${taskId}).`;
	if (error instanceof NodeApiError) {
		const rebuilt = new NodeApiError(context.getNode(), (error.errorResponse ?? {}) as JsonObject, {
			message: error.message,
			description: [error.description, hint].filter(Boolean).join(' '),
			httpCode: error.httpCode ?? undefined,
		});
		return withTaskId(rebuilt, taskId);
	}
	const message = (error as Error)?.message ?? String(error);
	return withTaskId(
		new NodeOperationError(
			context.getNode(),
			message.includes(taskId) ? message : `${message} [task ${taskId}]`,
			{ description: hint },
		),
		taskId,
	);
}

/**
 * Polls the v2 query endpoint (it answers for workflow, AI app and model tasks alike) until the
 * task ends, the timeout passes, or the execution is stopped. A finished task is returned; a failed
 * one throws its failure. `initial` is the submit answer, which may already hold the result.
 */
export async function waitForTask(
	context: IExecuteFunctions,
	taskId: string,
	options: WaitOptions,
	initial?: V2TaskObject,
): Promise<TaskResult> {
	const signal = context.getExecutionCancelSignal?.();
	const started = Date.now();
	const deadline = started + options.timeoutSeconds * 1000;
	const intervalMs = Math.max(100, options.pollIntervalSeconds * 1000);
	let result: TaskResult | undefined =
		initial && TERMINAL_STATUSES.includes(initial.status) ? resultFromV2Task(initial) : undefined;

	const stop = async (reason: 'timeout' | 'cancelled'): Promise<never> => {
		const cancelled = options.cancelOnTimeout ? await cancelQuietly(context, taskId) : false;
		const what =
			reason === 'timeout'
				? `did not finish within ${options.timeoutSeconds} s`
				: 'was still running when the execution was stopped';
		const then = options.cancelOnTimeout
			? cancelled
				? 'It was cancelled on RunningHub.'
				: 'Cancelling it on RunningHub failed; cancel it on the site to stop the cost.'
			: 'It keeps running on RunningHub; fetch its result later with Task › Get Outputs.';
		const description =
			reason === 'timeout'
				? 'Raise Timeout (Seconds) in the options, or use the "Return Task ID" or "Wait for ' +
					'Callback" mode for long jobs.'
				: undefined;
		throw withTaskId(
			new NodeOperationError(context.getNode(), `Task ${taskId} ${what}. ${then}`, { description }),
			taskId,
		);
	};

	while (!result) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) return await stop('timeout');
		try {
			const delay = nextPollDelayMs(Date.now() - started, intervalMs);
			await cancellableSleep(Math.min(delay, remaining), signal);
		} catch (error) {
			if (error instanceof CancelledError) return await stop('cancelled');
			throw new NodeOperationError(context.getNode(), error as Error);
		}
		if (signal?.aborted) return await stop('cancelled');
		// A stop during the query itself aborts it; that must still cancel the remote task.
		const task = await queryTask(context, taskId).catch(async (error: unknown) => {
			if (signal?.aborted) await stop('cancelled');
			throw pollFailedError(context, taskId, error);
		});
		if (hasEnded(task)) result = resultFromV2Task(task);
	}
	return await endedTaskResult(context, result);
}

/** Whether a v2 task object reports a task that will not change any more. */
export function hasEnded(task: V2TaskObject): boolean {
	return TERMINAL_STATUSES.includes(task.status) || (task.errorCode ?? '') !== '';
}

/** A finished task's result; a failed one throws its failure, with the details RunningHub has. */
export async function endedTaskResult(
	context: IExecuteFunctions,
	result: TaskResult,
): Promise<TaskResult> {
	if (result.status !== 'SUCCESS')
		throw taskFailedError(context, await withFailureDetails(context, result));
	return result;
}

/**
 * The items of a task that ended well (one per file unless Output Items says otherwise): its
 * outputs, files and the operation's own fields.
 */
export async function completedTaskItems(
	context: IExecuteFunctions,
	task: SubmittedTask,
	result: TaskResult,
	settings: RunSettings,
): Promise<INodeExecutionData[]> {
	const items = await taskResultToItems(context, result, settings.output);
	return items.map((item) => ({ ...item, json: { ...item.json, ...(task.json ?? {}) } }));
}

/** Wait Mode "Wait for Completion": submit, poll until the task ends, return its outputs. */
export const waitForCompletion: WaitModeHandler = async (context, _itemIndex, submit, settings) => {
	const task = await submit();
	const result = await waitForTask(context, task.taskId, settings.wait, task.initial);
	// The downloads need no slot on RunningHub. (A failed item gives its slot back in the router,
	// after a batch that stops at it has let its waiting items go.)
	task.ended?.();
	return await completedTaskItems(context, task, result, settings);
};
