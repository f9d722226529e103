import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { classifyCode, redactText, runningHubApiError, withTaskId } from './errors';
import { parseJsonLossless } from './json';
import type { AttemptResult, RetryPolicy } from './retry';
import { CancelledError, RETRY_DEFAULTS, TIMEOUT_DEFAULTS, retryWithBackoff } from './retry';

export * from './addresses';
export * from './errors';
export * from './fileHost';
export * from './json';
export * from './retry';

export const CREDENTIAL_TYPE = 'runningHubApi';

export type RunningHubContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IWebhookFunctions
	| IHookFunctions;

export interface RunningHubCredentials {
	apiKey: string;
	site: string;
	customBaseUrl?: string;
}

export interface ApiRequest {
	method?: IHttpRequestMethods;
	/** Path below the site, e.g. `/task/openapi/create`. */
	path: string;
	/**
	 * A Buffer is sent as is (e.g. a prepared multipart body); give its Content-Type in `headers`.
	 */
	body?: IDataObject | FormData | Buffer;
	headers?: IDataObject;
	qs?: IDataObject;
	/**
	 * A call that creates a task (and bills it). It is sent again only when the answer proves that no
	 * task was created (see `createOutcomeOf`); any other failure leaves it open whether the task
	 * exists, so the call fails at once with an error saying so.
	 */
	createsTask?: boolean;
	/** Task the call is about, named in errors. */
	taskId?: string;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	/**
	 * A clean-up call (cancelling the task) that must still go out after the execution was stopped.
	 */
	ignoreCancel?: boolean;
	/**
	 * Called when a create is refused because the account's queue is full (421). Resolving `true`
	 * means a slot has been freed for this call, which is then sent again at once, outside the retry
	 * budget; `false` falls back to the usual backoff.
	 */
	whenQueueFull?: () => Promise<boolean>;
}

/** v1 envelope `{code, msg, data}`; v2 utility envelope `{code, message, data}`. */
interface Envelope {
	code: number | string;
	msg?: string;
	message?: string;
	data?: unknown;
}

/** Flat v2 task object returned by submit and query endpoints. */
export interface V2TaskObject {
	taskId: string;
	status: string;
	errorCode?: string;
	errorMessage?: string;
	results?: Array<{
		url?: string;
		outputType?: string;
		nodeId?: string;
		text?: string | null;
	}> | null;
	clientId?: string;
	promptTips?: string;
	failedReason?: IDataObject | string | null;
	usage?: IDataObject | null;
}

export async function getCredentials(this: RunningHubContext): Promise<RunningHubCredentials> {
	const credentials = (await this.getCredentials(
		CREDENTIAL_TYPE,
	)) as unknown as RunningHubCredentials;
	return credentials;
}

export function baseUrlOf(credentials: RunningHubCredentials, node: INode): string {
	const raw = credentials.site === 'custom' ? (credentials.customBaseUrl ?? '') : credentials.site;
	const base = String(raw ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(base)) {
		throw new NodeOperationError(
			node,
			`The RunningHub credential has no valid base URL ("${base}"). Choose a site, or enter a ` +
				`Base URL that starts with http:// or https://`,
		);
	}
	return base;
}

export function assertApiKeyLooksValid(credentials: RunningHubCredentials, node: INode): void {
	const key = String(credentials.apiKey ?? '');
	if (key.trim() === '') {
		throw new NodeOperationError(
			node,
			'The RunningHub credential has no API key. Open the credential and paste the key from the ' +
				'RunningHub API console.',
		);
	}
	if (/\s/.test(key.trim()) || key.trim().length < 16) {
		throw new NodeOperationError(
			node,
			'The RunningHub API key in the credential looks malformed (too short or containing ' +
				'spaces). Copy the whole 32-character key again from the RunningHub API console.',
		);
	}
}

interface RawResponse {
	statusCode: number;
	body: string;
	/** Where a redirect points. */
	location?: string;
}

