import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { outputOptionFields } from '../actions/common/output.description';
import type { RetryPolicy, V2TaskObject } from '../transport';
import { RETRY_DEFAULTS, apiRequestV1, parseEmbeddedJson } from '../transport';
import type { OutputOptions } from './output';
import { DEFAULT_OUTPUT_OPTIONS, taskResultToItem } from './output';
import { submitAndPause } from './callback';
import { TOOL_TIMEOUT_SECONDS, isToolMode } from './toolMode';
import { validateRange, validateWebhookUrl } from './validation';
import type { WaitOptions } from './wait';
import {
	DEFAULT_WAIT_OPTIONS,
	WAIT_LIMITS,
	cancelQuietly,
	waitForTask,
	waitOptionFields,
} from './wait';

/*
 * Shared "submit → wait or return the task ID → item" flow of every operation that starts a
 * RunningHub task (workflow, AI app, model). An operation supplies a `SubmitTask` that creates the
 * task; `runTask` does the rest according to the Wait Mode.
 */

export type WaitMode = 'wait' | 'submit' | 'callback';

/** Values of the Wait Mode parameter. A mode is offered here once its handler is in `waitModeHandlers`. */
export const WAIT_MODE_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Wait for Completion',
		value: 'wait',
		description: 'Check RunningHub until the task ends, then return its outputs (and files)',
	},
	{
		name: 'Return Task ID',
		value: 'submit',
		description:
			'Return as soon as the task is created; get the result later with Task › Get Outputs or a RunningHub Trigger',
	},
	{
		name: 'Wait for Callback (Pause Execution)',
		value: 'callback',
		description:
			'Pause the execution until RunningHub reports the end of the task (no worker is held; for long jobs). One item per execution; n8n must be reachable from the internet.',
	},
];

export function waitModeProperty(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		options: WAIT_MODE_OPTIONS,
		default: 'wait',
		description: 'Whether to wait for the generated files or only start the task',
		displayOptions: { show },
	};
}

/** What a submit call reports: the new task, and fields to put on the item in "Return Task ID" mode. */
export interface SubmittedTask {
	taskId: string;
	/** Status at creation (QUEUED, RUNNING, or already SUCCESS for fast model endpoints). */
	status: string;
	/** The v2 submit answer, which may already hold the result (model endpoints). */
	initial?: V2TaskObject;
	/** Extra fields for the output item, e.g. `{ workflowId }`. */
	json?: IDataObject;
}

/**
 * Creates the task. `webhookUrl`, when given, replaces the one from the options: the callback mode
 * passes its resume URL this way.
 */
export type SubmitTask = (overrides?: { webhookUrl?: string }) => Promise<SubmittedTask>;

export interface RunSettings {
	waitMode: WaitMode;
	wait: WaitOptions;
	output: OutputOptions;
	/** Webhook URL of the options (validated), '' when none. */
	webhookUrl: string;
}

export type WaitModeHandler = (
	context: IExecuteFunctions,
	itemIndex: number,
	submit: SubmitTask,
	settings: RunSettings,
) => Promise<INodeExecutionData[]>;

function submittedItem(task: SubmittedTask): INodeExecutionData {
	return { json: { taskId: task.taskId, status: task.status, ...(task.json ?? {}) } };
}

const waitForCompletion: WaitModeHandler = async (context, _itemIndex, submit, settings) => {
	const task = await submit();
	const result = await waitForTask(context, task.taskId, settings.wait, task.initial);
	const item = await taskResultToItem(context, result, settings.output);
	item.json = { ...item.json, ...(task.json ?? {}) };
	return [item];
};

const returnTaskId: WaitModeHandler = async (_context, _itemIndex, submit) => [
	submittedItem(await submit()),
];

/**
 * Wait Mode value → handler. The callback mode ("pause the execution until RunningHub calls back")
 * plugs in here with a handler from helpers/callback.ts, plus its entry in WAIT_MODE_OPTIONS.
 */
