import type { IDataObject } from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import { parseEmbeddedJson, parseJsonLossless } from '../transport';
import type { MalformedEvent, TaskEndEvent, TaskResult } from './interfaces';
import {
	TERMINAL_STATUSES,
	parseFailedReason,
	resultFromV1Outputs,
	resultFromV2Task,
} from './taskResult';

export function isMalformed(value: unknown): value is MalformedEvent {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as MalformedEvent).malformed === 'string'
	);
}

const malformed = (message: string): MalformedEvent => ({ malformed: message });

/** Larger callbacks are refused unread: a real TASK_END holds a few result links. */
export const MAX_CALLBACK_BYTES = 2 * 1024 * 1024;
/** More outputs than any task makes: a body claiming more is refused. */
export const MAX_CALLBACK_OUTPUTS = 1000;
/** The only event RunningHub sends; any other is refused, never taken for a finished task. */
export const TASK_END = 'TASK_END';

const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A task ID as RunningHub sends it: a string (or, losslessly read, a number) of digits and letters.
 */
function taskIdOf(value: unknown): string | MalformedEvent | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number')
		return malformed('"taskId" must be a string of digits, not an object, list or boolean.');
	const taskId = String(value).trim();
	if (taskId === '') return undefined;
	if (!/^[0-9A-Za-z_-]{1,64}$/.test(taskId))
		return malformed('"taskId" must be a string of digits (RunningHub task IDs have 19).');
	return taskId;
}

/** Why a list of outputs cannot be RunningHub's, or undefined when it can. */
function outputsProblem(list: unknown, field: string): string | undefined {
	if (list === undefined || list === null) return undefined;
	if (!Array.isArray(list)) return `"${field}" must be a list of outputs.`;
	if (list.length > MAX_CALLBACK_OUTPUTS)
		return (
			`"${field}" lists ${list.length} outputs; a RunningHub task has at most ` +
			`${MAX_CALLBACK_OUTPUTS}.`
		);
	for (const [index, entry] of list.entries()) {
		if (!isRecord(entry)) return `"${field}[${index}]" must be an object with the output's url.`;
		for (const key of ['url', 'fileUrl', 'outputType', 'fileType']) {
			const value = entry[key];
			if (value !== undefined && value !== null && typeof value !== 'string')
				return `"${field}[${index}].${key}" must be a string.`;
		}
	}
	return undefined;
}

/** Why a task object (v2 shape) cannot be RunningHub's, or undefined when it can. */
function taskObjectProblem(task: IDataObject): string | undefined {
	if (task.status !== undefined && typeof task.status !== 'string')
		return '"status" must be a string such as "SUCCESS" or "FAILED".';
	return outputsProblem(task.results, 'results');
}

/** Why a v1 outputs envelope cannot be RunningHub's, or undefined when it can. */
function envelopeProblem(envelope: IDataObject): string | undefined {
	const code = envelope.code;
	if ((typeof code !== 'number' && typeof code !== 'string') || !/^-?\d+$/.test(String(code)))
		return '"eventData.code" must be a number.';
	if (String(code) === '0') return outputsProblem(envelope.data ?? [], 'eventData.data');
	if (envelope.data !== undefined && envelope.data !== null && !isRecord(envelope.data))
		return '"eventData.data" of a failed task must be an object.';
	return undefined;
}

/**
 * Body of a callback request: n8n hands JSON bodies over parsed; anything else (wrong
 * content type, text) is read from the raw bytes so that it can still be judged.
 */
export function callbackBody(body: unknown, rawBody: unknown): unknown {
	const rawSize = Buffer.isBuffer(rawBody)
		? rawBody.length
		: typeof rawBody === 'string'
			? Buffer.byteLength(rawBody)
			: 0;
	if (rawSize > MAX_CALLBACK_BYTES)
		return malformed(
			`The request body has ${rawSize} bytes; a RunningHub callback is far smaller (at most ` +
				`${MAX_CALLBACK_BYTES}).`,
		);
	// The raw bytes are read with the lossless parser, so a task ID sent as a bare 19-digit number
	// keeps its digits (n8n's own parse rounds it). The parsed body is used only without them.
	const raw =
		rawSize > 0
			? Buffer.isBuffer(rawBody)
				? rawBody.toString('utf8')
				: String(rawBody)
			: typeof body === 'string'
				? body
				: '';
	if (raw.trim() === '' && isRecord(body) && Object.keys(body).length > 0) return body;
	if (raw.trim() === '')
		return malformed(
			'The request body is empty; a RunningHub callback is a JSON object with "event", "taskId" ' +
				'and "eventData".',
		);
	try {
		return parseJsonLossless(raw);
	} catch {
		return malformed(
			'The request body is not JSON; a RunningHub callback is a JSON object with "event", ' +
				'"taskId" and "eventData".',
		);
	}
}

function isV2TaskObject(value: IDataObject): boolean {
	return (
		('status' in value || 'results' in value || 'errorCode' in value) &&
		!('code' in value && 'data' in value)
	);
}

/**
 * v1 outputs envelope inside eventData: `{code: 0, data: [...]}` or `{code: 805, data:
 * {failedReason}}`.
 */
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
 * Parses what RunningHub posts when a task ends. Accepted shapes (docs/ARCHITECTURE.md):
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
	const outerTaskId = taskIdOf(outer.taskId ?? outer.task_id);
	if (isMalformed(outerTaskId)) return outerTaskId;
	if (outer.event !== undefined && outer.event !== null && outer.event !== TASK_END) {
		return malformed(
			`Only "${TASK_END}" events are handled; this one is ` +
				`${JSON.stringify(outer.event).slice(0, 40)}.`,
		);
	}
	const event = TASK_END;

	if (!('eventData' in outer) && isV2TaskObject(outer)) {
		if (outerTaskId === undefined) return malformed('The callback has no "taskId".');
		const problem = taskObjectProblem(outer);
		if (problem) return malformed(problem);
		const result = resultFromV2Task({
			...(outer as unknown as V2TaskObject),
			taskId: outerTaskId,
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
			'"eventData" is not a JSON object (RunningHub sends it as a JSON string of the task ' +
				'outputs).',
		);
	}
	const inner = eventData as IDataObject;
	const innerTaskId = taskIdOf(inner.taskId ?? inner.task_id);
	if (isMalformed(innerTaskId)) return innerTaskId;
	const taskId = outerTaskId ?? innerTaskId;
	if (taskId === undefined) return malformed('The callback has no "taskId".');

	let result: TaskResult;
	if ('code' in inner) {
		const problem = envelopeProblem(inner);
		if (problem) return malformed(problem);
		result = resultFromV1Envelope(taskId, inner);
	} else if (isV2TaskObject(inner)) {
		const problem = taskObjectProblem(inner);
		if (problem) return malformed(problem);
		result = resultFromV2Task({ ...(inner as unknown as V2TaskObject), taskId });
	} else
		return malformed(
			'"eventData" is neither a RunningHub outputs answer ({code, data}) nor a task object ' +
				'({status, results}).',
		);
	return { event, taskId, result, terminal: TERMINAL_STATUSES.includes(result.status) };
}