type Attempt =
	| { kind: 'ok'; value: unknown }
	| { kind: 'retry'; reason: string; details: FailureDetails }
	| { kind: 'fail'; details: FailureDetails };

interface FailureDetails {
	code?: string;
	apiMessage?: string;
	httpCode?: number;
	context?: string;
	summary?: string;
	taskMayExist?: boolean;
}

/**
 * RunningHub codes documented as refusing a task before it is created (concurrency limits and the
 * request-rate limit): a create answered with one of them is safe to send again.
 */
export const CREATE_REJECTED_RETRYABLE_CODES = ['415', '421', '1003'];

/** TASK_QUEUE_MAXED: the key already has as many tasks queued or running as it may. */
export const QUEUE_FULL_CODE = '421';

/** Headline of every create failure after which the task may exist. */
export const TASK_MAY_EXIST_SUMMARY =
	'The task may have been created; check the task list before running again';

/**
 * A create whose answer does not prove that no task was made: it is not sent again (that would
 * bill twice), and the error says so and how to check.
 */
function mayExist(details: FailureDetails, request: ApiRequest): Attempt {
	return {
		kind: 'fail',
		details: {
			...details,
			summary: TASK_MAY_EXIST_SUMMARY,
			taskMayExist: true,
			context: (
				`${details.context ?? ''} RunningHub may have created the task anyway, so it was not ` +
				`sent again to avoid paying twice: check the task list on the RunningHub site (or Task ` +
				`› Get Status with the task ID, when you have one) before running again. Request: ` +
				`${request.path}.`
			).trim(),
		},
	};
}

function cancelSignalOf(context: RunningHubContext): AbortSignal | undefined {
	const withSignal = context as Partial<IExecuteFunctions>;
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}

/** n8n-core wraps the HTTP client's error; the network code sits on it or on its cause. */
function networkSignature(error: unknown): string {
	const outer = error as {
		code?: unknown;
		httpCode?: unknown;
		message?: unknown;
		cause?: { code?: unknown; message?: unknown };
	};
	return [outer?.code, outer?.httpCode, outer?.cause?.code, outer?.cause?.message, outer?.message]
		.filter((part) => typeof part === 'string')
		.join(' ');
}

function isConnectionError(error: unknown): boolean {
	return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|socket hang up|timeout|network|aborted/i.test(
		networkSignature(error),
	);
}

function isDroppedConnection(error: unknown): boolean {
	return /ECONNRESET|EPIPE|socket hang up|closed unexpectedly/i.test(networkSignature(error));
}

function isTimeout(error: unknown): boolean {
	return /ETIMEDOUT|ECONNABORTED|timeout/i.test(networkSignature(error));
}

/** Nothing reached the server, so even a create call may be sent again. */
function provesNotSent(error: unknown): boolean {
	return /ECONNREFUSED|EAI_AGAIN|ENOTFOUND/i.test(networkSignature(error));
}

/**
 * n8n-core ties every authenticated request of an execute context to the execution's cancel signal
 * (when the context has getExecutionCancelSignal). A clean-up call made because the execution was
 * stopped must not be aborted by that same signal, so it is sent through a view of the context
 * without that method.
 */
function withoutCancelSignal(context: RunningHubContext): RunningHubContext {
	const hidden = 'getExecutionCancelSignal';
	return new Proxy(context, {
		has: (target, key) => key !== hidden && key in target,
		get: (target, key, receiver) =>
			key === hidden ? undefined : Reflect.get(target, key, receiver),
	});
}

