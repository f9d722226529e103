/**
 * The RunningHub simulator: a real HTTP server (Node's `http`, no dependencies) that follows the
 * RunningHub API as documented in shared/reference/runninghub-api.md.
 */

import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { handleRequest } from './dispatch';
import type { MediaFile } from './models';
import { FaultManager } from './faults';
import {
	FIXTURE_INPUT_FILES,
	loadFixtureApps,
	loadFixtureQuickCreates,
	loadFixtureWorkflows,
	NEVER_RUN_WORKFLOW_IDS,
	type AppFixture,
	type QuickCreateFixture,
	type ComfyWorkflow,
} from './fixtures';
import { SIM_KEYS, type SimKeyInfo } from './keys';
import { emptyStats, resolveOptions } from './options';
import { contentTypeFor, extensionOf } from './outputs';
import { Sleeps } from './sleeps';
import { TaskEngine, type NewTaskInput } from './state';
import type {
	FaultSpec,
	RecordedRequest,
	ResolvedOptions,
	SimStats,
	SimTask,
	SimulatorOptions,
	TaskOutcome,
	TaskStatus,
	WebhookDelivery,
	WebhookEvent,
} from './types';
import { isRecord } from './util';
import { WebhookSender } from './webhooks';

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
	readonly quickCreates: Map<string, QuickCreateFixture>;
	readonly loraUploads = new Map<string, LoraUpload>();
	/** Secret for presigned URL signatures (per instance). */
	readonly signingSecret = randomBytes(16).toString('hex');

	private readonly initial: ResolvedOptions;
	private readonly knownFiles = new Set<string>(FIXTURE_INPUT_FILES);
	private readonly extraKeys = new Map<string, SimKeyInfo>();
	private readonly concurrency = new Map<string, number>();
	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly sleeps = new Sleeps();
	private readonly watchers = new Set<() => void>();
	private requestsInFlight = 0;
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
		this.quickCreates = loadFixtureQuickCreates();
		this.engine = new TaskEngine({
			durations: () => ({
				queuedMs: this.options.queuedMs,
				runningMs: this.options.runningMs,
				pollsBeforeDone: this.options.pollsBeforeDone,
			}),
			publicBaseUrl: () => this.publicBaseUrl,
			cancelStatus: () => this.options.cancelStatus,
			v2FailedReason: () => this.options.v2FailedReason,
			onTaskEnd: (task) => {
				if (!this.stopped) this.webhooks.taskEnded(task, this.engine.webhookEventData(task));
				this.changed();
			},
		});
		this.webhooks = new WebhookSender({
			retryDelaysMs: () => this.options.webhookRetryDelaysMs,
			timeoutMs: () => this.options.webhookTimeoutMs,
			numericIds: () => this.numericIds,
			log: (m) => this.log(m),
			onAttempt: () => {
				this.stats.webhookAttempts++;
				this.changed();
			},
			onDelivery: () => this.changed(),
		});
	}

	// ---------------------------------------------------------------- lifecycle

	async start(): Promise<this> {
		if (this.server) return this;
		this.stopped = false;
		const server = http.createServer((req, res) => void handleRequest(this, req, res));
		// Clients keep idle sockets 5 s, Node's default server timeout is 5 s too: a socket reused at
		// that moment is reset. Real servers keep idle sockets longer than their clients (nginx 75 s).
		server.keepAliveTimeout = 75_000;
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
		this.sleeps.wakeAll();
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

	/**
	 * Poll-driven tasks (`pollsBeforeDone`) still QUEUED or RUNNING end at their next status view:
	 * lets a test hold tasks until it has seen the state it waits for, then let them go.
	 */
	endAtNextPoll(): void {
		for (const task of this.engine.tasks.values()) {
			if (task.pollsBeforeDone === undefined || task.endedAt !== undefined) continue;
			task.pollsBeforeDone = task.polls;
		}
	}

	/**
	 * Ends a task now, with its planned outcome, as if its run had just finished (its webhook is
	 * sent): lets a test hold a task RUNNING until it has seen the state it waits for.
	 */
	endTask(taskId: string): void {
		const task = this.engine.tasks.get(taskId);
		if (!task) throw new Error(`The simulator has no task ${taskId}`);
		task.pollsBeforeDone = undefined;
		task.queuedMs = 0;
		task.runningMs = 0;
		this.engine.status(task, false);
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

	/**
	 * Resolves once `predicate` holds. It is checked now and after every change of the simulator's
	 * state (a request read, an answer written, a fault taken, a task created or ended, a webhook
	 * attempt), so a passing state is never missed; also every 25 ms, for states derived from the
	 * clock (QUEUED → RUNNING). `timeoutMs` only guards against a test hanging.
	 */
	waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
		if (predicate()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const check = () => {
				if (!predicate()) return;
				done();
				resolve();
			};
			const ticker = setInterval(check, 25);
			const deadline = setTimeout(() => {
				done();
				reject(new Error(`RunningHubSimulator.waitFor: timed out waiting for ${what}`));
			}, timeoutMs);
			const done = () => {
				clearInterval(ticker);
				clearTimeout(deadline);
				this.watchers.delete(check);
			};
			this.watchers.add(check);
		});
	}

	/** Requests being handled or answered right now. */
	get inFlight(): number {
		return this.requestsInFlight;
	}

	/** Resolves once no request is being handled: every recorded request then has its `answer`. */
	idle(timeoutMs = 20_000): Promise<void> {
		return this.waitFor(() => this.requestsInFlight === 0, timeoutMs, 'requests in flight to end');
	}

	/** Tells waitFor() the state changed. */
	changed(): void {
		for (const check of [...this.watchers]) check();
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
		const task = this.engine.create(input);
		this.changed();
		return task;
	}

	/**
	 * What a model's media reference holds, as far as the service could tell: a data: URI's type and
	 * size, a file served here (an upload's download_url) by its stored bytes, another link by the
	 * extension of its path.
	 */
	mediaFileOf(ref: string): MediaFile | undefined {
		const data = /^data:([^,;]*)((?:;[^,;]*)*),/i.exec(ref);
		if (data) {
			const payload = ref.slice(data[0].length);
			const bytes = /;base64/i.test(data[2])
				? Buffer.from(payload, 'base64').length
				: Buffer.byteLength(payload);
			return { ext: extensionOf(undefined, data[1]), bytes };
		}
		let url: URL;
		try {
			url = new URL(ref);
		} catch {
			return undefined;
		}
		const ext = /\.([A-Za-z0-9]{2,5})$/.exec(url.pathname)?.[1].toLowerCase();
		const stored =
			url.origin === new URL(this.publicBaseUrl).origin
				? this.engine.files.get(url.pathname)
				: undefined;
		return { ext, bytes: stored?.data.length };
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

	requestStarted(): void {
		this.requestsInFlight++;
	}

	requestEnded(): void {
		this.requestsInFlight--;
		this.changed();
	}

	/** True once stop() was called: requests still being read get no answer. */
	get isStopped(): boolean {
		return this.stopped;
	}

	/** A wait that stop() ends at once. */
	sleep(ms: number): Promise<void> {
		return this.sleeps.sleep(ms);
	}

	log(message: string): void {
		if (this.options.log) process.stderr.write(`[rh-sim] ${message}\n`);
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
