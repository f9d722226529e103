import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * How the package reacts to a RunningHub code:
 * - `transient`: the request was rejected before any work started (busy, rate limit, temporary
 *   outage); safe to retry, even for calls that create tasks.
 * - `running`: not an error, the task is still queued or running (v1 outputs).
 * - `taskFailed`: the task ran and failed; terminal.
 * - `permanent`: fix the input or the account; never retried.
 */
export type ErrorClass = 'transient' | 'running' | 'taskFailed' | 'permanent';

interface KnownCode {
	name: string;
	class: ErrorClass;
	/** What happened and what to do, in the user's words. */
	hint: string;
}

export const RUNNINGHUB_CODES: Record<string, KnownCode> = {
	'1': {
		name: 'FAILED',
		class: 'permanent',
		hint: 'RunningHub rejected the request. Check the IDs you sent.',
	},
	'301': {
		name: 'PARAMS_INVALID',
		class: 'permanent',
		hint: 'A parameter is missing or invalid. Check the IDs and values sent to RunningHub.',
	},
	'380': {
		name: 'WORKFLOW_NOT_EXISTS',
		class: 'permanent',
		hint:
			'The workflow does not exist. Check the workflow ID, and that the credential uses the ' +
			'site (runninghub.ai or runninghub.cn) the workflow was made on.',
	},
	'401': {
		name: 'UNAUTHORIZED',
		class: 'permanent',
		hint: 'The API key was not accepted. Check the key in the RunningHub credential and its site.',
	},
	'412': {
		name: 'TOKEN_INVALID',
		class: 'permanent',
		hint:
			'The API key was not accepted or the API path is wrong. Check the key and the base ' +
			'URL of the credential.',
	},
	'415': {
		name: 'TASK_INSTANCE_MAXED',
		class: 'transient',
		hint:
			'All dedicated machines of the account are busy. Retry later, lower Max Concurrent ' +
			'Tasks, or turn on Use Personal Queue.',
	},
	'416': {
		name: 'TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET',
		class: 'permanent',
		hint:
			'The wallet balance is too low to start the task. Top up the RunningHub wallet, then ' +
			'run again.',
	},
	'421': {
		name: 'TASK_QUEUE_MAXED',
		class: 'transient',
		hint:
			'The account already runs as many tasks as it may. Retry later or lower Max ' +
			'Concurrent Tasks.',
	},
	'423': {
		name: 'TASK_NOT_FOUND',
		class: 'permanent',
		hint: 'The task was not found: the ID is wrong or its history was purged.',
	},
	'433': {
		name: 'VALIDATE_PROMPT_FAILED',
		class: 'permanent',
		hint:
			'RunningHub could not validate the workflow with these inputs (or the API wallet is ' +
			'too low for a paid app). Check the changed inputs against the workflow.',
	},
	'435': {
		name: 'TASK_USER_EXCLAPI_INSTANCE_NOT_FOUND',
		class: 'permanent',
		hint:
			'No 48 GB dedicated instance was found. Set Instance Type to Plus (48 GB) or use a ' +
			'key with such an instance.',
	},
	'436': {
		name: 'TASK_USER_EXCLAPI_REQUIRED',
		class: 'permanent',
		hint:
			'The dedicated (exclusive) membership of the account has expired. Renew it on ' +
			'RunningHub.',
	},
	'500': {
		name: 'UNKNOWN_ERROR',
		class: 'transient',
		hint: 'RunningHub had an internal error. Try again later.',
	},
	'801': {
		name: 'APIKEY_UNSUPPORTED_FREE_USER',
		class: 'permanent',
		hint: 'Free accounts cannot use the RunningHub API. Upgrade the account.',
	},
	'802': {
		name: 'APIKEY_UNAUTHORIZED',
		class: 'permanent',
		hint:
			'The API key is wrong or disabled. Check the key in the credential and that it ' +
			'belongs to the chosen site.',
	},
	'803': {
		name: 'APIKEY_INVALID_NODE_INFO',
		class: 'permanent',
		hint:
			'A changed input names a node ID or field that the workflow does not have. Reload the ' +
			'inputs from the workflow and check each node ID and field name.',
	},
	'804': { name: 'APIKEY_TASK_IS_RUNNING', class: 'running', hint: 'The task is still running.' },
	'805': {
		name: 'APIKEY_TASK_STATUS_ERROR',
		class: 'taskFailed',
		hint:
			'The task failed, was interrupted or was cancelled (despite its name, this code is ' +
			'about the task, not your key).',
	},
	'806': {
		name: 'APIKEY_USER_NOT_FOUND',
		class: 'permanent',
		hint: 'The user of this API key no longer exists. Create a new key.',
	},
	'807': {
		name: 'APIKEY_TASK_NOT_FOUND',
		class: 'permanent',
		hint: 'No task with this ID exists for this key. Check the task ID and the site.',
	},
	'808': {
		name: 'APIKEY_UPLOAD_FAILED',
		class: 'transient',
		hint: 'The upload failed on RunningHub storage. Try again.',
	},
	'809': {
		name: 'APIKEY_FILE_SIZE_EXCEEDED',
		class: 'permanent',
		hint:
			'The file is larger than RunningHub accepts (30 MB). Compress it or host it elsewhere ' +
			'and pass its URL.',
	},
	'810': {
		name: 'WORKFLOW_NOT_SAVED_OR_NOT_RUNNING',
		class: 'permanent',
		hint:
			'The workflow has never run successfully. Open it on the RunningHub site, save it and ' +
			'run it once, then try again.',
	},
	'811': {
		name: 'CORPAPIKEY_INVALID',
		class: 'permanent',
		hint: 'The enterprise API key is invalid. Check the key in the credential.',
	},
	'812': {
		name: 'CORPAPIKEY_INSUFFICIENT_FUNDS',
		class: 'permanent',
		hint: 'The enterprise balance is exhausted. Top up the wallet, then run again.',
	},
	'813': { name: 'APIKEY_TASK_IS_QUEUED', class: 'running', hint: 'The task is queued.' },
	'814': {
		name: 'PERSONAL_QUEUE_COUNT_LIMIT',
		class: 'permanent',
		hint: 'The personal queue already holds 1000 tasks. Wait until it drains, then run again.',
	},
	'901': {
		name: 'WEBAPP_NOT_EXISTS',
		class: 'permanent',
		hint:
			'The AI app does not exist. Check the app ID and that the credential uses the site ' +
			'the app is on.',
	},
	'1000': {
		name: 'UNKNOWN_ERROR',
		class: 'permanent',
		hint: 'RunningHub reported an unknown error. Try again or contact RunningHub support.',
	},
	'1001': {
		name: 'INVALID_URL',
		class: 'permanent',
		hint: 'The endpoint path is not valid. Check the model endpoint or the base URL.',
	},
	'1002': {
		name: 'INVALID_API_KEY',
		class: 'permanent',
		hint: 'The API key is invalid. Check the key in the credential and its site.',
	},
	'1003': {
		name: 'RATE_LIMITED',
		class: 'transient',
		hint: 'Too many requests. Slow down or lower Max Concurrent Tasks.',
	},
	'1004': {
		name: 'TASK_NOT_FOUND',
		class: 'permanent',
		hint: 'The task was not found or has expired. Check the task ID and the site.',
	},
	'1005': {
		name: 'INTERNAL_ERROR',
		class: 'transient',
		hint: 'RunningHub had a temporary internal error. Try again later.',
	},
	'1006': {
		name: 'TASK_TIMEOUT',
		class: 'taskFailed',
		hint:
			'The task ran too long and was stopped by RunningHub. Run it again, perhaps with ' +
			'smaller settings.',
	},
	'1007': {
		name: 'INVALID_PARAMETERS',
		class: 'permanent',
		hint:
			"RunningHub rejected the parameters. Check the values against the model's allowed " +
			'options and limits.',
	},
	'1008': {
		name: 'FILE_TOO_LARGE',
		class: 'permanent',
		hint:
			'The file is larger than RunningHub accepts. Compress it or host it elsewhere and ' +
			'pass its URL.',
	},
	'1009': {
		name: 'METHOD_NOT_SUPPORTED',
		class: 'permanent',
		hint: 'The HTTP method is not supported for this endpoint.',
	},
	'1010': {
		name: 'SERVICE_UNAVAILABLE',
		class: 'transient',
		hint: 'The service is temporarily unavailable. Try again later.',
	},
	'1011': { name: 'SYSTEM_BUSY', class: 'transient', hint: 'RunningHub is busy. Try again later.' },
	'1012': {
		name: 'UPSTREAM_ERROR',
		class: 'taskFailed',
		hint: 'The model provider behind RunningHub answered with an error. Try again later.',
	},
	'1013': {
		name: 'FILE_PROCESSING_FAILED',
		class: 'permanent',
		hint:
			'RunningHub could not fetch or read an input file. Check that each URL is public and ' +
			'the file is valid.',
	},
	'1014': {
		name: 'STANDARD_MODEL_API_DENIED',
		class: 'permanent',
		hint:
			'The Standard Model API works only with Enterprise-Shared API keys. Create an ' +
			'Enterprise-Shared key in the RunningHub API console and use it in this credential; ' +
			'workflows and AI apps work with any key.',
	},
	'1015': {
		name: 'GENERATION_FAILED',
		class: 'taskFailed',
		hint: 'The generation failed. Try again, perhaps with a different prompt or input.',
	},
	'1101': {
		name: 'NODE_INFO_ERROR',
		class: 'permanent',
		hint:
			'RunningHub could not read the node overrides. Check the node IDs, field names and ' +
			'values.',
	},
	'1501': {
		name: 'CONTENT_REJECTED',
		class: 'taskFailed',
		hint: 'Content moderation rejected the prompt or images. Change them and try again.',
	},
	'1504': {
		name: 'MODEL_TIMEOUT',
		class: 'taskFailed',
		hint: 'The model timed out. Try again later.',
	},
	'1505': {
		name: 'REAL_PERSON_REJECTED',
		class: 'taskFailed',
		hint: 'Photorealistic real people are not allowed by this model. Change the prompt or image.',
	},
	'1601': {
		name: 'API_KEY_REQUIRED',
		class: 'permanent',
		hint: 'No API key was sent. Enter the API key in the RunningHub credential.',
	},
};

