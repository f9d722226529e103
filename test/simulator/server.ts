/**
 * The RunningHub simulator: a real HTTP server (Node's `http`, no dependencies) that follows the
 * RunningHub API as documented in shared/reference/runninghub-api.md.
 */

import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { faultResponse, FaultManager } from './faults';
import {
	FIXTURE_INPUT_FILES,
	loadFixtureApps,
	loadFixtureWorkflows,
	NEVER_RUN_WORKFLOW_IDS,
	type AppFixture,
	type ComfyWorkflow,
} from './fixtures';
import { SIM_KEYS, type SimKeyInfo } from './keys';
import { getBoundary, MultipartError, parseMultipart } from './multipart';
import { contentTypeFor } from './outputs';
import type { RouteContext, RouteDef } from './routes/common';
import { controlRoutes } from './routes/control';
import { fileRoutes } from './routes/files';
import { v1Routes } from './routes/v1';
import { v2Routes } from './routes/v2';
import { TaskEngine, type NewTaskInput } from './state';
import type {
	FaultSpec,
	RecordedRequest,
	ResolvedOptions,
	SimResponse,
	SimStats,
	SimTask,
	SimulatorOptions,
	TaskOutcome,
	TaskStatus,
	WebhookDelivery,
	WebhookEvent,
} from './types';
import { isRecord, serializeJson, v1, v2Error } from './util';
import { WebhookSender } from './webhooks';

const MiB = 1024 * 1024;
const JSON_BODY_LIMIT = 64 * MiB;
const LARGE_BODY_LIMIT = 1024 * MiB;
const MAX_RECORDED_REQUESTS = 10000;

/** Control routes first, model catch-all (in v2Routes) last. */
const ROUTES: RouteDef[] = [...controlRoutes, ...fileRoutes, ...v1Routes, ...v2Routes];

function resolveOptions(o: SimulatorOptions): ResolvedOptions {
	return {
		port: o.port ?? 0,
		host: o.host ?? '127.0.0.1',
		queuedMs: o.queuedMs ?? 50,
		runningMs: o.runningMs ?? 150,
		pollsBeforeDone: o.pollsBeforeDone,
		webhookRetryDelaysMs: o.webhookRetryDelaysMs ?? [50, 100, 200],
		webhookTimeoutMs: o.webhookTimeoutMs ?? 3000,
		maxUploadBytes: o.maxUploadBytes ?? 30 * MiB,
		publicBaseUrl: o.publicBaseUrl,
		log: o.log ?? false,
		cancelStatus: o.cancelStatus ?? 'FAILED',
		strictModels: o.strictModels ?? false,
	};
}

function emptyStats(): SimStats {
	return {
		createRequests: 0,
		tasksCreated: 0,
		statusRequests: 0,
		cancelRequests: 0,
		tasksCancelled: 0,
		uploads: 0,
		webhookAttempts: 0,
		faultsInjected: 0,
		credentialLeaks: 0,
		byRoute: {},
	};
}

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

export interface LoraUpload {
	fileName: string;
	loraName: string;
	apiKey: string;
	uploaded: boolean;
	size?: number;
}

export class RunningHubSimulator {
	readonly options: ResolvedOptions;
	/** Base URL the server listens on, e.g. http://127.0.0.1:40123 (set by start()). */
	baseUrl = '';
	port = 0;
	/** Every request except /__sim/ control calls, oldest first. */
	readonly requests: RecordedRequest[] = [];
	stats: SimStats = emptyStats();
	/** Quirk: write taskId as a bare JSON number (precision loss for naive clients). */
	numericIds = false;
	/** Quirk: getLoraUploadUrl for an already uploaded MD5 returns only fileName, no url. */
	loraCacheOmitsUrl = false;

	readonly engine: TaskEngine;
	readonly webhooks: WebhookSender;
	readonly faults = new FaultManager();
	readonly workflows: Map<string, ComfyWorkflow>;
	readonly neverRunWorkflows: Set<string>;
	readonly apps: Map<string, AppFixture>;
	readonly loraUploads = new Map<string, LoraUpload>();
	/** Secret for presigned URL signatures (per instance). */
	readonly signingSecret = randomBytes(16).toString('hex');

	private readonly initial: ResolvedOptions;
	private readonly knownFiles = new Set<string>(FIXTURE_INPUT_FILES);
	private readonly extraKeys = new Map<string, SimKeyInfo>();
	private readonly concurrency = new Map<string, number>();
	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
	private stopped = false;

