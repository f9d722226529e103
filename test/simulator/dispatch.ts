/** The route table and the path of one request through it: match, record, fault, handle, answer. */

import type * as http from 'http';
import { readRequest } from './request';
import { recordRequest } from './recorder';
import { methodNotAllowed, unknownPath, writeFault, writeResponse } from './respond';
import type { RouteDef } from './routes/common';
import { controlRoutes } from './routes/control';
import { fileRoutes } from './routes/files';
import { v1Routes } from './routes/v1';
import { v2Routes } from './routes/v2';
import type { RunningHubSimulator } from './server';
import type { FaultSpec, RecordedAnswer, RecordedRequest, SimResponse } from './types';
import { v1 } from './util';

/** Control routes first, model catch-all (in v2Routes) last. */
const ROUTES: RouteDef[] = [...controlRoutes, ...fileRoutes, ...v1Routes, ...v2Routes];

/**
 * First route whose pattern and method match; failing that, the first whose pattern matches (the
 * caller then answers "method not allowed"). HEAD is served by GET routes.
 */
function matchRoute(
	method: string,
	path: string,
): { route: RouteDef; params: string[] } | undefined {
	let fallback: { route: RouteDef; params: string[] } | undefined;
	for (const route of ROUTES) {
		const m = route.pattern.exec(path);
		if (!m) continue;
		const found = { route, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) };
		if (route.method === method || (route.method === 'GET' && method === 'HEAD')) return found;
		fallback = fallback ?? found;
	}
	return fallback;
}

function closed(res: http.ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		if (res.closed || res.destroyed) resolve();
		else res.once('close', () => resolve());
	});
}

/**
 * Handles one request. The simulator counts it as in flight until both its handling and its
 * connection are done; then its record gets its `answer`, so tests can wait for that state.
 */
export async function handleRequest(
	sim: RunningHubSimulator,
	req: http.IncomingMessage,
	res: http.ServerResponse,
): Promise<void> {
	const connectionDone = closed(res);
	let record: RecordedRequest | undefined;
	const answer: RecordedAnswer = { complete: false };
	sim.requestStarted();
	try {
		await answerRequest(sim, req, res, (r) => (record = r), answer);
	} catch (error) {
		const err = error as Error;
		sim.log(`handler crashed: ${err.stack ?? err.message}`);
		if (!res.headersSent && !res.destroyed) {
			answer.status = 500;
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({ status: 500, error: 'Internal Server Error', message: err.message }),
			);
		}
	} finally {
		await connectionDone;
		if (record) {
			answer.complete = answer.status !== undefined && res.writableFinished;
			record.answer = answer;
		}
		sim.requestEnded();
	}
}

async function answerRequest(
	sim: RunningHubSimulator,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	recorded: (record: RecordedRequest) => void,
	answer: RecordedAnswer,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://simulator.local');
	const method = (req.method ?? 'GET').toUpperCase();
	const path = url.pathname;
	const matched = matchRoute(method, path);
	const route = matched?.route;
	const ctx = await readRequest(sim, req, url, method, matched);
	if (!ctx || sim.isStopped) return;

	const isControl = route?.family === 'control';
	if (!isControl) {
		const routeName = route?.name ?? 'unknown';
		recorded(recordRequest(sim.requests, ctx, routeName));
		sim.stats.byRoute[routeName] = (sim.stats.byRoute[routeName] ?? 0) + 1;
		sim.changed();
	}

	const send = (response: SimResponse) => {
		answer.status = response.status;
		answer.json = response.json;
		writeResponse(res, response, method, sim.numericIds && !isControl);
		sim.log(`${method} ${path} -> ${response.status}`);
	};
	const sendFault = (fault: FaultSpec, faultedRoute: RouteDef) => {
		answer.fault = fault.kind;
		const response = writeFault(res, fault, faultedRoute, path, method);
		if (response) {
			answer.status = response.status;
			answer.json = response.json;
		}
	};

	if (!route) return send(unknownPath(path));
	if (route.method !== method && !(route.method === 'GET' && method === 'HEAD'))
		return send(methodNotAllowed(route, path));

	if (route.counts === 'create') sim.stats.createRequests++;
	if (route.counts === 'status') sim.stats.statusRequests++;
	const fault = isControl ? undefined : sim.faults.take(method, path);
	if (fault) {
		sim.stats.faultsInjected++;
		sim.log(`fault ${fault.kind} on ${method} ${path}`);
		sim.changed();
	}
	if (fault?.kind === 'slow') {
		answer.fault = 'slow';
		await sim.sleep(fault.delayMs ?? 2000);
		if (sim.isStopped) return;
	}
	if (fault?.kind === 'hang') {
		// No answer until the client gives up; the request is then handled as usual (a create still
		// creates its task, as when a real answer comes too late), and the answer goes nowhere.
		answer.fault = 'hang';
		await closed(res);
		if (sim.isStopped) return;
		await route.handler(ctx);
		return;
	}
	const replaces = fault && fault.kind !== 'slow';
	if (replaces && !fault.afterTaskCreated) return sendFault(fault, route);
	const response =
		route.family === 'v1' && ctx.jsonError
			? { status: 200, json: v1(301, 'request body is not valid JSON', null) }
			: await route.handler(ctx);
	if (replaces && fault.afterTaskCreated) return sendFault(fault, route);
	send(response);
}