export function classifyCode(code: string | number): ErrorClass {
	return RUNNINGHUB_CODES[String(code)]?.class ?? 'permanent';
}

export interface RunningHubErrorDetails {
	code?: string;
	/** RunningHub's own message (msg / message / errorMessage). */
	apiMessage?: string;
	httpCode?: number;
	taskId?: string;
	/** Extra context, e.g. which endpoint or which output. */
	context?: string;
	/** Headline to use instead of the code's own, e.g. a task failure naming the failing node. */
	summary?: string;
	/** A create failed in a way that leaves it open whether RunningHub made (and bills) the task. */
	taskMayExist?: boolean;
	/**
	 * Keep the code out of the headline and name it in the description instead: a failed task's
	 * headline is one plain sentence, and codes such as APIKEY_TASK_STATUS_ERROR only alarm there.
	 */
	codeInDescription?: boolean;
}

/**
 * Builds the error users see. It is made from a clean object (never from the HTTP client's error,
 * whose config holds the request body and headers, i.e. the API key).
 */
export function runningHubApiError(
	node: INode,
	details: RunningHubErrorDetails,
	apiKey?: string,
): NodeApiError {
	const known = details.code !== undefined ? RUNNINGHUB_CODES[details.code] : undefined;
	const codeLabel =
		details.code !== undefined ? `${details.code}${known ? ` ${known.name}` : ''}` : undefined;
	let message: string;
	if (details.summary) message = details.summary;
	else if (known) message = known.hint.split('. ')[0].replace(/\.$/, '');
	else if (details.apiMessage) message = details.apiMessage;
	else if (details.httpCode) message = `RunningHub answered with HTTP ${details.httpCode}`;
	else message = 'RunningHub request failed';
	if (codeLabel && !details.codeInDescription) message += ` (code ${codeLabel})`;
	if (details.taskId) message += ` [task ${details.taskId}]`;

	const description = [
		details.codeInDescription && codeLabel
			? `RunningHub code ${codeLabel}${known ? `: ${known.hint}` : '.'}`
			: known?.hint,
		details.apiMessage && known ? `RunningHub said: ${details.apiMessage}` : undefined,
		details.context,
		details.taskId ? `Task ID: ${details.taskId}` : undefined,
	]
		.filter(Boolean)
		.join(' ');

	const errorResponse: JsonObject = {
		message,
		code: details.code ?? null,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : null,
		taskId: details.taskId ?? null,
		apiMessage: details.apiMessage ?? null,
		...(details.taskMayExist ? { taskMayExist: true } : {}),
	};
	const error = new NodeApiError(node, redactSecret(errorResponse, apiKey), {
		message: redactText(message, apiKey),
		description: redactText(description, apiKey) || undefined,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : undefined,
	});
	return withTaskId(error, details.taskId);
}