async function send(
	context: RunningHubContext,
	options: IHttpRequestOptions,
	ignoreCancel = false,
): Promise<RawResponse> {
	const caller = ignoreCancel ? withoutCancelSignal(context) : context;
	const response = (await context.helpers.httpRequestWithAuthentication.call(
		caller,
		CREDENTIAL_TYPE,
		{
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			json: false,
			encoding: 'text',
		},
	)) as { statusCode: number; body: unknown; headers?: Record<string, unknown> };
	const body = response.body;
	const text =
		typeof body === 'string'
			? body
			: body === undefined || body === null
				? ''
				: Buffer.isBuffer(body)
					? body.toString('utf8')
					: JSON.stringify(body);
	const location = response.headers?.location;
	return {
		statusCode: response.statusCode,
		body: text,
		location: typeof location === 'string' ? location : undefined,
	};
}

/**
 * Sends one request with retries, and hands the parsed JSON to `interpret`, which decides whether
 * the answer is a result, a retryable rejection or a failure.
 */
async function requestWithRetry(
	context: RunningHubContext,
	request: ApiRequest,
	interpret: (json: unknown, statusCode: number) => Attempt,
): Promise<unknown> {
	const node = context.getNode();
	const credentials = await getCredentials.call(context);
	assertApiKeyLooksValid(credentials, node);
	// The credential sends the key trimmed, so that is the text to redact (a pasted key often ends in
	// a newline).
	const apiKey = String(credentials.apiKey).trim();
	const baseURL = baseUrlOf(credentials, node);
	const policy: RetryPolicy = { ...RETRY_DEFAULTS, ...request.retry };
	const signal = request.ignoreCancel ? undefined : cancelSignalOf(context);
	const method = request.method ?? 'POST';

	const fail = (details: FailureDetails) =>
		runningHubApiError(node, { ...details, taskId: request.taskId }, apiKey);

	const attemptOnce = async (): Promise<AttemptResult<unknown, FailureDetails>> => {
		if (signal?.aborted) throw cancelledError(node, request);
		let outcome: Attempt;
		try {
			const body =
				request.body instanceof FormData
					? copyForm(request.body)
					: Buffer.isBuffer(request.body)
						? request.body
						: request.body
							? { ...request.body }
							: method === 'GET'
								? undefined
								: {};
			const response = await send(
				context,
				{
					method,
					baseURL,
					url: request.path,
					body,
					qs: request.qs,
					headers: {
						...(body instanceof FormData || Buffer.isBuffer(body) || body === undefined
							? {}
							: { 'Content-Type': 'application/json' }),
						...request.headers,
					},
					timeout: request.timeoutMs ?? TIMEOUT_DEFAULTS.requestMs,
				},
				request.ignoreCancel,
			);
			outcome = interpretResponse(response, request, interpret);
		} catch (error) {
			// n8n-core aborts in-flight requests when the execution is stopped: report the stop, not
			// "canceled".
			if (error instanceof CancelledError || signal?.aborted) {
				if (!request.createsTask) throw cancelledError(node, request);
				// The request had left: RunningHub may have created (and will bill) the task.
				throw new NodeOperationError(
					node,
					`The execution was stopped while creating a task (${request.path}). RunningHub may ` +
						`have created it anyway: check the task list on the RunningHub site before running ` +
						`again.`,
				);
			}
			const timeoutMs = request.timeoutMs ?? TIMEOUT_DEFAULTS.requestMs;
			// n8n-core words a timeout as "the connection was aborted"; say what happened instead.
			// A dropped connection is worded by the package: n8n-core's text advises retrying at once.
			const message = isTimeout(error)
				? `RunningHub did not answer within ${timeoutMs / 1000} s`
				: isDroppedConnection(error)
					? 'the connection was closed before RunningHub answered'
					: redactText(String((error as Error)?.message ?? error), apiKey);
			if (!isConnectionError(error)) {
				outcome = {
					kind: 'fail',
					details: { apiMessage: message, context: `Request to ${request.path} failed.` },
				};
			} else if (request.createsTask && !provesNotSent(error)) {
				outcome = mayExist(
					{
						apiMessage: message,
						context: `The connection failed while creating a task (${message}).`,
					},
					request,
				);
			} else {
				outcome = {
					kind: 'retry',
					reason: message,
					details: { apiMessage: message, context: `Request to ${request.path} failed.` },
				};
			}
		}

		if (outcome.kind === 'ok') return { settled: outcome.value };
		if (outcome.kind === 'fail') throw fail(outcome.details);
		return { retry: outcome.details };
	};

	// A full queue waited out at the caller's slot gate is not a blind retry: neither the attempts
	// nor the time budget are spent on it.
	let gatedMs = 0;
	const attemptPastFullQueue = async (): Promise<AttemptResult<unknown, FailureDetails>> => {
		for (;;) {
			const result = await attemptOnce();
			if (!('retry' in result) || !request.whenQueueFull || result.retry.code !== QUEUE_FULL_CODE)
				return result;
			const gatedAt = Date.now();
			const freed = await request.whenQueueFull();
			gatedMs += Date.now() - gatedAt;
			if (signal?.aborted) throw cancelledError(node, request);
			if (!freed) return result;
		}
	};

	const result = await retryWithBackoff(
		policy,
		signal,
		attemptPastFullQueue,
		() => Date.now() - gatedMs,
	);
	if ('settled' in result) return result.settled;
	if ('cancelled' in result) throw cancelledError(node, request);
	throw fail({
		...result.exhausted,
		context: (
			`${result.exhausted.context ?? ''} Gave up after ${result.attempts} attempts in ` +
			`${Math.round(result.elapsedMs / 1000)} s.`
		).trim(),
	});
}

