/** The request log tests read (`sim.requests`): a bounded, printable record of each request. */

import type { RouteContext } from './routes/common';
import type { RecordedRequest } from './types';

const MAX_RECORDED_REQUESTS = 10000;

function recordedBody(ctx: RouteContext): unknown {
	if (ctx.parts) {
		const fields: Record<string, string> = {};
		const files: Array<{ name: string; filename?: string; contentType?: string; size: number }> =
			[];
		for (const p of ctx.parts) {
			if (p.filename === undefined && p.data.length <= 4096)
				fields[p.name] = p.data.toString('utf8');
			else
				files.push({
					name: p.name,
					filename: p.filename,
					contentType: p.contentType,
					size: p.data.length,
				});
		}
		return { fields, files };
	}
	if (ctx.json !== undefined) return ctx.json;
	if (ctx.raw.length > 0) {
		const printable = !ctx.raw.subarray(0, 512).includes(0);
		return printable && ctx.raw.length <= 8192
			? ctx.raw.toString('utf8')
			: `<${ctx.bodyBytes} bytes>`;
	}
	return undefined;
}

/** Appends the request to `log` (dropping the oldest past the bound) and returns its record. */
export function recordRequest(
	log: RecordedRequest[],
	ctx: RouteContext,
	routeName: string,
): RecordedRequest {
	const query: Record<string, string> = {};
	ctx.query.forEach((v, k) => (query[k] = v));
	const record: RecordedRequest = {
		method: ctx.method,
		path: ctx.path,
		route: routeName,
		headers: { ...ctx.headers },
		query,
		body: recordedBody(ctx),
		bodyBytes: ctx.bodyBytes,
		timestamp: Date.now(),
	};
	log.push(record);
	if (log.length > MAX_RECORDED_REQUESTS) log.splice(0, log.length - MAX_RECORDED_REQUESTS);
	return record;
}
