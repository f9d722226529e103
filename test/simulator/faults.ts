/**
 * Fault injection: HTTP errors, connection resets, slow answers, answers that never come and RunningHub
 * error codes.
 */

import type { FaultSpec, SimResponse } from './types';
import { messageFor, v1, v2Error } from './util';

/** How a route's errors look, so a 'code' fault is shaped like a real error of that route. */
export type RouteFamily = 'v1' | 'v2task' | 'v2upload' | 'v2util' | 'files' | 'control';

interface ActiveFault extends FaultSpec {
	remaining: number;
}

export class FaultManager {
	private faults: ActiveFault[] = [];

	add(spec: FaultSpec): void {
		const times = spec.times ?? 1;
		this.faults.push({ ...spec, remaining: times < 0 ? Infinity : times });
	}

	clear(): void {
		this.faults = [];
	}

	get count(): number {
		return this.faults.length;
	}

	list(): FaultSpec[] {
		return this.faults.map(({ remaining, ...spec }) => ({
			...spec,
			times: remaining === Infinity ? -1 : remaining,
		}));
	}

	/** Take (consume one use of) the first fault matching this request. */
	take(method: string, path: string): FaultSpec | undefined {
		const idx = this.faults.findIndex((f) => matches(f, method, path));
		if (idx < 0) return undefined;
		const fault = this.faults[idx];
		fault.remaining--;
		if (fault.remaining <= 0) this.faults.splice(idx, 1);
		return fault;
	}
}

function matches(f: FaultSpec, method: string, path: string): boolean {
	if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
	if (f.route instanceof RegExp) return f.route.test(path);
	if (f.route.endsWith('*')) return path.startsWith(f.route.slice(0, -1));
	return path === f.route;
}

/** The answer of an 'http' or 'code' fault ('reset', 'slow' and 'hang' are handled by dispatch). */
export function faultResponse(fault: FaultSpec, family: RouteFamily, path: string): SimResponse {
	if (fault.kind === 'code') {
		const code = fault.code ?? (family === 'v1' ? 500 : '1005');
		const msg = fault.msg ?? messageFor(code);
		if (family === 'v2task') return { status: 200, json: v2Error(String(code), msg) };
		if (family === 'v2upload')
			return { status: 200, json: { code: Number(code), message: msg, data: null } };
		if (family === 'v2util') return { status: 200, json: { code: Number(code), msg, data: null } };
		return { status: 200, json: v1(Number(code), msg, null) };
	}
	const status = fault.status ?? 500;
	const headers: Record<string, string> = {};
	if (fault.retryAfterSeconds !== undefined)
		headers['retry-after'] = String(fault.retryAfterSeconds);
	if (status === 429) {
		// What a rate-limiting gateway typically sends.
		return {
			status,
			headers,
			json: { code: 1003, msg: 'Rate limit exceeded, please slow down requests', data: null },
		};
	}
	if (status === 502 || status === 503 || status === 504) {
		// nginx-style HTML page: clients must not try to JSON.parse it blindly.
		const text =
			status === 502
				? 'Bad Gateway'
				: status === 503
					? 'Service Temporarily Unavailable'
					: 'Gateway Time-out';
		headers['content-type'] = 'text/html';
		return {
			status,
			headers,
			body: `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
		};
	}
	// Spring Boot's default error body.
	return {
		status,
		headers,
		json: {
			timestamp: new Date().toISOString(),
			status,
			error: status === 500 ? 'Internal Server Error' : 'Error',
			path,
		},
	};
}