export const waitModeHandlers: Partial<Record<WaitMode, WaitModeHandler>> = {
	wait: waitForCompletion,
	submit: returnTaskId,
	callback: submitAndPause,
};

export async function runTask(
	context: IExecuteFunctions,
	itemIndex: number,
	submit: SubmitTask,
	settings: RunSettings,
): Promise<INodeExecutionData[]> {
	const handler = waitModeHandlers[settings.waitMode];
	if (!handler) {
		throw new NodeOperationError(
			context.getNode(),
			`Wait Mode "${settings.waitMode}" is not supported by this version of the node`,
			{
				itemIndex,
				description: `Choose one of: ${WAIT_MODE_OPTIONS.map((option) => option.name).join(', ')}.`,
			},
		);
	}
	return await handler(context, itemIndex, submit, settings);
}

/** The Options fields that tune waiting and output files; hidden when only the task ID is returned. */
export const waitingOptionFields: INodeProperties[] = [
	...waitOptionFields,
	...outputOptionFields,
].map((field) => ({
	...field,
	displayOptions: { hide: { '/waitMode': ['submit'] } },
}));

export const DEFAULT_MAX_CONCURRENT_TASKS = 2;
const MAX_CONCURRENT_LIMIT = 100;

export const maxConcurrentTasksField: INodeProperties = {
	displayName: 'Max Concurrent Tasks',
	name: 'maxConcurrentTasks',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENT_LIMIT },
	default: DEFAULT_MAX_CONCURRENT_TASKS,
	description:
		'How many input items run on RunningHub at the same time. A personal account runs 2 tasks at once, an enterprise account up to 50; items over the limit wait their turn.',
};

/** Where RunningHub posts TASK_END; read by readRunSettings for every kind of run. */
export const webhookUrlOptionField: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/webhook/runninghub',
	description:
		'RunningHub posts the TASK_END event here when the task ends, e.g. the Production URL of a RunningHub Trigger node',
};

/** Options of workflow and AI app tasks (the v1 create endpoints). */
export const taskSubmitOptionFields: INodeProperties[] = [
	{
		displayName: 'Instance Type',
		name: 'instanceType',
		type: 'options',
		options: [
			{ name: 'Default (24 GB GPU)', value: 'default' },
			{ name: 'Plus (48 GB GPU)', value: 'plus' },
		],
		default: 'default',
		description: 'GPU memory of the machine that runs the task. Plus costs more.',
	},
	{
		displayName: 'Use Personal Queue',
		name: 'usePersonalQueue',
		type: 'boolean',
		default: false,
		description:
			'Whether to queue the task when all dedicated machines are busy instead of failing (enterprise-exclusive keys only)',
	},
	webhookUrlOptionField,
	{
		displayName: 'Retain Seconds',
		name: 'retainSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 180 },
		default: 0,
		description:
			'Keep the machine warm for this many seconds (10–180) after the task, so the next task starts faster (enterprise-shared keys, billed). 0 = off.',
	},
];

export function maxConcurrentTasks(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const value =
		options.maxConcurrentTasks === undefined
			? DEFAULT_MAX_CONCURRENT_TASKS
			: Number(options.maxConcurrentTasks);
	return validateRange(context, 'Max Concurrent Tasks', value, 1, MAX_CONCURRENT_LIMIT, 0);
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
	const output: OutputOptions = {
		downloadOutputs:
			options.downloadOutputs === undefined
				? DEFAULT_OUTPUT_OPTIONS.downloadOutputs && !toolMode
				: options.downloadOutputs === true,
		binaryPropertyPrefix:
			String(options.binaryPropertyPrefix ?? DEFAULT_OUTPUT_OPTIONS.binaryPropertyPrefix).trim() ||
			DEFAULT_OUTPUT_OPTIONS.binaryPropertyPrefix,
		allowPartialResults:
			options.allowPartialResults === undefined
				? DEFAULT_OUTPUT_OPTIONS.allowPartialResults
				: options.allowPartialResults === true,
	};
	const webhookUrl = validateWebhookUrl(
		context,
		String(options.webhookUrl ?? '').trim(),
		itemIndex,
	);
	return { waitMode, wait, output, webhookUrl };
}

