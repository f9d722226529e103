import type { IDataObject } from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import { isNoErrorCode, parseEmbeddedJson } from '../transport';
import type { TaskFailure, TaskOutput, TaskResult } from './interfaces';

/** Statuses after which a task never changes again. */
export const TERMINAL_STATUSES = ['SUCCESS', 'FAILED', 'CANCEL', 'CANCELLED'];

function stringOrNull(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	return String(value);
}

/** Extension of a URL's file name, e.g. `png` from `.../ComfyUI_00033.png?sign=...`. */
export function extensionOfUrl(url: string | null): string | null {
	if (!url) return null;
	const path = url.split('?')[0].split('#')[0];
	const match = /\.([a-z0-9]{1,8})$/i.exec(path);
	return match ? match[1].toLowerCase() : null;
}

/**
 * `failedReason` arrives as an object (v2) or inside the v1 805 answer; its `traceback`,
 * `current_inputs` and `current_outputs` may be JSON strings.
 */
export function parseFailedReason(
	raw: unknown,
	errorCode?: string | null,
	errorMessage?: string | null,
): TaskFailure {
	const reason = (parseEmbeddedJson(raw) ?? {}) as IDataObject;
	const reasonObject =
		typeof reason === 'object' && reason !== null ? reason : { exception_message: String(reason) };
	const tracebackRaw = parseEmbeddedJson(reasonObject.traceback);
	const traceback = Array.isArray(tracebackRaw)
		? tracebackRaw.map(String)
		: typeof tracebackRaw === 'string' && tracebackRaw !== ''
			? [tracebackRaw]
			: null;
	return {
		errorCode: stringOrNull(errorCode),
		errorMessage: stringOrNull(errorMessage),
		nodeId: stringOrNull(reasonObject.node_id),
		nodeName: stringOrNull(reasonObject.node_name),
		exceptionType: stringOrNull(reasonObject.exception_type),
		exceptionMessage: stringOrNull(reasonObject.exception_message),
		traceback,
	};
}

/**
 * A failure that says only a code and a message: the v2 query of a failed workflow or AI-app task
 * may leave failedReason empty, the node and exception being only in the v1 outputs and the
 * webhook.
 */
export function lacksFailureDetails(failure: TaskFailure | null): boolean {
	return (
		failure !== null &&
		!failure.nodeId &&
		!failure.nodeName &&
		!failure.exceptionType &&
		!failure.exceptionMessage &&
		!failure.traceback?.length
	);
}

/**
 * `result`, with the failing node, exception and traceback taken from `details` when `result` has
 * none of its own; the status, code and message of `result` stay.
 */
export function withDetailsFrom(result: TaskResult, details: TaskFailure | null): TaskResult {
	if (!result.failure || !lacksFailureDetails(result.failure)) return result;
	if (!details || lacksFailureDetails(details)) return result;
	return {
		...result,
		failure: {
			...details,
			errorCode: result.failure.errorCode ?? details.errorCode,
			errorMessage: result.failure.errorMessage ?? details.errorMessage,
		},
	};
}

/** Longest exception text in a headline; the whole text goes to the error's description. */
const HEADLINE_EXCEPTION_CHARS = 300;

function firstLine(text: string): string {
	const line = text.split(/\r?\n/).find((part) => part.trim() !== '') ?? '';
	return line.length > HEADLINE_EXCEPTION_CHARS
		? `${line.slice(0, HEADLINE_EXCEPTION_CHARS - 1).trimEnd()}…`
		: line.trim();
}

/** `node #6 CLIPTextEncode`, or undefined when RunningHub names no node. */
export function failingNode(failure: TaskFailure): string | undefined {
	if (!failure.nodeId && !failure.nodeName) return undefined;
	return ['node', failure.nodeId ? `#${failure.nodeId}` : '', failure.nodeName ?? '']
		.filter(Boolean)
		.join(' ');
}

/**
 * One plain sentence for a failed task, in the words a user reads first: where it failed, the
 * exception and its message. Codes, RunningHub's generic message and the traceback stay out of it
 * (see failureDetails).
 */
