/** Writing an answer: JSON or raw bodies, injected faults, and the answers no route gives. */

import type * as http from 'http';
import { faultResponse } from './faults';
import type { RouteDef } from './routes/common';
import type { FaultSpec, SimResponse } from './types';
import { serializeJson, v2Error } from './util';

/** Writes `response`; `numericIds` writes task IDs as bare JSON numbers (the quirk). */
export function writeResponse(
	res: http.ServerResponse,
	response: SimResponse,
	method: string,
	numericIds: boolean,
): void {
	if (res.destroyed || res.writableEnded) return;
	let payload: Buffer;
	const headers: Record<string, string> = {};
	if (response.json !== undefined) {
		payload = Buffer.from(serializeJson(response.json, numericIds));
		headers['content-type'] = 'application/json;charset=UTF-8';
	} else {
		payload = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body ?? '');
	}
	Object.assign(headers, response.headers ?? {});
	headers['content-length'] = String(payload.length);
	res.writeHead(response.status, headers);
	res.end(method === 'HEAD' ? undefined : payload);
}

/**
 * Answers with an injected fault: an abrupt close, or an error shaped like the route's own (returned,
 * for the request log).
 */
export function writeFault(
	res: http.ServerResponse,
	fault: FaultSpec,
	route: RouteDef,
	path: string,
	method: string,
): SimResponse | undefined {
	if (fault.kind === 'reset') {
		// Abrupt close: the client sees ECONNRESET / "socket hang up".
		res.socket?.destroy();
		return undefined;
	}
	const response = faultResponse(fault, route.family, path);
	writeResponse(res, response, method, false);
	return response;
}

export function unknownPath(path: string): SimResponse {
	// The error table says 412 TOKEN_INVALID also means "wrong API path"; files get a COS 404.
	if (path.startsWith('/files/'))
		return {
			status: 404,
			headers: { 'content-type': 'application/xml' },
			body: '<Error><Code>NoSuchKey</Code></Error>',
		};
	return {
		status: 200,
		json: { code: 412, msg: 'TOKEN_INVALID', data: null, errorMessages: null },
	};
}

export function methodNotAllowed(route: RouteDef, path: string): SimResponse {
	if (route.family === 'v2task' || route.family === 'v2util' || route.family === 'v2upload')
		return {
			status: 200,
			json:
				route.family === 'v2task'
					? v2Error('1009')
					: {
							code: 1009,
							msg: 'HTTP method not supported, please check documentation',
							data: null,
						},
		};
	return {
		status: 405,
		json: { timestamp: new Date().toISOString(), status: 405, error: 'Method Not Allowed', path },
	};
}