/**
 * Records the task an error is about in its context, where the router and tool mode read it: the
 * task ID is data, not something to find again in the message.
 */
export function withTaskId<T extends NodeApiError | NodeOperationError>(
	error: T,
	taskId: string | undefined,
): T {
	if (taskId) error.context.taskId = taskId;
	return error;
}

/** The task an error is about, when one was recorded with withTaskId. */
export function taskIdOf(error: unknown): string | undefined {
	const taskId = (error as { context?: { taskId?: unknown } } | undefined)?.context?.taskId;
	return typeof taskId === 'string' && taskId !== '' ? taskId : undefined;
}

/**
 * The key base64 / base64url encoded at each of the three byte alignments, keeping only the
 * characters that depend on the key alone, so that it is found inside a longer encoded text too.
 */
function encodedForms(secret: string): RegExp {
	const bytes = Buffer.from(secret, 'utf8');
	const forms = new Set<string>();
	for (let offset = 0; offset < 3; offset++) {
		const base64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		const core = base64.slice(
			Math.ceil((offset * 8) / 6),
			Math.floor(((offset + bytes.length) * 8) / 6),
		);
		forms.add(core);
		forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp([...forms].map(escape).join('|'), 'g');
}

export function redactText(text: string, secret?: string): string {
	if (!secret || secret.length < 4 || !text) return text;
	const lower = secret.toLowerCase();
	let result = text;
	// Any letter case: find the key in a lower-cased copy and cut the same spans out of the text.
	const folded = result.toLowerCase();
	if (folded.length === result.length && folded.includes(lower)) {
		let out = '';
		let from = 0;
		for (let at = folded.indexOf(lower); at >= 0; at = folded.indexOf(lower, from)) {
			out += result.slice(from, at) + '***';
			from = at + lower.length;
		}
		result = out + result.slice(from);
	} else {
		result = result.split(secret).join('***');
	}
	return secret.length < 8 ? result : result.replace(encodedForms(secret), '***');
}

export function redactSecret<T>(value: T, secret?: string): T {
	if (!secret || secret.length < 4) return value;
	return JSON.parse(redactText(JSON.stringify(value), secret)) as T;
}

/** Any error as the node error n8n shows; one that already is one keeps its message and context. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