/**
 * The credential appends `apiKey` to a FormData body, so each attempt sends a fresh copy (else a
 * retry would carry the key twice). File entries are shared, not copied.
 */
function copyForm(form: FormData): FormData {
	const copy = new FormData();
	for (const [name, value] of form.entries()) {
		if (typeof value === 'string') copy.append(name, value);
		else copy.append(name, value, value.name);
	}
	return copy;
}

function cancelledError(node: INode, request: ApiRequest): NodeOperationError {
	const message =
		`The execution was stopped while calling RunningHub ` +
		`(${request.path})${request.taskId ? ` [task ${request.taskId}]` : ''}`;
	return withTaskId(new NodeOperationError(node, message), request.taskId);
}

function interpretResponse(
	response: RawResponse,
	request: ApiRequest,
	interpret: (json: unknown, statusCode: number) => Attempt,
): Attempt {
	const { statusCode, body } = response;
	if (statusCode >= 300 && statusCode < 400) {
		// Redirects are not followed: n8n would send the API key (header, and on 307/308 the body)
		// to wherever the answer points, and take a foreign answer for RunningHub's.
		return {
			kind: 'fail',
			details: {
				httpCode: statusCode,
				summary: `RunningHub answered with a redirect (HTTP ${statusCode}), which was not followed`,
				context:
					`The answer to ${request.path} points to ` +
					`${describeLocation(response.location)}. API calls are never sent on to another ` +
					`address, so the API key stays with RunningHub and no task was created there. Check ` +
					`the Site / Base URL of the RunningHub credential (e.g. https:// instead of http://, ` +
					`and no proxy that redirects).`,
			},
		};
	}
	if (statusCode >= 500 || statusCode === 429) {
		const details: FailureDetails = {
			httpCode: statusCode,
			context: `RunningHub answered ${request.path} with HTTP ${statusCode}.`,
		};
		if (request.createsTask) return mayExist(details, request);
		return { kind: 'retry', reason: `HTTP ${statusCode}`, details };
	}
	let json: unknown;
	try {
		json = body.trim() === '' ? undefined : parseJsonLossless(body);
	} catch {
		json = undefined;
	}
	if (statusCode >= 400) {
		const envelope = (json ?? {}) as Envelope;
		return {
			kind: 'fail',
			details: {
				httpCode: statusCode,
				code: envelope.code !== undefined ? String(envelope.code) : undefined,
				apiMessage: envelope.msg ?? envelope.message ?? (body.slice(0, 200) || undefined),
				context: `RunningHub answered ${request.path} with HTTP ${statusCode}.`,
			},
		};
	}
	const outcome: Attempt =
		json === undefined || typeof json !== 'object' || json === null
			? {
					kind: 'fail',
					details: {
						httpCode: statusCode,
						context:
							`RunningHub answered ${request.path} with something that is not JSON: ` +
							`${body.slice(0, 120)}`,
					},
				}
			: interpret(json, statusCode);
	if (!request.createsTask || outcome.kind === 'ok') return outcome;
	return createOutcomeOf(outcome, request);
}

