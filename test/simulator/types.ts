/** Shared types of the RunningHub simulator. */

export type TaskStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'FAILED';
export type TaskKind = 'workflow' | 'aiApp' | 'model';

export interface SimulatorOptions {
	/** Port to listen on; 0 (default) picks a free one. */
	port?: number;
	/** Interface to bind; default 127.0.0.1 (use 0.0.0.0 when n8n runs in a container). */
	host?: string;
	/** Time a new task stays QUEUED (ms, default 50). */
	queuedMs?: number;
	/** Time a task stays RUNNING before it ends (ms, default 150). */
	runningMs?: number;
	/**
	 * Optional poll-driven lifecycle: when set, a task ends after this many status views
	 * (query/status/outputs) instead of by time. Half of them (rounded down) see QUEUED, the rest RUNNING.
	 */
	pollsBeforeDone?: number;
	/** Delays between webhook retries; its length is the number of retries (default [50, 100, 200]). */
	webhookRetryDelaysMs?: number[];
	/** Per-attempt webhook timeout (ms, default 3000). */
	webhookTimeoutMs?: number;
	/** Largest legacy upload (bytes, default 30 MiB, as its page states); bigger → 809. */
	maxUploadBytes?: number;
	/**
	 * Largest media (v2) upload (bytes); none by default, since its page states none. Bigger →
	 * code 1008, the documented "File size limit exceeded".
	 */
	maxMediaUploadBytes?: number;
	/** Base URL used in result/download/presigned URLs (default: the server's own base URL). */
	publicBaseUrl?: string;
	/** Log every request to stderr. */
	log?: boolean;
	/** v2 status reported for cancelled tasks: 'FAILED' (default, the official enum) or 'CANCEL'. */
	cancelStatus?: 'FAILED' | 'CANCEL';
	/** Unknown /openapi/v2/<endpoint> answers errorCode 1001 instead of being accepted (default false). */
	strictModels?: boolean;
	/**
	 * What the v2 query of a failed workflow/AI-app task carries: 'details' (default: errorCode "805"
	 * and the ComfyUI failedReason) or 'empty' (errorCode "1015" and `failedReason: {}`, as in the
	 * official v2 failure example; the details are then only in v1 outputs and the webhook).
	 */
	v2FailedReason?: V2FailedReasonMode;
	/** `status` of the v2 query answer for an unknown task: '' (default, live capture) or 'FAILED'. */
	unknownTaskStatus?: '' | 'FAILED';
	/** `errorCode` of a successful price preview: 0 (default) or '' (both seen in live clients). */
	pricePreviewErrorCode?: 0 | '';
}

export type V2FailedReasonMode = 'details' | 'empty';

export interface ResolvedOptions {
	port: number;
	host: string;
	queuedMs: number;
	runningMs: number;
	pollsBeforeDone: number | undefined;
	webhookRetryDelaysMs: number[];
	webhookTimeoutMs: number;
	maxUploadBytes: number;
	maxMediaUploadBytes: number | undefined;
	publicBaseUrl: string | undefined;
	log: boolean;
	cancelStatus: 'FAILED' | 'CANCEL';
	strictModels: boolean;
	v2FailedReason: V2FailedReasonMode;
	unknownTaskStatus: '' | 'FAILED';
	pricePreviewErrorCode: 0 | '';
}

/** What the next created task should do (see `sim.nextTaskOutcome`). */
export type TaskOutcome =
	| 'success'
	| 'fail'
	| 'empty'
	| {
			result: 'success' | 'fail' | 'empty';
			/** v2 errorCode for failures (default "805" for workflow/app tasks, "1015" for model tasks). */
			errorCode?: string;
			errorMessage?: string;
			exceptionType?: string;
			exceptionMessage?: string;
			nodeId?: string;
			/** Per-task override of the `v2FailedReason` option. */
			v2FailedReason?: V2FailedReasonMode;
			/** ComfyUI node errors reported with `result: true` (outputs still valid): the task runs. */
			promptWarnings?: boolean;
			/** Per-task duration overrides. */
			queuedMs?: number;
			runningMs?: number;
	  };

/** ComfyUI-style failure details. Rendered as JSON strings in v1 views and as objects in v2. */
export interface FailedReason {
	node_id: string;
	node_name: string;
	exception_type: string;
	exception_message: string;
	traceback: string[];
	current_inputs: Record<string, unknown>;
	current_outputs: Record<string, unknown>;
}

export type ResolvedOutcome =
	| { result: 'success'; empty: boolean }
	| { result: 'fail'; errorCode: string; errorMessage: string; failedReason: FailedReason };

export interface PlannedOutput {
	nodeId: string;
	/** File extension without dot (png, mp4, mp3, glb, txt, ...). */
	fileType: string;
	/** Name of the file under /files/output/<taskId>/; empty for text results. */
	fileName: string;
	/** Text results (LLM-style model endpoints) carry text instead of a file. */
	text?: string;
}

