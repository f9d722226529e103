import type { IDataObject, INode } from 'n8n-workflow';

import { taskIdOf } from '../transport';
import type { TaskResult } from './interfaces';

/*
 * The node as a tool of an AI Agent ("RunningHub Tool"). n8n runs it on two paths:
 * - AI Agent 3 and later: the agent asks the workflow engine to run the tool node like any node
 *   (isToolExecution() is false there, but the execution can pause);
 * - AI Agent 2 and older callers: the node runs inside the agent as a LangChain tool
 *   (isToolExecution() is true; the execution cannot pause and a thrown error reaches the model
 *   as an empty or terse message).
 * On both the node type is the generated `…runningHubTool`, which is what tool mode keys on.
 */

interface ToolModeContext {
	getNode(): INode;
	isToolExecution?: () => boolean;
}

export function isToolMode(context: ToolModeContext): boolean {
	if (context.getNode().type.endsWith('Tool')) return true;
	return typeof context.isToolExecution === 'function' && context.isToolExecution();
}

/** Whether this run is inside the agent itself, where an execution cannot pause (AI Agent 2). */
export function isInlineToolRun(context: ToolModeContext): boolean {
	return typeof context.isToolExecution === 'function' && context.isToolExecution();
}

/**
 * How long a tool call waits for its task by default: an agent turn should not hang for the
 * half hour a video may take; the model gets the task ID and can check again later.
 */
export const TOOL_TIMEOUT_SECONDS = 240;

/** RunningHub's result links are public and stop working about a day after the task. */
const RESULT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * The answer a model gets for a task: what it needs to reply or to call again, nothing it would
 * have
 * to wade through (tracebacks, empty fields, binary data).
 */
export function leanTaskResult(result: TaskResult, extra: IDataObject = {}): IDataObject {
	const expiresAt = new Date(Date.now() + RESULT_LINK_LIFETIME_MS).toISOString();
	const files = result.outputs
		.filter((output) => output.fileUrl)
		.map((output) => ({
			url: output.fileUrl,
			type: output.fileType,
			...(output.nodeId ? { nodeId: output.nodeId } : {}),
			expiresAt,
		}));
	const texts = result.outputs.filter((output) => output.text).map((output) => output.text);
	const lean: IDataObject = { status: result.status, taskId: result.taskId, ...extra };
	if (files.length) {
		lean.files = files;
		lean.note =
			'Each file url is a public link that works for about 24 hours (until expiresAt). Give the ' +
			'user the url; do not describe the content as if you had seen it.';
	}
	if (texts.length) lean.texts = texts;
	if (result.usage && Object.keys(result.usage).length) lean.cost = result.usage;
	return lean;
}

/** Advice for the model by kind of failure: what it can change before calling again. */
function adviceFor(message: string, description: string): string {
	const text = `${message} ${description}`;
	if (/out of memory|\bOOM\b/i.test(text))
		return (
			'The GPU ran out of memory: try again with a smaller size or resolution, fewer ' +
			'frames or a shorter video, or tell the user to choose the Plus (48 GB) instance type in ' +
			'the tool options.'
		);
	if (/did not finish within|did not call back within|timed? ?out/i.test(text))
		return (
			'The task may still be running on RunningHub and is billed either way: do not start ' +
			'it again at once; give the user the task ID so the result can be fetched later, or tell ' +
			'them to raise Timeout (Seconds) in the tool options.'
		);
	if (/rejected the inputs|is not a valid|must be|expected/i.test(text))
		return (
			'One of the arguments was not accepted: change the named input (type, range, option ' +
			'or file name) and call the tool again.'
		);
	if (/Wait for Callback/.test(text))
		return (
			'Tell the user to set Wait Mode to "Wait for Completion" in this tool, or to use AI ' +
			'Agent version 3 or later, which can pause.'
		);
	if (/credential|api key|unauthori[sz]ed|balance|insufficient|quota|concurren/i.test(text))
		return (
			'This is a problem of the RunningHub account, not of your arguments: do not retry; ' +
			'tell the user what failed.'
		);
	return (
		'Change the arguments that feed the failing step (for example a simpler or shorter ' +
		'prompt) and call the tool once more, or tell the user what failed.'
	);
}

/** A failed tool call as JSON the model can read and act on, instead of an error it never sees. */
export function toolErrorResult(error: unknown): IDataObject {
	const message = String((error as Error)?.message ?? error);
	const description = String((error as { description?: unknown })?.description ?? '');
	const taskId = taskIdOf(error);
	const result: IDataObject = { status: 'ERROR', error: message };
	if (description && !message.includes(description)) result.details = description;
	if (taskId) result.taskId = taskId;
	result.whatToDo = adviceFor(message, description);
	return result;
}