/** Body fields of the v1 create endpoints that come from the Options collection. */
export function taskSubmitBody(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: RunSettings,
): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (options.instanceType) body.instanceType = options.instanceType;
	if (options.usePersonalQueue === true) body.usePersonalQueue = true;
	if (options.addMetadata !== undefined) body.addMetadata = options.addMetadata === true;
	const retain = Number(options.retainSeconds ?? 0);
	if (retain !== 0)
		body.retainSeconds = validateRange(context, 'Retain Seconds', retain, 10, 180, itemIndex);
	if (settings.webhookUrl) body.webhookUrl = settings.webhookUrl;
	return body;
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

interface PromptTips {
	result?: boolean;
	error?: { message?: string; details?: string } | string | null;
	node_errors?: Record<
		string,
		{ class_type?: string; errors?: Array<{ message?: string; details?: string }> }
	>;
}

/** ComfyUI's validation of the task's inputs, as one readable line per node. */
export function promptTipsProblems(raw: unknown): string[] | undefined {
	const tips = parseEmbeddedJson(raw) as PromptTips | string | null | undefined;
	if (!tips || typeof tips !== 'object') return undefined;
	const nodeErrors =
		tips.node_errors && typeof tips.node_errors === 'object'
			? Object.entries(tips.node_errors)
			: [];
	if (tips.result !== false && nodeErrors.length === 0) return undefined;
	const problems = nodeErrors.map(([nodeId, entry]) => {
		const messages = (entry?.errors ?? [])
			.map((error) => [error.message, error.details].filter(Boolean).join(': '))
			.filter(Boolean);
		return `node #${nodeId} (${entry?.class_type ?? 'unknown type'}): ${messages.join('; ') || 'invalid'}`;
	});
	if (!problems.length) {
		const error = tips.error;
		problems.push(
			typeof error === 'string'
				? error
				: [error?.message, error?.details].filter(Boolean).join(': ') || 'the inputs were rejected',
		);
	}
	return problems;
}

/**
 * Creates a workflow or AI app task through a v1 create endpoint. When ComfyUI's validation
 * (`promptTips`) already says the task cannot run, the task is cancelled at once, so it is not
 * billed, and the item fails naming the node and the problem.
 */
export async function submitV1Task(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	json: IDataObject,
): Promise<SubmittedTask> {
	const data = ((await apiRequestV1.call(context, {
		path,
		body,
		createsTask: true,
		retry: submitRetryPolicy(),
	})) ?? {}) as IDataObject;
	const taskId = data.taskId === undefined || data.taskId === null ? '' : String(data.taskId);
	if (!taskId) {
		throw new NodeOperationError(
			context.getNode(),
			`RunningHub accepted the request to ${path} but returned no task ID`,
			{
				itemIndex,
				description:
					'Check the task list on the RunningHub site before running again, to avoid paying twice.',
			},
		);
	}
	const problems = promptTipsProblems(data.promptTips);
	if (problems) {
		const cancelled = await cancelQuietly(context, taskId);
		throw new NodeOperationError(
			context.getNode(),
			`RunningHub rejected the inputs: ${problems.join(' | ')} [task ${taskId}]`,
			{
				itemIndex,
				description: `${cancelled ? 'The task was cancelled, so it is not billed.' : 'Cancelling the task failed; cancel it on the RunningHub site.'} Fix the named input (type, range, option or file name) and run again. Task ID: ${taskId}`,
			},
		);
	}
	return { taskId, status: String(data.taskStatus ?? 'QUEUED'), json };
}