/**
 * Sorts a failed create into "rejected, no task" (a documented pre-creation refusal, sent again
 * after a wait; or a validation error, final) and "may exist" (a temporary server error, which
 * RunningHub may send after the task was made): the latter is never sent again.
 */
function createOutcomeOf(outcome: Exclude<Attempt, { kind: 'ok' }>, request: ApiRequest): Attempt {
	const code = outcome.details.code;
	if (code !== undefined && CREATE_REJECTED_RETRYABLE_CODES.includes(code)) return outcome;
	// A coded refusal (validation, key, wallet) is final and made no task; anything else (a temporary
	// server error, an answer that cannot be read) may have followed the creation of the task.
	if (outcome.kind === 'fail' && code !== undefined) return outcome;
	return mayExist(outcome.details, request);
}

function describeLocation(location: string | undefined): string {
	if (!location) return 'another address (no Location given)';
	try {
		const url = new URL(location);
		return `${url.protocol}//${url.host}`;
	} catch {
		return 'an address that is not a valid URL';
	}
}

function codedOutcome(code: string, apiMessage: string | undefined): Attempt {
	const details: FailureDetails = { code, apiMessage };
	return classifyCode(code) === 'transient'
		? { kind: 'retry', reason: `code ${code}`, details }
		: { kind: 'fail', details };
}

function isEnvelope(json: object): json is Envelope {
	return 'code' in json;
}

/**
 * v1 endpoints (`/task/openapi/*`, `/api/openapi/*`, `/uc/openapi/*`): `{code, msg, data}`,
 * HTTP 200 with a non-zero code for errors. Returns `data`. Codes in `passThroughCodes` are
 * returned as `{code, data}` instead of failing (e.g. 804/813 "still running" on outputs).
 */
export async function apiRequestV1<T = unknown>(
	this: RunningHubContext,
	request: ApiRequest,
	passThroughCodes: number[] = [],
): Promise<T> {
	return (await requestWithRetry(this, request, (json) => {
		if (!isEnvelope(json as object)) {
			return {
				kind: 'fail',
				details: { context: `Unexpected answer from ${request.path}: no "code" field.` },
			};
		}
		const envelope = json as Envelope;
		const code = String(envelope.code);
		if (code === '0')
			return {
				kind: 'ok',
				value: passThroughCodes.length ? { code: 0, data: envelope.data } : envelope.data,
			};
		if (passThroughCodes.includes(Number(code)))
			return { kind: 'ok', value: { code: Number(code), data: envelope.data, msg: envelope.msg } };
		return codedOutcome(code, envelope.msg ?? envelope.message);
	})) as T;
}

/** v2 utility endpoints (uploads, queue status): `{code, message|msg, data}`. Returns `data`. */
export async function apiRequestV2<T = unknown>(
	this: RunningHubContext,
	request: ApiRequest,
): Promise<T> {
	return (await requestWithRetry(this, request, (json) => {
		const envelope = json as Envelope & Partial<V2TaskObject>;
		if (envelope.code === undefined) {
			if (envelope.errorCode)
				return codedOutcome(String(envelope.errorCode), envelope.errorMessage);
			return {
				kind: 'fail',
				details: { context: `Unexpected answer from ${request.path}: no "code" field.` },
			};
		}
		const code = String(envelope.code);
		if (code === '0') return { kind: 'ok', value: envelope.data };
		return codedOutcome(code, envelope.message ?? envelope.msg);
	})) as T;
}

