import type { RetryPolicy, RunningHubContext, V2TaskObject } from '../transport';
import { apiRequestV1, apiRequestV2Task } from '../transport';

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