	constructor(options: SimulatorOptions = {}) {
		this.options = resolveOptions(options);
		this.initial = {
			...this.options,
			webhookRetryDelaysMs: [...this.options.webhookRetryDelaysMs],
		};
		this.workflows = loadFixtureWorkflows();
		this.neverRunWorkflows = new Set(NEVER_RUN_WORKFLOW_IDS);
		this.apps = loadFixtureApps();
		this.engine = new TaskEngine({
			durations: () => ({
				queuedMs: this.options.queuedMs,
				runningMs: this.options.runningMs,
				pollsBeforeDone: this.options.pollsBeforeDone,
			}),
			publicBaseUrl: () => this.publicBaseUrl,
			cancelStatus: () => this.options.cancelStatus,
			onTaskEnd: (task) => {
				if (!this.stopped) this.webhooks.taskEnded(task, this.engine.webhookEventData(task));
			},
		});
		this.webhooks = new WebhookSender({
			retryDelaysMs: () => this.options.webhookRetryDelaysMs,
			timeoutMs: () => this.options.webhookTimeoutMs,
			numericIds: () => this.numericIds,
			log: (m) => this.log(m),
			onAttempt: () => this.stats.webhookAttempts++,
		});
	}

	// ---------------------------------------------------------------- lifecycle