export function failureHeadline(status: string, failure: TaskFailure | null): string {
	const ended = status === 'FAILED' ? 'Task failed' : `Task ended with status ${status}`;
	if (!failure) return ended;
	const where = failingNode(failure);
	const exception = failure.exceptionMessage ? firstLine(failure.exceptionMessage) : '';
	const what = failure.exceptionType
		? `with ${failure.exceptionType}${exception ? `: ${exception}` : ''}`
		: undefined;
	const reason = exception || failure.errorMessage || 'RunningHub gave no reason';
	if (where && what) return `${ended} in ${where} ${what}`;
	if (what) return `${ended} ${what}`;
	if (where) return `${ended} in ${where}: ${reason}`;
	return `${ended}: ${reason}`;
}

/**
 * What the headline leaves out, for the error's description: RunningHub's own message when the
 * headline did not quote it, the whole exception text when the headline shortened it, and the
 * last lines of the traceback.
 */
export function failureDetails(failure: TaskFailure, headline: string): string[] {
	const details: string[] = [];
	if (failure.errorMessage && !headline.includes(failure.errorMessage))
		details.push(`RunningHub said: ${failure.errorMessage}.`);
	const exception = failure.exceptionMessage?.trim();
	if (exception && !headline.includes(exception))
		details.push(
			`${failure.exceptionType ? `${failure.exceptionType}: ` : ''}${exception.slice(0, 1500)}`,
		);
	if (failure.traceback?.length)
		details.push(`Traceback (last lines): ${failure.traceback.slice(-3).join(' ').slice(0, 1500)}`);
	return details;
}

/** v2 query / submit object → the item every operation returns. */
export function resultFromV2Task(task: V2TaskObject): TaskResult {
	const status = String(task.status ?? '')
		.trim()
		.toUpperCase();
	const outputs: TaskOutput[] = (task.results ?? []).map((result) => {
		const loose = result as IDataObject;
		const fileUrl = stringOrNull(loose.url ?? loose.outputUrl ?? loose.fileUrl);
		return {
			fileUrl,
			fileType: stringOrNull(loose.outputType ?? loose.fileType) ?? extensionOfUrl(fileUrl),
			nodeId: stringOrNull(loose.nodeId),
			text: stringOrNull(loose.text ?? loose.content ?? loose.output),
		};
	});
	const errorCode = isNoErrorCode(task.errorCode) ? '' : String(task.errorCode).trim();
	const failed =
		status === 'FAILED' || status === 'CANCEL' || status === 'CANCELLED' || errorCode !== '';
	const failedReason =
		task.failedReason &&
		typeof task.failedReason === 'object' &&
		Object.keys(task.failedReason).length === 0
			? undefined
			: task.failedReason;
	return {
		taskId: String(task.taskId),
		status: failed && status !== 'CANCEL' && status !== 'CANCELLED' ? 'FAILED' : status,
		outputs,
		usage: task.usage ? compactUsage(task.usage) : null,
		failure: failed ? parseFailedReason(failedReason, errorCode, task.errorMessage) : null,
	};
}

/** v1 outputs list items (`/task/openapi/outputs`, webhook eventData) → outputs + usage. */
export function resultFromV1Outputs(taskId: string, list: unknown): TaskResult {
	const items = Array.isArray(list) ? (list as IDataObject[]) : [];
	const outputs: TaskOutput[] = items.map((entry) => {
		const fileUrl = stringOrNull(entry.fileUrl ?? entry.url);
		return {
			fileUrl,
			fileType: stringOrNull(entry.fileType ?? entry.outputType) ?? extensionOfUrl(fileUrl),
			nodeId: stringOrNull(entry.nodeId),
			text: stringOrNull(entry.text),
		};
	});
	const first = items[0] ?? {};
	const usage = compactUsage({
		taskCostTime: first.taskCostTime,
		consumeCoins: first.consumeCoins,
		consumeMoney: first.consumeMoney,
		thirdPartyConsumeMoney: first.thirdPartyConsumeMoney,
	});
	return {
		taskId,
		status: 'SUCCESS',
		outputs,
		usage: Object.keys(usage).length ? usage : null,
		failure: null,
	};
}

function compactUsage(usage: IDataObject): IDataObject {
	const compact: IDataObject = {};
	for (const [key, value] of Object.entries(usage)) {
		if (value === null || value === undefined || value === '') continue;
		const numeric = Number(value);
		compact[key] = Number.isFinite(numeric) ? numeric : (value as string);
	}
	return compact;
}
