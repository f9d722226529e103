/** Small helpers: IDs, times, hashes, the two RunningHub response envelopes and JSON writing. */

import { createHash, randomBytes, randomInt } from 'crypto';
import type { SimResponse } from './types';

/** Official texts for v1 codes (DOC-ERR, §9 of the reference). */
export const V1_MESSAGES: Record<number, string> = {
	0: 'success',
	1: 'webhook event not exists',
	301: 'PARAMS_INVALID',
	380: 'WORKFLOW_NOT_EXISTS',
	412: 'TOKEN_INVALID',
	415: 'TASK_INSTANCE_MAXED',
	416: 'TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET',
	421: 'TASK_QUEUE_MAXED',
	423: 'TASK_NOT_FOUNED',
	433: 'VALIDATE_PROMPT_FAILED',
	435: 'TASK_USER_EXCLAPI_INSTANCE_NOT_FOUND',
	436: 'TASK_USER_EXCLAPI_REQUIRED',
	500: 'UNKNOWN_ERROR',
	801: 'APIKEY_UNSUPPORTED_FREE_USER',
	802: 'APIKEY_UNAUTHORIZED',
	803: 'APIKEY_INVALID_NODE_INFO',
	804: 'APIKEY_TASK_IS_RUNNING',
	805: 'APIKEY_TASK_STATUS_ERROR',
	806: 'APIKEY_USER_NOT_FOUND',
	807: 'APIKEY_TASK_NOT_FOUND',
	808: 'APIKEY_UPLOAD_FAILED',
	809: 'APIKEY_FILE_SIZE_EXCEEDED',
	810: 'WORKFLOW_NOT_SAVED_OR_NOT_RUNNING',
	811: 'CORPAPIKEY_INVALID',
	812: 'CORPAPIKEY_INSUFFICIENT_FUNDS',
	813: 'APIKEY_TASK_IS_QUEUED',
	814: 'PERSONAL_QUEUE_COUNT_LIMIT',
	901: 'WEBAPP_NOT_EXISTS',
	1601: 'param apiKey is required',
};

/** Official texts for v2 errorCodes. */
export const V2_MESSAGES: Record<string, string> = {
	'1000': 'Unknown error, please retry or contact support',
	'1001': 'Invalid URL, please check your link',
	'1002': 'Invalid API Key, please check your credentials',
	'1003': 'Rate limit exceeded, please slow down requests',
	'1004': 'Task not found, please check the task ID',
	'1005': 'Internal server error, please retry later',
	'1006': 'Task execution timed out, please retry',
	'1007': 'Invalid parameters, please check your input',
	'1008': 'File size limit exceeded',
	'1009': 'HTTP method not supported, please check documentation',
	'1010': 'Service unavailable, please retry later',
	'1011': 'System is currently busy, please retry later',
	'1012': 'Service response exception, please contact support or retry later',
	'1013': 'File processing failed, please check the URL or retry',
	'1014': 'Access Denied: Standard Model API is restricted to Enterprise-Shared API Keys only.',
	'1015': 'Generation failed, please try again.',
	'1101': 'Node info error',
	'1501': 'Content verification failed, please modify your prompt or images',
	'1504': 'Model timed out, please retry later',
	'1505': 'Photorealistic real people are prohibited, please modify your prompt or image',
};

export function messageFor(code: number | string): string {
	const n = Number(code);
	return V2_MESSAGES[String(code)] ?? V1_MESSAGES[n] ?? 'UNKNOWN_ERROR';
}

/**
 * A 19-digit snowflake-looking ID. It always ends in an odd digit, so it is never a multiple of 256
 * and a JavaScript number can never hold it exactly: a client that parses it as a number is caught.
 */
export function newId19(): string {
	let digits = '19';
	for (let i = 0; i < 16; i++) digits += String(randomInt(0, 10));
	return digits + String(2 * randomInt(0, 5) + 1);
}

export function newClientId(): string {
	return randomBytes(16).toString('hex');
}

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export function md5Hex(data: Buffer | string): string {
	return createHash('md5').update(data).digest('hex');
}

/** `YYYY-MM-DDTHH:mm:ss` in China time (UTC+8, no zone), the format of getWebhookDetail. */
export function formatRhTime(ms: number): string {
	return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19);
}

/** v1 envelope. Live captures carry `errorMessages: null`, so we do too. */
export function v1(code: number, msg?: string, data: unknown = null): Record<string, unknown> {
	return { code, msg: msg ?? V1_MESSAGES[code] ?? '', data, errorMessages: null };
}

/** v2 task-endpoint error: the flat task object with empty taskId/status. */
export function v2Error(errorCode: string, errorMessage?: string): Record<string, unknown> {
	return { taskId: '', status: '', errorCode, errorMessage: errorMessage ?? messageFor(errorCode) };
}

export function ok(json: unknown): SimResponse {
	return { status: 200, json };
}

/**
 * Python's json.dumps default formatting (", " and ": " separators). promptTips is produced by the
 * ComfyUI backend in Python, so its string looks like this on the real service.
 */
export function pythonJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (Array.isArray(value)) return '[' + value.map(pythonJson).join(', ') + ']';
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).map(
			([k, v]) => JSON.stringify(k) + ': ' + pythonJson(v),
		);
		return '{' + entries.join(', ') + '}';
	}
	return JSON.stringify(value);
}

/**
 * Serialise a JSON response. With `numericIds`, every `"taskId":"<19 digits>"` is written as a bare
 * number, which is legal JSON but loses precision in JSON.parse - the quirk clients must survive.
 */
export function serializeJson(value: unknown, numericIds: boolean): string {
	const text = JSON.stringify(value);
	return numericIds ? text.replace(/"taskId":"(\d{16,20})"/g, '"taskId":$1') : text;
}

/** Recursively collect every string in a value (markers like [[fail]] are searched in them). */
export function collectStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
	else if (value && typeof value === 'object')
		for (const v of Object.values(value)) collectStrings(v, out);
	return out;
}

export function hasMarker(value: unknown, marker: string): boolean {
	return collectStrings(value).some((s) => s.includes(marker));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}
