/**
 * Outbound TASK_END webhooks with retries, recorded for getWebhookDetail / retryWebhook.
 *
 * The real service retries about 3 times (a failed event shows retryCount 3); the delays here are
 * configurable so tests stay fast. Requests use `agent: false` so no keep-alive socket outlives
 * `sim.stop()`.
 */

import * as http from 'http';
import * as https from 'https';
import type { SimTask, WebhookDelivery, WebhookEvent } from './types';
import { newId19, serializeJson } from './util';

export interface WebhookDeps {
	retryDelaysMs(): number[];
	timeoutMs(): number;
	numericIds(): boolean;
	log(message: string): void;
	onAttempt(): void;
	/** A delivery was recorded (after the receiver answered or the attempt failed). */
	onDelivery(): void;
}

interface PostResult {
	status: number | null;
	body?: string;
	error?: string;
}

export class WebhookSender {
	readonly events = new Map<string, WebhookEvent>();
	readonly byTask = new Map<string, string>();
	readonly deliveries: WebhookDelivery[] = [];
	private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
	private readonly requests = new Set<http.ClientRequest>();
	private readonly cycles = new Set<Promise<void>>();
	/** Bumped by stop()/clear(): delivery loops of an older generation give up. */
	private generation = 0;

	constructor(private readonly deps: WebhookDeps) {}

	/** Create the event for a finished task and start delivering it. */
	taskEnded(task: SimTask, eventData: string): WebhookEvent | undefined {
		if (!task.webhookUrl) return undefined;
		const now = Date.now();
		const event: WebhookEvent = {
			id: newId19(),
			taskId: task.taskId,
			apiKey: task.apiKey,
			webhookUrl: task.webhookUrl,
			eventData,
			callbackStatus: 'PENDING',
			callbackResponse: null,
			retryCount: 0,
			createTime: now,
			updateTime: now,
		};
		this.events.set(event.id, event);
		this.byTask.set(task.taskId, event.id);
		this.track(this.deliver(event, false));
		return event;
	}

	/** Re-send an event (retryWebhook), optionally to a new URL. */
	resend(event: WebhookEvent, url?: string): void {
		if (url) event.webhookUrl = url;
		this.track(this.deliver(event, true));
	}

	/** Resolves when every delivery cycle started so far has finished (handy in tests). */
	async idle(): Promise<void> {
		while (this.cycles.size > 0) await Promise.all([...this.cycles]);
	}

	private track(p: Promise<void>): void {
		this.cycles.add(p);
		void p.finally(() => this.cycles.delete(p));
	}

	private body(event: WebhookEvent): string {
		return serializeJson(
			{ event: 'TASK_END', taskId: event.taskId, eventData: event.eventData },
			this.deps.numericIds(),
		);
	}

	private async deliver(event: WebhookEvent, manual: boolean): Promise<void> {
		const delays = this.deps.retryDelaysMs();
		const gen = this.generation;
		for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
			if (attempt > 1) {
				await this.sleep(delays[attempt - 2]);
				if (gen !== this.generation) return;
				event.retryCount++;
			}
			const url = event.webhookUrl;
			const body = this.body(event);
			this.deps.onAttempt();
			const result = await this.post(url, body);
			if (gen !== this.generation) return;
			const okStatus = result.status !== null && result.status >= 200 && result.status < 300;
			this.deliveries.push({
				eventId: event.id,
				taskId: event.taskId,
				url,
				body,
				status: result.status,
				error: result.error,
				responseBody: result.body,
				attempt,
				manual,
				at: Date.now(),
			});
			event.updateTime = Date.now();
			event.callbackStatus = okStatus ? 'SUCCESS' : 'FAILED';
			event.callbackResponse = result.error
				? `I/O error on POST request for "${url}": ${result.error}`
				: (result.body ?? '').slice(0, 2000) || `${result.status}`;
			this.deps.log(`webhook ${url} attempt ${attempt} -> ${result.status ?? result.error}`);
			this.deps.onDelivery();
			if (okStatus) return;
		}
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.sleepers.delete(t);
				resolve();
			}, ms);
			this.sleepers.set(t, resolve);
		});
	}

	private post(url: string, body: string): Promise<PostResult> {
		return new Promise((resolve) => {
			let target: URL;
			try {
				target = new URL(url);
			} catch {
				resolve({ status: null, error: 'Invalid URL' });
				return;
			}
			const lib = target.protocol === 'https:' ? https : http;
			const req = lib.request(
				target,
				{
					method: 'POST',
					agent: false,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						'user-agent': 'RunningHub-Webhook-Simulator/1.0',
					},
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						this.requests.delete(req);
						resolve({
							status: res.statusCode ?? null,
							body: Buffer.concat(chunks).toString('utf8'),
						});
					});
					res.on('error', (err) => {
						this.requests.delete(req);
						resolve({ status: null, error: err.message });
					});
				},
			);
			this.requests.add(req);
			req.setTimeout(this.deps.timeoutMs(), () => req.destroy(new Error('Read timed out')));
			req.on('error', (err) => {
				this.requests.delete(req);
				resolve({ status: null, error: err.message });
			});
			req.end(body);
		});
	}

	/** Stop retries and abort requests in flight. */
	stop(): void {
		this.generation++;
		// Wake sleeping retry loops so their promises settle (they see the new generation and return).
		for (const [t, wake] of this.sleepers) {
			clearTimeout(t);
			wake();
		}
		this.sleepers.clear();
		for (const r of this.requests) r.destroy();
		this.requests.clear();
	}

	/** Forget all events and deliveries (sim.reset()); the sender stays usable. */
	clear(): void {
		this.stop();
		this.events.clear();
		this.byTask.clear();
		this.deliveries.length = 0;
	}
}
