/**
 * Control API under /__sim/ for tests that run the simulator in another process (e.g. a real n8n
 * end-to-end test). NOT RunningHub routes: never faulted, never recorded in sim.requests.
 */

import type { FaultKind, FaultSpec, SimResponse, TaskOutcome } from '../types';
import { isRecord } from '../util';
import { body, type RouteDef } from './common';

const KINDS: FaultKind[] = ['http', 'reset', 'slow', 'hang', 'code'];

function json(status: number, value: unknown): SimResponse {
	return { status, json: value };
}

/** Parse the JSON form of a fault: like FaultSpec, with `"regex": true` to treat `route` as a RegExp source. */
export function faultFromJson(raw: unknown): FaultSpec | string {
	if (!isRecord(raw)) return 'body must be a JSON object';
	if (typeof raw.route !== 'string' || raw.route === '') return 'route (string) is required';
	if (typeof raw.kind !== 'string' || !KINDS.includes(raw.kind as FaultKind))
		return `kind must be one of ${KINDS.join(', ')}`;
	let route: string | RegExp = raw.route;
	if (raw.regex === true) {
		try {
			route = new RegExp(raw.route);
		} catch (err) {
			return `invalid regex: ${(err as Error).message}`;
		}
	}
	const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
	return {
		route,
		kind: raw.kind as FaultKind,
		method: typeof raw.method === 'string' ? raw.method : undefined,
		status: num(raw.status),
		retryAfterSeconds: num(raw.retryAfterSeconds),
		delayMs: num(raw.delayMs),
		code: typeof raw.code === 'number' || typeof raw.code === 'string' ? raw.code : undefined,
		msg: typeof raw.msg === 'string' ? raw.msg : undefined,
		times: num(raw.times),
		afterTaskCreated: raw.afterTaskCreated === true,
	};
}

export const controlRoutes: RouteDef[] = [
	{
		name: 'control.state',
		method: 'GET',
		pattern: /^\/__sim\/state$/,
		family: 'control',
		handler(ctx) {
			return json(200, ctx.sim.snapshot());
		},
	},
	{
		name: 'control.requests',
		method: 'GET',
		pattern: /^\/__sim\/requests$/,
		family: 'control',
		handler(ctx) {
			return json(200, { requests: ctx.sim.requests });
		},
	},
	{
		name: 'control.addFault',
		method: 'POST',
		pattern: /^\/__sim\/faults$/,
		family: 'control',
		handler(ctx) {
			const list = Array.isArray(ctx.json) ? ctx.json : [ctx.json];
			const specs: FaultSpec[] = [];
			for (const raw of list) {
				const spec = faultFromJson(raw);
				if (typeof spec === 'string') return json(400, { error: spec });
				specs.push(spec);
			}
			for (const spec of specs) ctx.sim.injectFault(spec);
			return json(200, { ok: true, faults: ctx.sim.faults.count });
		},
	},
	{
		name: 'control.clearFaults',
		method: 'DELETE',
		pattern: /^\/__sim\/faults$/,
		family: 'control',
		handler(ctx) {
			ctx.sim.clearFaults();
			return json(200, { ok: true });
		},
	},
	{
		name: 'control.config',
		method: 'POST',
		pattern: /^\/__sim\/config$/,
		family: 'control',
		handler(ctx) {
			const b = body(ctx);
			const durations: { queuedMs?: number; runningMs?: number; pollsBeforeDone?: number | null } =
				{};
			if (typeof b.queuedMs === 'number') durations.queuedMs = b.queuedMs;
			if (typeof b.runningMs === 'number') durations.runningMs = b.runningMs;
			if (typeof b.pollsBeforeDone === 'number' || b.pollsBeforeDone === null)
				durations.pollsBeforeDone = b.pollsBeforeDone;
			ctx.sim.setDurations(durations);
			if (isRecord(b.concurrency)) {
				for (const [key, n] of Object.entries(b.concurrency))
					if (typeof n === 'number') ctx.sim.setConcurrency(key, n);
			}
			if (typeof b.numericIds === 'boolean') ctx.sim.numericIds = b.numericIds;
			if (typeof b.loraCacheOmitsUrl === 'boolean') ctx.sim.loraCacheOmitsUrl = b.loraCacheOmitsUrl;
			if (Array.isArray(b.webhookRetryDelaysMs))
				ctx.sim.options.webhookRetryDelaysMs = b.webhookRetryDelaysMs.filter(
					(n): n is number => typeof n === 'number',
				);
			if (typeof b.webhookTimeoutMs === 'number')
				ctx.sim.options.webhookTimeoutMs = b.webhookTimeoutMs;
			if (b.cancelStatus === 'FAILED' || b.cancelStatus === 'CANCEL')
				ctx.sim.options.cancelStatus = b.cancelStatus;
			if (typeof b.publicBaseUrl === 'string') ctx.sim.options.publicBaseUrl = b.publicBaseUrl;
			if (b.v2FailedReason === 'details' || b.v2FailedReason === 'empty')
				ctx.sim.options.v2FailedReason = b.v2FailedReason;
			if (b.unknownTaskStatus === '' || b.unknownTaskStatus === 'FAILED')
				ctx.sim.options.unknownTaskStatus = b.unknownTaskStatus;
			if (b.pricePreviewErrorCode === 0 || b.pricePreviewErrorCode === '')
				ctx.sim.options.pricePreviewErrorCode = b.pricePreviewErrorCode;
			const outcomes = Array.isArray(b.nextTaskOutcomes)
				? b.nextTaskOutcomes
				: b.nextTaskOutcome !== undefined
					? [b.nextTaskOutcome]
					: [];
			for (const o of outcomes) ctx.sim.nextTaskOutcome(o as TaskOutcome);
			return json(200, { ok: true, config: ctx.sim.configSnapshot() });
		},
	},
	{
		name: 'control.reset',
		method: 'POST',
		pattern: /^\/__sim\/reset$/,
		family: 'control',
		handler(ctx) {
			ctx.sim.reset();
			return json(200, { ok: true });
		},
	},
];
