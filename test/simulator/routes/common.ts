/** Route plumbing shared by all route files: context type, route table entries and auth rules. */

import type { IncomingHttpHeaders } from 'http';
import type { RouteFamily } from '../faults';
import type { SimKeyInfo } from '../keys';
import type { MultipartPart } from '../multipart';
import type { RunningHubSimulator } from '../server';
import type { SimResponse } from '../types';
import { isRecord, ok, v1, v2Error } from '../util';

export interface RouteContext {
	sim: RunningHubSimulator;
	method: string;
	path: string;
	/** Capture groups of the route pattern. */
	params: string[];
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	raw: Buffer;
	/** Parsed JSON body (undefined when absent or not JSON). */
	json: unknown;
	jsonError: boolean;
	/** Parsed multipart parts (upload routes only). */
	parts?: MultipartPart[];
	multipartError?: string;
	/** The body exceeded the route's size limit (it was read and discarded). */
	bodyTooLarge: boolean;
	bodyBytes: number;
}

export interface RouteDef {
	name: string;
	method: string;
	pattern: RegExp;
	family: RouteFamily;
	/**
	 * Body is a multipart upload, parsed into ctx.parts: `legacy` within maxUploadBytes, `media`
	 * within maxMediaUploadBytes (or the large-body limit when that is unset).
	 */
	upload?: 'legacy' | 'media';
	/** Raw body up to 1 GiB (LoRA presigned PUT). */
	largeBody?: boolean;
	/** Counted in stats.createRequests / stats.statusRequests. */
	counts?: 'create' | 'status';
	handler(ctx: RouteContext): SimResponse | Promise<SimResponse>;
}

export function body(ctx: RouteContext): Record<string, unknown> {
	return isRecord(ctx.json) ? ctx.json : {};
}

export type AuthResult = { key: string; info: SimKeyInfo } | { response: SimResponse };

/**
 * v1 authentication: the key is in the JSON body (`apiKey`; `apikey` for accountStatus), the query
 * string (apiCallDemo) or a multipart field (legacy upload). A Bearer header alone is NOT enough,
 * exactly like the live API (header-only → 301 "must not be blank" / 1601).
 */
export function v1Auth(
	ctx: RouteContext,
	source: 'body' | 'bodyLower' | 'query' | 'multipart',
): AuthResult {
	let key: unknown;
	if (source === 'body') key = body(ctx).apiKey;
	else if (source === 'bodyLower') key = body(ctx).apikey;
	else if (source === 'query') key = ctx.query.get('apiKey') ?? undefined;
	else
		key = ctx.parts
			?.find((p) => p.name === 'apiKey' && p.filename === undefined)
			?.data.toString('utf8');

	if (typeof key !== 'string' || key.trim() === '') {
		return {
			response: ok(
				source === 'bodyLower'
					? v1(1601, 'param apiKey is required', null)
					: v1(301, 'must not be blank', null),
			),
		};
	}
	const info = ctx.sim.keyInfo(key);
	if (!info) return { response: ok(v1(802, 'APIKEY_UNAUTHORIZED', null)) };
	if (info.apiType === 'FREE')
		return { response: ok(v1(801, 'APIKEY_UNSUPPORTED_FREE_USER', null)) };
	return { key, info };
}

/** The key of an `Authorization: Bearer <key>` header, if any. */
export function bearerKey(headers: IncomingHttpHeaders): string | undefined {
	const header = headers.authorization;
	if (typeof header !== 'string') return undefined;
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	return match ? match[1] : undefined;
}

/**
 * v2 authentication: Bearer header only. Missing → the v1-shaped {code:412,msg:"TOKEN_INVALID"}
 * (verified live). A wrong key is reported in the shape of the endpoint family.
 */
export function v2Auth(ctx: RouteContext, family: 'task' | 'upload' | 'util'): AuthResult {
	const key = bearerKey(ctx.headers);
	if (!key) return { response: ok({ code: 412, msg: 'TOKEN_INVALID' }) };
	const info = ctx.sim.keyInfo(key);
	if (!info) {
		if (family === 'task')
			return { response: ok(v2Error('1002', 'Invalid API Key, please check your credentials')) };
		if (family === 'upload')
			return {
				response: ok({
					code: 401,
					message: 'ApiKey verification failed: API Key不存在',
					data: null,
				}),
			};
		return {
			response: ok({ code: 401, msg: 'ApiKey verification failed: API Key不存在', data: null }),
		};
	}
	if (info.apiType === 'FREE') {
		if (family === 'task') return { response: ok(v2Error('801', 'APIKEY_UNSUPPORTED_FREE_USER')) };
		if (family === 'upload')
			return { response: ok({ code: 801, message: 'APIKEY_UNSUPPORTED_FREE_USER', data: null }) };
		return { response: ok({ code: 801, msg: 'APIKEY_UNSUPPORTED_FREE_USER', data: null }) };
	}
	return { key, info };
}

/** A task ID from the body: string, or a number (which a JS client may already have rounded). */
export function taskIdOf(ctx: RouteContext): string | undefined {
	const v = body(ctx).taskId;
	if (typeof v === 'string' && v.trim() !== '') return v.trim();
	if (typeof v === 'number') return String(v);
	return undefined;
}