	async start(): Promise<this> {
		if (this.server) return this;
		this.stopped = false;
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((err: Error) => {
				this.log(`handler crashed: ${err.stack ?? err.message}`);
				if (!res.headersSent && !res.destroyed) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(
						JSON.stringify({ status: 500, error: 'Internal Server Error', message: err.message }),
					);
				}
			});
		});
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port, this.options.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		const address = server.address() as AddressInfo;
		this.port = address.port;
		const host =
			this.options.host === '0.0.0.0' || this.options.host === '::'
				? '127.0.0.1'
				: this.options.host;
		this.baseUrl = `http://${host}:${this.port}`;
		return this;
	}

	/** Close the server, drop open connections, stop timers and webhook retries. */
	async stop(): Promise<void> {
		this.stopped = true;
		this.engine.stop();
		this.webhooks.stop();
		this.wakeSleepers();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Forget tasks, requests, stats, faults, webhooks and uploads; restore the constructor options. */
	reset(): void {
		this.engine.clear();
		this.webhooks.clear();
		this.faults.clear();
		this.requests.length = 0;
		this.stats = emptyStats();
		this.numericIds = false;
		this.loraCacheOmitsUrl = false;
		this.concurrency.clear();
		this.loraUploads.clear();
		this.knownFiles.clear();
		for (const f of FIXTURE_INPUT_FILES) this.knownFiles.add(f);
		Object.assign(this.options, {
			...this.initial,
			webhookRetryDelaysMs: [...this.initial.webhookRetryDelaysMs],
		});
	}

	// ---------------------------------------------------------------- test controls

	setDurations(d: {
		queuedMs?: number;
		runningMs?: number;
		pollsBeforeDone?: number | null;
	}): void {
		if (d.queuedMs !== undefined) this.options.queuedMs = d.queuedMs;
		if (d.runningMs !== undefined) this.options.runningMs = d.runningMs;
		if (d.pollsBeforeDone !== undefined)
			this.options.pollsBeforeDone = d.pollsBeforeDone ?? undefined;
	}

	setConcurrency(apiKey: string, limit: number): void {
		this.concurrency.set(apiKey, limit);
	}

	/** Queue the outcome of the next created task (FIFO; one entry per task). */
	nextTaskOutcome(outcome: TaskOutcome): void {
		this.engine.queueOutcome(outcome);
	}

	injectFault(fault: FaultSpec): void {
		this.faults.add(fault);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** Register an extra API key (e.g. a custom concurrency or balance). */
	addKey(apiKey: string, info: SimKeyInfo): void {
		this.extraKeys.set(apiKey, info);
	}

	addWorkflow(workflowId: string, graph: ComfyWorkflow, opts: { neverRun?: boolean } = {}): void {
		this.workflows.set(workflowId, graph);
		if (opts.neverRun) this.neverRunWorkflows.add(workflowId);
		else this.neverRunWorkflows.delete(workflowId);
	}

	addApp(app: AppFixture): void {
		this.apps.set(app.webappId, app);
	}

	/** Make a file name acceptable to loader nodes (LoadImage.image etc.) without uploading it. */
	addInputFile(fileName: string): void {
		this.knownFiles.add(fileName);
	}

	isKnownFile(fileName: string): boolean {
		return this.knownFiles.has(fileName);
	}

	get tasks(): Map<string, SimTask> {
		return this.engine.tasks;
	}

	getTask(taskId: string): SimTask | undefined {
		return this.engine.tasks.get(taskId);
	}

	/** Status without counting a poll. */
	taskStatus(taskId: string): TaskStatus | undefined {
		const task = this.engine.tasks.get(taskId);
		return task ? this.engine.status(task, false) : undefined;
	}

	get webhookDeliveries(): WebhookDelivery[] {
		return this.webhooks.deliveries;
	}

	get webhookEvents(): WebhookEvent[] {
		return [...this.webhooks.events.values()];
	}

	/** Resolves when all webhook delivery cycles started so far are finished. */
	webhooksIdle(): Promise<void> {
		return this.webhooks.idle();
	}

	/** Poll `predicate` every 10 ms until true (or throw after timeoutMs). */
	async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!predicate()) {
			if (Date.now() > deadline)
				throw new Error(`RunningHubSimulator.waitFor: timed out waiting for ${what}`);
			await this.sleep(10);
		}
	}

	// ---------------------------------------------------------------- used by routes

	get publicBaseUrl(): string {
		return (this.options.publicBaseUrl ?? this.baseUrl).replace(/\/+$/, '');
	}

	keyInfo(apiKey: string): SimKeyInfo | undefined {
		return this.extraKeys.get(apiKey) ?? SIM_KEYS[apiKey];
	}

	concurrencyOf(apiKey: string): number {
		return this.concurrency.get(apiKey) ?? this.keyInfo(apiKey)?.concurrency ?? 0;
	}

	createTask(input: NewTaskInput): SimTask {
		this.stats.tasksCreated++;
		return this.engine.create(input);
	}

	/** Store an uploaded file: loader nodes accept `fileName`, and GET <returned path> serves it. */
	storeUpload(fileName: string, ext: string, data: Buffer): string {
		const path = `/files/input/${fileName}`;
		this.engine.files.set(path, { contentType: contentTypeFor(ext), data: Buffer.from(data) });
		this.knownFiles.add(fileName);
		this.stats.uploads++;
		return path;
	}

	configSnapshot(): Record<string, unknown> {
		return {
			...this.options,
			publicBaseUrl: this.publicBaseUrl,
			numericIds: this.numericIds,
			loraCacheOmitsUrl: this.loraCacheOmitsUrl,
			concurrency: Object.fromEntries(this.concurrency),
		};
	}

	/** JSON state for GET /__sim/state. */
	snapshot(): Record<string, unknown> {
		const tasks = [...this.engine.tasks.values()].map((t) => ({
			taskId: t.taskId,
			kind: t.kind,
			api: t.api,
			apiKey: t.apiKey,
			workflowId: t.workflowId,
			webappId: t.webappId,
			endpoint: t.endpoint,
			status: this.engine.status(t, false),
			cancelled: t.cancelledAt !== undefined,
			createdAt: t.createdAt,
			endedAt: t.endedAt,
			polls: t.polls,
			webhookUrl: t.webhookUrl,
			promptTips: t.promptTips,
			outcome: t.outcome.result,
		}));
		return {
			baseUrl: this.baseUrl,
			config: this.configSnapshot(),
			stats: this.stats,
			tasks,
			webhookEvents: this.webhookEvents,
			webhookDeliveries: this.webhooks.deliveries,
			requestsCount: this.requests.length,
			faults: this.faults
				.list()
				.map((f) => ({ ...f, route: f.route instanceof RegExp ? f.route.source : f.route })),
			loraUploads: [...this.loraUploads.values()],
		};
	}

	log(message: string): void {
		if (this.options.log) process.stderr.write(`[rh-sim] ${message}\n`);
	}

	// ---------------------------------------------------------------- HTTP plumbing

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.sleepers.delete(t);
				resolve();
			}, ms);
			this.sleepers.set(t, resolve);
		});
	}

	private wakeSleepers(): void {
		for (const [t, wake] of this.sleepers) {
			clearTimeout(t);
			wake();
		}
		this.sleepers.clear();
	}

	/**
	 * First route whose pattern and method match; failing that, the first whose pattern matches (the
	 * caller then answers "method not allowed"). HEAD is served by GET routes.
	 */
	private match(method: string, path: string): { route: RouteDef; params: string[] } | undefined {
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

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const matched = this.match(method, path);
		const route = matched?.route;
		const limit = route?.largeBody
			? LARGE_BODY_LIMIT
			: route?.upload
				? this.options.maxUploadBytes + MiB
				: JSON_BODY_LIMIT;
		const bodyResult = await readBody(req, limit);
		if (bodyResult.aborted || this.stopped) return;

		const ctx: RouteContext = {
			sim: this,
			method,
			path,
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

		const isControl = route?.family === 'control';
		if (!isControl) this.record(ctx, route?.name ?? 'unknown');

		let response: SimResponse;
		if (!route) {
			response = this.unknownPath(path);
		} else if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) {
			response = this.methodNotAllowed(route, path);
		} else {
			if (route.counts === 'create') this.stats.createRequests++;
			if (route.counts === 'status') this.stats.statusRequests++;
			const fault = isControl ? undefined : this.faults.take(method, path);
			if (fault) {
				this.stats.faultsInjected++;
				this.log(`fault ${fault.kind} on ${method} ${path}`);
			}
			if (fault?.kind === 'slow') {
				await this.sleep(fault.delayMs ?? 2000);
				if (this.stopped) return;
			}
			const failNow = fault && fault.kind !== 'slow' && !fault.afterTaskCreated;
			if (failNow) return this.applyFault(fault, route, path, res, method);
			if (route.family === 'v1' && ctx.jsonError) {
				response = { status: 200, json: v1(301, 'request body is not valid JSON', null) };
			} else {
				response = await route.handler(ctx);
			}
			if (fault && fault.kind !== 'slow' && fault.afterTaskCreated)
				return this.applyFault(fault, route, path, res, method);
		}
		this.send(res, response, method, isControl);
		this.log(`${method} ${path} -> ${response.status}`);
	}

	private applyFault(
		fault: FaultSpec,
		route: RouteDef,
		path: string,
		res: http.ServerResponse,
		method: string,
	): void {
		if (fault.kind === 'reset') {
			// Abrupt close: the client sees ECONNRESET / "socket hang up".
			res.socket?.destroy();
			return;
		}
		this.send(res, faultResponse(fault, route.family, path), method, false);
	}

	private send(
		res: http.ServerResponse,
		response: SimResponse,
		method: string,
		isControl: boolean,
	): void {
		if (res.destroyed || res.writableEnded) return;
		let payload: Buffer;
		const headers: Record<string, string> = {};
		if (response.json !== undefined) {
			payload = Buffer.from(serializeJson(response.json, this.numericIds && !isControl));
			headers['content-type'] = 'application/json;charset=UTF-8';
		} else {
			payload = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body ?? '');
		}
		Object.assign(headers, response.headers ?? {});
		headers['content-length'] = String(payload.length);
		res.writeHead(response.status, headers);
		res.end(method === 'HEAD' ? undefined : payload);
	}

	private unknownPath(path: string): SimResponse {
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

	private methodNotAllowed(route: RouteDef, path: string): SimResponse {
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

	private record(ctx: RouteContext, routeName: string): void {
		let recordedBody: unknown;
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
			recordedBody = { fields, files };
		} else if (ctx.json !== undefined) {
			recordedBody = ctx.json;
		} else if (ctx.raw.length > 0) {
			const printable = !ctx.raw.subarray(0, 512).includes(0);
			recordedBody =
				printable && ctx.raw.length <= 8192 ? ctx.raw.toString('utf8') : `<${ctx.bodyBytes} bytes>`;
		}
		const query: Record<string, string> = {};
		ctx.query.forEach((v, k) => (query[k] = v));
		this.requests.push({
			method: ctx.method,
			path: ctx.path,
			route: routeName,
			headers: { ...ctx.headers },
			query,
			body: recordedBody,
			bodyBytes: ctx.bodyBytes,
			timestamp: Date.now(),
		});
		if (this.requests.length > MAX_RECORDED_REQUESTS)
			this.requests.splice(0, this.requests.length - MAX_RECORDED_REQUESTS);
		this.stats.byRoute[routeName] = (this.stats.byRoute[routeName] ?? 0) + 1;
	}
}

/** Create and start a simulator. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningHubSimulator> {
	return new RunningHubSimulator(options).start();
}

/** True if a value looks like a v1 envelope (handy in tests). */
export function isV1Envelope(
	value: unknown,
): value is { code: number; msg: string; data: unknown } {
	return isRecord(value) && typeof value.code === 'number' && 'msg' in value;
}
