import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RetryPolicy } from '../transport';
import {
	RETRY_DEFAULTS,
	apiRequestV1,
	apiRequestV2Task,
	parseEmbeddedJson,
	withTaskId,
} from '../transport';
import { taskSlotsOf } from './concurrency';
import type { RunSettings, SubmitTask, SubmittedTask } from './interfaces';
import { cancelQuietly } from './task';
import { validateRange } from './validation';

/*
 * How every run (workflow, AI app, model) creates its task: one submitter per item, which sets the
 * webhook URL, retries only the rejections that prove no task was created, and turns the answer of
 * a v1 or v2 create endpoint into a SubmittedTask.
 */

export interface SubmitRequest {
	/** `v1`: `{code, msg, data: {taskId, taskStatus, promptTips}}`; `v2`: the flat task object. */
	api: 'v1' | 'v2';
	path: string;
	body: IDataObject;
	/** Fields added to the output item, e.g. `{ workflowId }`. */
	json: IDataObject;
}

/**
 * Retries of a create call rejected with 421 (queue full) or 415 (machines busy): such answers
 * prove no task was created, and they last until a running task ends — minutes for video — so the
 * budget is several times the default one (and shrinks with it in tests).
 */
export function submitRetryPolicy(): Partial<RetryPolicy> {
	return {
		maxAttempts: RETRY_DEFAULTS.maxAttempts * 8,
		maxTotalMs: RETRY_DEFAULTS.maxTotalMs * 10,
	};
}

/**
 * Body fields of the v1 create endpoints (workflow, AI app) that come from the Options collection.
 */
export function v1OptionsBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (options.instanceType) body.instanceType = options.instanceType;
	if (options.usePersonalQueue === true) body.usePersonalQueue = true;
	const accessPassword = String(options.accessPassword ?? '');
	if (accessPassword !== '') body.accessPassword = accessPassword;
	if (options.addMetadata !== undefined) body.addMetadata = options.addMetadata === true;
	const retain = Number(options.retainSeconds ?? 0);
	if (retain !== 0)
		body.retainSeconds = validateRange(context, 'Retain Seconds', retain, 10, 180, itemIndex);
	return body;
}

interface PromptTips {
	result?: boolean;
	error?: { message?: string; details?: string } | string | null;
	node_errors?: Record<
		string,
		{ class_type?: string; errors?: Array<{ message?: string; details?: string }> }
	>;
}

/**
 * ComfyUI's validation of the task's inputs (`promptTips`), one readable line per node. `rejected`
 * only when `result` is false: with `result: true` ComfyUI still runs the outputs that are valid,
 * and its `node_errors` are warnings.
 */
export function readPromptTips(raw: unknown): { rejected: boolean; problems: string[] } {
	const tips = parseEmbeddedJson(raw) as PromptTips | string | null | undefined;
	if (!tips || typeof tips !== 'object') return { rejected: false, problems: [] };
	const nodeErrors =
		tips.node_errors && typeof tips.node_errors === 'object'
			? Object.entries(tips.node_errors)
			: [];
	const problems = nodeErrors.map(([nodeId, entry]) => {
		const messages = (entry?.errors ?? [])
			.map((error) => [error.message, error.details].filter(Boolean).join(': '))
			.filter(Boolean);
		return (
			`node #${nodeId} (${entry?.class_type ?? 'unknown type'}): ` +
			`${messages.join('; ') || 'invalid'}`
		);
	});
	const rejected = tips.result === false;
	if (rejected && !problems.length) {
		const error = tips.error;
		problems.push(
			typeof error === 'string'
				? error
				: [error?.message, error?.details].filter(Boolean).join(': ') || 'the inputs were rejected',
		);
	}
	return { rejected, problems };
}

function noTaskIdError(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`RunningHub accepted the request to ${path} but returned no task ID`,
		{
			itemIndex,
			description:
				'Check the task list on the RunningHub site before running again, to avoid paying twice.',
		},
	);
}

