import type {
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	IRunExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import { asNodeError, withTaskId } from '../transport';
import { callbackBody, isMalformed, parseTaskEndEvent } from './callbackEvent';
import { continuesOnFail, failureItem } from './failureItem';
import type { OutputOptions, SubmittedTask, TaskResult, WaitModeHandler } from './interfaces';
import { DEFAULT_OUTPUT_OPTIONS, taskResultToItems } from './output';
import { queryTask } from './task';
import { TERMINAL_STATUSES, resultFromV2Task } from './taskResult';
import { isInlineToolRun, isToolMode, toolErrorResult } from './toolMode';
import { completedTaskItems, endedTaskResult, hasEnded, taskFailedError } from './wait';

/*
 * "Wait for Callback" mode: the task is created with the execution's resume URL as its webhookUrl,
 * the execution is put to wait (no worker is held), and RunningHub's TASK_END POST resumes it
 * through the node's restart webhook. What n8n 2.x does around this (docs/ARCHITECTURE.md):
 * - the webhook's output replaces the waiting node's output; execute() is not run again;
 * - a webhook() answer without workflowData leaves the execution waiting (foreign/bad calls);
 * - a webhook() that throws only answers 500 and leaves the execution waiting;
 * - n8n refuses a call to an execution that is not saved as waiting yet (409), and RunningHub
 *   sends a refused callback again later;
 * - when the wait limit passes, n8n resumes with the node disabled, so its input items would flow
 *   on as if nothing happened — unless the waiting entry carries `metadata.resumeError`, which the
 *   engine then throws as the node's error (honouring "On Error" settings, but with the message
 *   alone as the item of a node that continues on fail).
 * So a failure is delivered by putting it in `resumeError`, and the wait-limit error is armed there
 * before pausing and removed when the awaited callback arrives. A node that continues on fail gets
 * its failure as an item with the task ID instead: the callback returns it as the node's output,
 * and the wait-limit one is armed as the waiting node's input, which flows on when the limit
 * passes.
 */

/**
 * Execution custom data keys (letters/digits/underscore only; also searchable in the executions
 * list).
 */
const TASK_KEY = 'runningHubTaskId';
const OUTPUT_KEY = 'runningHubOutput';
const NOT_SUBMITTED = 'not-submitted';

/**
 * The run data of the execution the context belongs to. n8n does not expose it to nodes, but
 * every execution context holds it; the waiting entry's metadata is only reachable this way
 * from webhook().
 */
function runDataOf(context: IExecuteFunctions | IWebhookFunctions): IRunExecutionData | undefined {
	const candidate = (context as unknown as { runExecutionData?: IRunExecutionData | null })
		.runExecutionData;
	return candidate && typeof candidate === 'object' ? candidate : undefined;
}

/**
 * The stack entry of the waiting node, as webhook() sees it (the waiting node is first on the
 * stack).
 */
function waitingEntry(context: IWebhookFunctions): IExecuteData | undefined {
	const entry = runDataOf(context)?.executionData?.nodeExecutionStack?.[0];
	return entry && entry.node?.name === context.getNode().name ? entry : undefined;
}

function setResumeError(
	entry: IExecuteData,
	error: NodeApiError | NodeOperationError | undefined,
): void {
	const metadata = { ...(entry.metadata ?? {}) };
	if (error) metadata.resumeError = error;
	else delete metadata.resumeError;
	entry.metadata = metadata;
}

function encodeOutputOptions(options: OutputOptions): string {
	return JSON.stringify({
		d: options.downloadOutputs ? 1 : 0,
		o: options.outputItems,
		a: options.allowPartialResults ? 1 : 0,
		p: options.binaryPropertyPrefix.slice(0, 100),
		m: options.maxDownloadSizeMb,
	});
}

function decodeOutputOptions(value: unknown): OutputOptions {
	try {
		const parsed = JSON.parse(String(value)) as {
			d?: number;
			o?: string;
			a?: number;
			p?: string;
			m?: number;
		};
		return {
			downloadOutputs: parsed.d === 1,
			outputItems: parsed.o === 'perTask' ? 'perTask' : DEFAULT_OUTPUT_OPTIONS.outputItems,
			allowPartialResults: parsed.a === 1,
			binaryPropertyPrefix: parsed.p || DEFAULT_OUTPUT_OPTIONS.binaryPropertyPrefix,
			maxDownloadSizeMb: typeof parsed.m === 'number' ? parsed.m : undefined,
		};
	} catch {
		return { ...DEFAULT_OUTPUT_OPTIONS };
	}
}

function formatDuration(seconds: number): string {
	if (seconds % 3600 === 0) return `${seconds / 3600} h`;
	if (seconds % 60 === 0) return `${seconds / 60} min`;
	return `${seconds} s`;
}

/**
 * The task's answer when it has already ended, so that there is nothing to wait for. A fast model
 * answers SUCCESS in the submit answer itself. A fast workflow may end before this execution is
 * saved as waiting: n8n refuses a callback to an execution that is still running (409, "running
 * already"), so one query right before pausing finds a task whose callback came too early. A
 * callback in the last moments between this query and the save is refused the same way and sent
 * again by RunningHub, which re-delivers refused callbacks. A failed query pauses anyway: the
 * callback still comes.
 */
async function endedBeforePause(
	context: IExecuteFunctions,
	task: SubmittedTask,
): Promise<V2TaskObject | undefined> {
	if (task.initial && hasEnded(task.initial)) return task.initial;
	try {
		const current = await queryTask(context, task.taskId, { maxAttempts: 2 });
		return hasEnded(current) ? current : undefined;
	} catch (error) {
		if (context.getExecutionCancelSignal?.()?.aborted)
			throw withTaskId(asNodeError(context.getNode(), error), task.taskId);
		return undefined;
	}
}

/**
 * The execution's resume URL with this node's ID as its path suffix, which the node's restart
 * webhook matches (actions/common/callback.description.ts); the query (n8n's signature) is kept.
 */
export function callbackUrl(resumeUrl: string, nodeId: string | undefined): string {
	if (!nodeId || !/^https?:\/\//i.test(resumeUrl)) return resumeUrl;
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	return url.toString();
}

/**
 * Wait Mode "Wait for Callback": creates the task with the resume URL as its webhook and pauses the
 * execution until RunningHub calls back or Timeout (Seconds) passes, unless the task has already
 * ended: then its result is returned at once. One task per execution.
 */
export const submitAndPause: WaitModeHandler = async (context, itemIndex, submit, settings) => {
	const node = context.getNode();
	const itemCount = context.getInputData().length;
	if (itemCount > 1) {
		throw new NodeOperationError(
			node,
			`Wait Mode "Wait for Callback" takes one item per execution, but this node received ` +
				`${itemCount} items`,
			{
				itemIndex,
				description:
					'An execution can only pause for one task. Put a "Loop Over Items" (Split in Batches) ' +
					'node with Batch Size 1 before this node, choose Wait Mode "Wait for Completion", or ' +
					'submit with "Return Task ID" and a Webhook URL pointing at a RunningHub Trigger ' +
					'workflow.',
			},
		);
	}
	if (isInlineToolRun(context)) {
		throw new NodeOperationError(
			node,
			'This tool is set to Wait Mode "Wait for Callback", which pauses the execution, but this ' +
				'AI Agent runs its tools inside itself and cannot pause. No RunningHub task was created.',
			{
				itemIndex,
				description:
					'Set Wait Mode to "Wait for Completion" in the tool, or use AI Agent version 3 or ' +
					'later, which pauses the execution until RunningHub calls back.',
			},
		);
	}
	if (settings.webhookUrl) {
		throw new NodeOperationError(
			node,
			'The Webhook URL option cannot be used with Wait Mode "Wait for Callback"',
			{
				itemIndex,
				description:
					'In this mode RunningHub calls this execution back itself. Remove the Webhook URL ' +
					'option, or choose Wait Mode "Return Task ID" to send the event to a RunningHub Trigger.',
			},
		);
	}
	const resumeUrl = callbackUrl(
		String(context.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) ?? ''),
		node.id,
	);
	if (!/^https?:\/\//i.test(resumeUrl)) {
		throw new NodeOperationError(
			node,
			`This execution has no resume URL RunningHub could call ("${resumeUrl}")`,
			{
				itemIndex,
				description:
					'Set n8n\'s WEBHOOK_URL to an address RunningHub can reach, or choose Wait Mode "Wait ' +
					'for Completion".',
			},
		);
	}

	// Custom data holds at most 10 keys per execution; prove ours fit before paying for a task
	// whose callback could then not be recognised.
	context.customData.set(TASK_KEY, NOT_SUBMITTED);
	const entry = context.getExecuteData();
	if (context.customData.get(TASK_KEY) !== NOT_SUBMITTED || !runDataOf(context) || !entry) {
		throw new NodeOperationError(
			node,
			'This execution cannot record the task to wait for (its custom data is full)',
			{
				itemIndex,
				description:
					'Earlier nodes already set 10 execution custom data entries. Remove one, or choose ' +
					'Wait Mode "Wait for Completion".',
			},
		);
	}

	const task = await submit({ webhookUrl: resumeUrl });
	context.customData.set(TASK_KEY, task.taskId);
	const ended = await endedBeforePause(context, task);
	if (ended) {
		const result = await endedTaskResult(context, resultFromV2Task(ended));
		return await completedTaskItems(context, task, result, settings);
	}

	const limitSeconds = settings.wait.timeoutSeconds;
	const waitTill = new Date(Date.now() + limitSeconds * 1000);
	context.customData.set(OUTPUT_KEY, encodeOutputOptions(settings.output));
	const notCalledBack =
		`RunningHub did not call back within ${formatDuration(limitSeconds)} ` +
		`[task ${task.taskId}]`;
	const notCalledBackAdvice =
		`The task may still be running, or its callback could not reach ` +
		`n8n (WEBHOOK_URL must be reachable from the internet). Get its result with Task › Get ` +
		`Outputs using task ID ${task.taskId}, or raise Timeout (Seconds) for long jobs.`;
	const notCalledBackError = withTaskId(
		// an agent's model sees only the message of an error the engine throws
		new NodeOperationError(
			node,
			isToolMode(context) ? `${notCalledBack}. ${notCalledBackAdvice}` : notCalledBack,
			{ itemIndex, description: notCalledBackAdvice },
		),
		task.taskId,
	);
	if (continuesOnFail(node) && !isToolMode(context)) {
		// The item n8n makes of a resumeError holds its message only. Without one, the node is
		// passed over when the limit passes and its input flows on: the failure item with the task
		// ID is put there instead (a callback replaces the input with its own output).
		entry.data = { ...entry.data, main: [[failureItem(node, notCalledBackError, itemIndex)]] };
	} else {
		setResumeError(entry, notCalledBackError);
	}
	await context.putExecutionToWait(waitTill);
	return [
		{
			json: {
				taskId: task.taskId,
				status: 'WAITING_FOR_CALLBACK',
				waitTill: waitTill.toISOString(),
				...(task.json ?? {}),
			},
		},
	];
};

function respond(
	context: IWebhookFunctions,
	statusCode: number,
	body: IDataObject,
): IWebhookResponseData {
	const res = context.getResponseObject();
	res.status(statusCode).json(body);
	return { noWebhookResponse: true };
}

/**
 * The node's webhook(): RunningHub's TASK_END POST to the resume URL. Only the awaited task's
 * callback resumes the execution; anything else is answered and the execution keeps waiting.
 */
export async function resumeFromCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const awaited = this.customData.get(TASK_KEY);
	const entry = waitingEntry(this);
	if (!awaited || awaited === NOT_SUBMITTED || !entry) {
		return {
			webhookResponse: {
				received: true,
				ignored: 'This execution is not waiting for a RunningHub task.',
			},
		};
	}

	const event = parseTaskEndEvent(
		callbackBody(this.getBodyData(), this.getRequestObject().rawBody),
	);
	if (isMalformed(event)) return respond(this, 400, { error: event.malformed });
	if (event.taskId !== awaited) {
		return {
			webhookResponse: {
				received: true,
				ignored: `Task ${event.taskId} is not the task this execution waits for.`,
			},
		};
	}
	if (!event.terminal) {
		return {
			webhookResponse: {
				received: true,
				ignored: `Task ${event.taskId} has not ended yet (${event.result.status}).`,
			},
		};
	}

	// The callback only says "look now": anyone who learns the resume URL can post to it, so the
	// status and the file links come from one API query, never from the body.
	let result: TaskResult;
	try {
		result = resultFromV2Task(await queryTask(this, event.taskId, { maxAttempts: 2 }));
	} catch (error) {
		// Not confirmed (yet): the execution keeps waiting and RunningHub delivers again.
		this.getResponseObject()
			.status(502)
			.json({
				error:
					`The task could not be confirmed with the RunningHub API: ` +
					`${asNodeError(this.getNode(), error).message}`,
			});
		return { noWebhookResponse: true };
	}
	if (!TERMINAL_STATUSES.includes(result.status)) {
		return {
			webhookResponse: {
				received: true,
				ignored:
					`RunningHub reports task ${event.taskId} as ${result.status}, not ended; still ` +
					`waiting.`,
			},
		};
	}
	// RunningHub sends a callback again when its receiver is slow to answer, and the downloads below
	// can take minutes for a video: the task's outcome is known now, so RunningHub is answered now.
	respond(this, 200, { received: true, taskId: event.taskId, status: result.status });
	const outputOptions = decodeOutputOptions(this.customData.get(OUTPUT_KEY));
	let items: INodeExecutionData[] = [{ json: { ...result } }];
	let failure: NodeApiError | NodeOperationError | undefined;
	if (result.status !== 'SUCCESS') {
		failure = taskFailedError(this, result);
	} else {
		try {
			items = await taskResultToItems(this, result, outputOptions);
		} catch (error) {
			failure = asNodeError(this.getNode(), error);
		}
	}
	// An agent's model reads a failure it gets as data; a thrown one would reach it without advice.
	if (failure && isToolMode(this)) {
		items = [{ json: toolErrorResult(failure) }];
		failure = undefined;
	}
	// The item n8n would make of the failure holds its message only; this one has the task ID too.
	if (failure && continuesOnFail(this.getNode())) {
		items = [failureItem(this.getNode(), failure, 0)];
		failure = undefined;
	}
	// The engine throws resumeError in place of the node when the execution resumes.
	setResumeError(entry, failure);
	return {
		noWebhookResponse: true,
		workflowData: [items.map((item) => ({ ...item, pairedItem: { item: 0 } }))],
	};
}