/** RunningHub writes "no error" as errorCode "", 0 or "0" depending on the endpoint. */
export function isNoErrorCode(errorCode: unknown): boolean {
	return (
		errorCode === undefined ||
		errorCode === null ||
		errorCode === 0 ||
		String(errorCode).trim() === '' ||
		String(errorCode).trim() === '0'
	);
}

/**
 * errorCode values that mean "there is no such task" (v2 query 1004, v1 807), not a failed task.
 */
export const TASK_NOT_FOUND_CODES = ['1004', '807'];

/**
 * v2 endpoints that answer one flat object with `errorCode`/`errorMessage` beside the data and no
 * envelope (Price Preview). Returns the object; a non-empty errorCode, or a v1-style `{code, msg}`
 * answer (missing or wrong key), is an error.
 */
export async function apiRequestV2Flat(
	this: RunningHubContext,
	request: ApiRequest,
): Promise<IDataObject> {
	return (await requestWithRetry(this, request, (json) => {
		const answer = json as IDataObject & Partial<Envelope>;
		if (Array.isArray(json))
			return {
				kind: 'fail',
				details: { context: `Unexpected answer from ${request.path}: a list.` },
			};
		if (answer.errorCode === undefined && answer.code !== undefined) {
			const code = String(answer.code);
			if (code === '0' && answer.data && typeof answer.data === 'object')
				return { kind: 'ok', value: answer.data };
			return codedOutcome(code, answer.msg ?? answer.message);
		}
		if (!isNoErrorCode(answer.errorCode))
			return codedOutcome(
				String(answer.errorCode).trim(),
				answer.errorMessage === undefined ? undefined : String(answer.errorMessage),
			);
		return { kind: 'ok', value: answer };
	})) as IDataObject;
}

/**
 * v2 task endpoints (model submit, v2 runs, query): the flat task object. Errors come either as
 * `errorCode` (a string, "" when fine) or, for auth problems, as a v1-style `{code, msg}`.
 * A task whose status is FAILED is returned as is (the caller turns it into a task error).
 */
export async function apiRequestV2Task(
	this: RunningHubContext,
	request: ApiRequest,
): Promise<V2TaskObject> {
	return (await requestWithRetry(this, request, (json) => {
		const task = json as Partial<V2TaskObject> & Partial<Envelope>;
		if (task.code !== undefined && task.taskId === undefined) {
			const code = String(task.code);
			if (code === '0' && task.data && typeof task.data === 'object')
				return { kind: 'ok', value: normaliseTask(task.data as Partial<V2TaskObject>) };
			return codedOutcome(code, task.msg ?? task.message);
		}
		const errorCode = isNoErrorCode(task.errorCode) ? '' : String(task.errorCode).trim();
		const taskId = task.taskId ?? (task as { task_id?: string }).task_id;
		// An unknown task may come back with its ID echoed (and even status FAILED): it is not a task.
		if (
			errorCode !== '' &&
			(!taskId || String(taskId) === '' || TASK_NOT_FOUND_CODES.includes(errorCode))
		)
			return codedOutcome(errorCode, task.errorMessage ?? undefined);
		if (!taskId)
			return {
				kind: 'fail',
				details: { context: `Unexpected answer from ${request.path}: no task ID.` },
			};
		return { kind: 'ok', value: normaliseTask({ ...task, taskId: String(taskId), errorCode }) };
	})) as V2TaskObject;
}

function normaliseTask(task: Partial<V2TaskObject>): V2TaskObject {
	return {
		...task,
		taskId: String(task.taskId ?? ''),
		status: String(task.status ?? '')
			.trim()
			.toUpperCase(),
		errorCode: isNoErrorCode(task.errorCode) ? '' : String(task.errorCode).trim(),
		errorMessage: task.errorMessage ?? '',
	} as V2TaskObject;
}