/**
 * v1 create (workflow, AI app). When ComfyUI's validation (`promptTips`) already says the task
 * cannot run, the task is cancelled at once, so it is not billed, and the item fails naming the
 * node and the problem.
 */
async function submitV1(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	whenQueueFull?: () => Promise<boolean>,
): Promise<SubmittedTask> {
	const data = ((await apiRequestV1.call(context, {
		path,
		body,
		createsTask: true,
		retry: submitRetryPolicy(),
		whenQueueFull,
	})) ?? {}) as IDataObject;
	const taskId = data.taskId === undefined || data.taskId === null ? '' : String(data.taskId);
	if (!taskId) throw noTaskIdError(context, itemIndex, path);
	const { rejected, problems } = readPromptTips(data.promptTips);
	if (rejected) {
		const cancelled = await cancelQuietly(context, taskId);
		const billing = cancelled
			? 'The task was cancelled, so it is not billed.'
			: 'Cancelling the task failed; cancel it on the RunningHub site.';
		const rejected = new NodeOperationError(
			context.getNode(),
			`RunningHub rejected the inputs: ${problems.join(' | ')} [task ${taskId}]`,
			{
				itemIndex,
				description:
					`${billing} Fix the named input (type, range, option or file name) and run ` +
					`again. Task ID: ${taskId}`,
			},
		);
		throw withTaskId(rejected, taskId);
	}
	return {
		taskId,
		status: String(data.taskStatus ?? 'QUEUED'),
		...(problems.length ? { json: { promptWarnings: problems } } : {}),
	};
}

/** v2 create (Standard Model API): fast models may answer SUCCESS with results at once. */
async function submitV2(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	whenQueueFull?: () => Promise<boolean>,
): Promise<SubmittedTask> {
	const task = await apiRequestV2Task.call(context, {
		path,
		body,
		createsTask: true,
		retry: submitRetryPolicy(),
		whenQueueFull,
	});
	if (!task.taskId) throw noTaskIdError(context, itemIndex, path);
	return { taskId: task.taskId, status: task.status || 'QUEUED', initial: task };
}

/**
 * The submit function of one item's run. The webhook URL comes from the options, unless the Wait
 * Mode passes its own (the callback mode's resume URL).
 *
 * In a batch that waits for its tasks, the item first takes one of the batch's slots and keeps it
 * until its task ends (`ended`), so a full queue (421) is waited out on the batch's own tasks.
 * Tasks returned by ID are not followed to their end, so those runs take no slot.
 */
export function taskSubmitter(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
	request: SubmitRequest,
): SubmitTask {
	return async (overrides) => {
		const webhookUrl = overrides?.webhookUrl ?? settings.webhookUrl;
		const body = webhookUrl ? { ...request.body, webhookUrl } : request.body;
		const submit = request.api === 'v1' ? submitV1 : submitV2;
		const slots = settings.waitMode === 'wait' ? taskSlotsOf(context) : undefined;
		if (!slots) {
			const task = await submit(context, itemIndex, request.path, body);
			return { ...task, json: { ...(request.json ?? {}), ...(task.json ?? {}) } };
		}
		const signal = context.getExecutionCancelSignal?.();
		if (!(await slots.acquire(itemIndex, signal)))
			throw new NodeOperationError(
				context.getNode(),
				'The execution was stopped before this item created its task',
				{ itemIndex },
			);
		let created = false;
		try {
			const task = await submit(
				context,
				itemIndex,
				request.path,
				body,
				async () => await slots.queueFull(itemIndex, signal),
			);
			created = true;
			slots.created();
			return {
				...task,
				json: { ...(request.json ?? {}), ...(task.json ?? {}) },
				ended: () => slots.release(itemIndex),
			};
		} finally {
			if (!created) slots.release(itemIndex);
		}
	};
}
