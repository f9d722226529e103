import type { IDataObject } from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import { parseEmbeddedJson, parseJsonLossless } from '../transport';
import type { TaskResult } from './taskResult';
import {
	TERMINAL_STATUSES,
	parseFailedReason,
	resultFromV1Outputs,
	resultFromV2Task,
} from './taskResult';

/** A TASK_END callback, parsed. `result` is what the event itself claims about the task. */
export interface TaskEndEvent {
	event: string;
	taskId: string;
	result: TaskResult;
	/** Whether the event reports a finished task (RunningHub only sends TASK_END, but be strict). */
	terminal: boolean;
}

/** Why a body cannot be a RunningHub callback; the text is safe to send back to the caller. */
export interface MalformedEvent {
	malformed: string;
}

export function isMalformed(value: unknown): value is MalformedEvent {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as MalformedEvent).malformed === 'string'
	);
}

const malformed = (message: string): MalformedEvent => ({ malformed: message });

/**
 * Body of a callback request: n8n hands JSON bodies over parsed; anything else (wrong
 * content type, text) is read from the raw bytes so that it can still be judged.
 */
export function callbackBody(body: unknown, rawBody: unknown): unknown {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length > 0)
		return body;
	const raw = Buffer.isBuffer(rawBody)
		? rawBody.toString('utf8')
		: typeof rawBody === 'string'
			? rawBody
			: typeof body === 'string'
				? body
				: '';
	if (raw.trim() === '')
		return malformed(
			'The request body is empty; a RunningHub callback is a JSON object with "event", "taskId" and "eventData".',
		);
	try {
		return parseJsonLossless(raw);
	} catch {
		return malformed(
			'The request body is not JSON; a RunningHub callback is a JSON object with "event", "taskId" and "eventData".',
		);
	}
}

function isV2TaskObject(value: IDataObject): boolean {
	return (
		('status' in value || 'results' in value || 'errorCode' in value) &&
		!('code' in value && 'data' in value)
	);
}

/** v1 outputs envelope inside eventData: `{code: 0, data: [...]}` or `{code: 805, data: {failedReason}}`. */
function resultFromV1Envelope(taskId: string, envelope: IDataObject): TaskResult {
	const code = String(envelope.code);
	if (code === '0') return resultFromV1Outputs(taskId, envelope.data);
	if (code === '804' || code === '813') {
		return {
			taskId,
			status: code === '804' ? 'RUNNING' : 'QUEUED',
			outputs: [],
			usage: null,
			failure: null,
		};
	}
	const data = (
		envelope.data && typeof envelope.data === 'object' ? envelope.data : {}
	) as IDataObject;
	// The v1 msg only names the code (APIKEY_TASK_STATUS_ERROR); the v2 query reports the exception
	// message as errorMessage, so do the same to give both modes the same error.
	const reason = parseFailedReason(data.failedReason);
	const message =
		reason.exceptionMessage ?? ((envelope.msg ?? envelope.message ?? null) as string | null);
	return {
		taskId,
		status: 'FAILED',
		outputs: [],
		usage: null,
		failure: { ...reason, errorCode: code, errorMessage: message },
	};
}

/**
 * Parses what RunningHub posts when a task ends. Accepted shapes (reference §8.1):
 * `{event, taskId, eventData}` with eventData a JSON string or object holding either the v1 outputs
 * envelope or a v2 task object, and a bare v2 task object.
 */
export function parseTaskEndEvent(body: unknown): TaskEndEvent | MalformedEvent {
	if (isMalformed(body)) return body;
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return malformed(
			'The request body must be a JSON object with "event", "taskId" and "eventData".',
		);
	}
	const outer = body as IDataObject;
	const outerTaskId = outer.taskId ?? outer.task_id;
	const event = typeof outer.event === 'string' && outer.event !== '' ? outer.event : 'TASK_END';

	if (!('eventData' in outer) && isV2TaskObject(outer)) {
		if (outerTaskId === undefined || outerTaskId === null || String(outerTaskId) === '') {
			return malformed('The callback has no "taskId".');
		}
		const result = resultFromV2Task({
			...(outer as unknown as V2TaskObject),
			taskId: String(outerTaskId),
		});
		return {
			event,
			taskId: result.taskId,
			result,
			terminal: TERMINAL_STATUSES.includes(result.status),
		};
	}

	if (!('eventData' in outer)) return malformed('The callback has no "eventData".');
	const eventData = parseEmbeddedJson(outer.eventData);
	if (!eventData || typeof eventData !== 'object' || Array.isArray(eventData)) {
		return malformed(
			'"eventData" is not a JSON object (RunningHub sends it as a JSON string of the task outputs).',
		);
	}
	const inner = eventData as IDataObject;
	const taskIdRaw = outerTaskId ?? inner.taskId ?? inner.task_id;
	if (taskIdRaw === undefined || taskIdRaw === null || String(taskIdRaw).trim() === '') {
		return malformed('The callback has no "taskId".');
	}
	const taskId = String(taskIdRaw).trim();

	let result: TaskResult;
	if ('code' in inner) result = resultFromV1Envelope(taskId, inner);
	else if (isV2TaskObject(inner))
		result = resultFromV2Task({ ...(inner as unknown as V2TaskObject), taskId });
	else
		return malformed(
			'"eventData" is neither a RunningHub outputs answer ({code, data}) nor a task object ({status, results}).',
		);
	return { event, taskId, result, terminal: TERMINAL_STATUSES.includes(result.status) };
}
