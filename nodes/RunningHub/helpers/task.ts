import type { RetryPolicy, RunningHubContext, V2TaskObject } from '../transport';
import { apiRequestV1, apiRequestV2Task } from '../transport';
import type { TaskResult } from './interfaces';
import { lacksFailureDetails, parseFailedReason, withDetailsFrom } from './taskResult';

/**
 * The v2 query: it answers for workflow, AI app and model tasks alike, with the flat task object
 * (status, results, failure, usage).
 */
export async function queryTask(
	context: RunningHubContext,
	taskId: string,
	retry?: Partial<RetryPolicy>,
): Promise<V2TaskObject> {
	return await apiRequestV2Task.call(context, {
		path: '/openapi/v2/query',
		body: { taskId },
		taskId,
		retry,
	});
}

/** Cancels a queued or running task; a failure throws RunningHub's answer. */
export async function cancelTask(context: RunningHubContext, taskId: string): Promise<void> {
	await apiRequestV1.call(context, { path: '/task/openapi/cancel', body: { taskId }, taskId });
}

/**
 * Cancels a task as clean-up (after a timeout, a stop or a rejected submit): it is sent even when
 * the execution was stopped, tried twice, and reports success instead of throwing.
 */
export async function cancelQuietly(context: RunningHubContext, taskId: string): Promise<boolean> {
	try {
		await apiRequestV1.call(context, {
			path: '/task/openapi/cancel',
			body: { taskId },
			taskId,
			retry: { maxAttempts: 2 },
			ignoreCancel: true,
		});
		return true;
	} catch {
		return false;
	}
}

/**
 * A failed task whose v2 answer carries no details: the v1 outputs endpoint is asked once (code 805
 * with `failedReason`), so the error can name the failing node. Any problem keeps `result` as is.
 */
export async function withFailureDetails(
	context: RunningHubContext,
	result: TaskResult,
): Promise<TaskResult> {
	if (!lacksFailureDetails(result.failure)) return result;
	try {
		const answer = (await apiRequestV1.call(
			context,
			{
				path: '/task/openapi/outputs',
				body: { taskId: result.taskId },
				taskId: result.taskId,
				retry: { maxAttempts: 2 },
			},
			[804, 805, 813],
		)) as { code: number; data?: { failedReason?: unknown } | null };
		if (answer.code !== 805 || !answer.data?.failedReason) return result;
		return withDetailsFrom(result, parseFailedReason(answer.data.failedReason));
	} catch {
		return result;
	}
}
