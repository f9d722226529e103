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
import type { SimResponse } from './types';
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

export async function handleRequest(
	sim: RunningHubSimulator,
	req: http.IncomingMessage,
	res: http.ServerResponse,
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
		recordRequest(sim.requests, ctx, routeName);
		sim.stats.byRoute[routeName] = (sim.stats.byRoute[routeName] ?? 0) + 1;
	}

	let response: SimResponse;
	if (!route) {
		response = unknownPath(path);
	} else if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) {
		response = methodNotAllowed(route, path);
	} else {
		if (route.counts === 'create') sim.stats.createRequests++;
		if (route.counts === 'status') sim.stats.statusRequests++;
		const fault = isControl ? undefined : sim.faults.take(method, path);
		if (fault) {
			sim.stats.faultsInjected++;
			sim.log(`fault ${fault.kind} on ${method} ${path}`);
		}
		if (fault?.kind === 'slow') {
			await sim.sleep(fault.delayMs ?? 2000);
			if (sim.isStopped) return;
		}
		const failNow = fault && fault.kind !== 'slow' && !fault.afterTaskCreated;
		if (failNow) return writeFault(res, fault, route, path, method);
		if (route.family === 'v1' && ctx.jsonError) {
			response = { status: 200, json: v1(301, 'request body is not valid JSON', null) };
		} else {
			response = await route.handler(ctx);
		}
		if (fault && fault.kind !== 'slow' && fault.afterTaskCreated)
			return writeFault(res, fault, route, path, method);
	}
	writeResponse(res, response, method, sim.numericIds && !isControl);
	sim.log(`${method} ${path} -> ${response.status}`);
}
