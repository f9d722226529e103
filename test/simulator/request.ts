/** Reading a request: the body within the route's size limit, then JSON or multipart parsing. */

import type * as http from 'http';
import { getBoundary, MultipartError, parseMultipart } from './multipart';
import { MiB } from './options';
import type { RouteContext, RouteDef } from './routes/common';
import type { RunningHubSimulator } from './server';

const JSON_BODY_LIMIT = 64 * MiB;
const LARGE_BODY_LIMIT = 1024 * MiB;

interface BodyResult {
	buf: Buffer;
	size: number;
	tooLarge: boolean;
	aborted: boolean;
}

/** Read the whole body; past `limit` keep reading (so the client can finish sending) but drop the bytes. */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
			} else chunks.push(chunk);
		});
		req.on('end', () =>
			resolve({
				buf: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks, size),
				size,
				tooLarge,
				aborted: false,
			}),
		);
		req.on('error', () => resolve({ buf: Buffer.alloc(0), size, tooLarge, aborted: true }));
		req.on('aborted', () => resolve({ buf: Buffer.alloc(0), size, tooLarge, aborted: true }));
	});
}

/**
 * A Java backend reads 19-digit IDs sent as bare JSON numbers exactly; JSON.parse would round them.
 * Quote them before parsing so the simulator is as lenient as the real service (only for ID keys, and
 * only at places where the key is not inside an escaped string).
 */
function parseJsonLosslessIds(text: string): unknown {
	return JSON.parse(
		text.replace(/"(taskId|webappId|workflowId|webhookId)"(\s*:\s*)(\d{16,})/g, '"$1"$2"$3"'),
	);
}

/**
 * Reads the body of a request for `route` (if any matched) and builds the context its handler gets.
 * Undefined when the client went away before the body was complete.
 */
export async function readRequest(
	sim: RunningHubSimulator,
	req: http.IncomingMessage,
	url: URL,
	method: string,
	matched: { route: RouteDef; params: string[] } | undefined,
): Promise<RouteContext | undefined> {
	const route = matched?.route;
	const uploadLimit =
		route?.upload === 'legacy'
			? sim.options.maxUploadBytes
			: (sim.options.maxMediaUploadBytes ?? LARGE_BODY_LIMIT);
	const limit = route?.largeBody
		? LARGE_BODY_LIMIT
		: route?.upload
			? uploadLimit + MiB
			: JSON_BODY_LIMIT;
	const bodyResult = await readBody(req, limit);
	if (bodyResult.aborted) return undefined;

	const ctx: RouteContext = {
		sim,
		method,
		path: url.pathname,
		params: matched?.params ?? [],
		query: url.searchParams,
		headers: req.headers,
		raw: bodyResult.buf,
		json: undefined,
		jsonError: false,
		bodyTooLarge: bodyResult.tooLarge,
		bodyBytes: bodyResult.size,
	};
	const boundary = getBoundary(req.headers['content-type']);
	if (route?.upload && !bodyResult.tooLarge) {
		if (boundary) {
			try {
				ctx.parts = parseMultipart(bodyResult.buf, boundary);
			} catch (err) {
				if (!(err instanceof MultipartError)) throw err;
				ctx.multipartError = err.message;
			}
		}
	} else if (bodyResult.buf.length > 0 && !route?.largeBody) {
		try {
			ctx.json = parseJsonLosslessIds(bodyResult.buf.toString('utf8'));
		} catch {
			ctx.jsonError = true;
		}
	}
	return ctx;
}