export interface SimTask {
	taskId: string;
	apiKey: string;
	kind: TaskKind;
	/** Which API family created the task (affects nothing but is handy in assertions). */
	api: 'v1' | 'v2';
	workflowId?: string;
	webappId?: string;
	endpoint?: string;
	createdAt: number;
	queuedMs: number;
	runningMs: number;
	/** Poll-driven lifecycle (copied from options at creation). */
	pollsBeforeDone?: number;
	polls: number;
	clientId: string;
	/** JSON string (python-style) for workflow/app tasks, '' for model tasks. */
	promptTips: string;
	webhookUrl?: string;
	outcome: ResolvedOutcome;
	outputs: PlannedOutput[];
	/** Effective inputs (final workflow graph, app fields or model body), kept for inspection. */
	inputs: unknown;
	instanceType?: string;
	/** Per-task override of the `v2FailedReason` option. */
	v2FailedReason?: V2FailedReasonMode;
	cancelledAt?: number;
	/** Set once the terminal state has been observed (files materialised, webhook sent). */
	endedAt?: number;
	timer?: NodeJS.Timeout;
}

export interface RecordedRequest {
	method: string;
	path: string;
	/** Route name, e.g. "v1.create", "v2.query", "v2.model", "files.get", or "unknown". */
	route: string;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string>;
	/** Parsed JSON body, a multipart summary ({fields, files}) or the raw text (truncated). */
	body: unknown;
	bodyBytes: number;
	timestamp: number;
	/** Set once the simulator is done with the request (answer written, or connection closed). */
	answer?: RecordedAnswer;
}

export interface RecordedAnswer {
	/** HTTP status written; absent when no answer was written (fault 'reset' or 'hang'). */
	status?: number;
	/** The JSON answer (what a 'code' fault or the route handler wrote). */
	json?: unknown;
	/** The fault that shaped or replaced the answer. */
	fault?: FaultKind;
	/** True when the whole answer was handed to the connection before it closed. */
	complete: boolean;
}

export interface WebhookDelivery {
	eventId: string;
	taskId: string;
	url: string;
	/** Exact JSON text sent. */
	body: string;
	/** HTTP status of the receiver, or null on network error/timeout. */
	status: number | null;
	error?: string;
	responseBody?: string;
	/** 1-based attempt number within one delivery cycle. */
	attempt: number;
	/** True for deliveries triggered by /task/openapi/retryWebhook. */
	manual: boolean;
	at: number;
}

export interface WebhookEvent {
	id: string;
	taskId: string;
	apiKey: string;
	webhookUrl: string;
	eventData: string;
	callbackStatus: 'PENDING' | 'SUCCESS' | 'FAILED';
	callbackResponse: string | null;
	retryCount: number;
	createTime: number;
	updateTime: number;
}

export type FaultKind = 'http' | 'reset' | 'slow' | 'hang' | 'code';

export interface FaultSpec {
	/** Exact path, a path ending in "*" (prefix match) or a RegExp tested against the path. */
	route: string | RegExp;
	kind: FaultKind;
	/** Only for this HTTP method (default any). */
	method?: string;
	/** kind 'http': HTTP status (default 500). */
	status?: number;
	/** kind 'http' with 429/503: value of the Retry-After header. */
	retryAfterSeconds?: number;
	/** kind 'slow': delay before the normal answer (default 2000 ms). */
	delayMs?: number;
	/** kind 'code': RunningHub code (v1 `code` or v2 `errorCode`), default 500 / "1005". */
	code?: number | string;
	/** kind 'code': message (default: the official text for the code). */
	msg?: string;
	/** How many matching requests to affect (default 1; -1 = until cleared). */
	times?: number;
	/** Run the handler first (e.g. create the task), then replace its answer with the fault. */
	afterTaskCreated?: boolean;
}

export interface SimStats {
	/** Requests to any task-creating route (v1/v2 workflow, AI app, model endpoints). */
	createRequests: number;
	/** Tasks actually created. */
	tasksCreated: number;
	/** Requests to /openapi/v2/query, /task/openapi/status and /task/openapi/outputs. */
	statusRequests: number;
	cancelRequests: number;
	tasksCancelled: number;
	uploads: number;
	webhookAttempts: number;
	faultsInjected: number;
	/** Presigned LoRA PUTs rejected because they carried a RunningHub key or Authorization header. */
	credentialLeaks: number;
	byRoute: Record<string, number>;
}

/** A response produced by a route handler, serialised by the server. */
export interface SimResponse {
	status: number;
	headers?: Record<string, string>;
	/** JSON payload (serialised with the numericIds quirk applied). */
	json?: unknown;
	/** Raw payload (used when json is undefined). */
	body?: Buffer | string;
}
