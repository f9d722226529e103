import { timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { outputOptionFields } from '../RunningHub/actions/common/output.description';
import { callbackBody, isMalformed, parseTaskEndEvent } from '../RunningHub/helpers/callbackEvent';
import type { OutputOptions, TaskEndEvent, TaskResult } from '../RunningHub/helpers/interfaces';
import {
	DEFAULT_OUTPUT_OPTIONS,
	readOutputOptions,
	taskResultToItems,
} from '../RunningHub/helpers/output';
import { queryTask } from '../RunningHub/helpers/task';
import {
	TERMINAL_STATUSES,
	resultFromV2Task,
	withDetailsFrom,
} from '../RunningHub/helpers/taskResult';
import { CREDENTIAL_TYPE, isPrivateAddress } from '../RunningHub/transport';

/** Query parameter that carries the Secret Token in the URL form of earlier versions. */
export const TOKEN_QUERY_PARAMETER = 'token';
/** Path of the trigger's webhook; the Secret Token follows it as the last part of the URL. */
export const WEBHOOK_PATH = 'runninghub';
/**
 * Characters a Secret Token may have: it is a part of the URL path, which n8n matches as it is,
 * so nothing in it may need encoding or look like a path parameter.
 */
const URL_SAFE_TOKEN = /^[A-Za-z0-9._~-]+$/;
const TOKEN_NOT_URL_SAFE =
	"The Secret Token is part of the trigger's URL, so it may contain only letters, digits and - " +
	'_ . ~ (no spaces or other signs). Set a new token, e.g. a long random string of letters and ' +
	'digits, and give RunningHub the new Production URL.';
/** How many delivered task IDs are remembered (in the workflow's static data) to drop repeats. */
export const DELIVERED_MEMORY = 1000;
/** Answers of the task query that mean "this key has no such task". */
const UNKNOWN_TASK_CODES = ['1004', '807'];
/** Status recorded for an event whose handling is under way. */
const CLAIMED = 'CLAIMED';

interface DeliveredLog {
	delivered?: Array<[string, string]>;
}

/**
 * Events claimed in this process. n8n hands each request its own copy of the static data, so two
 * simultaneous deliveries of one event would both find it unseen there; this map is shared by all
 * requests, and is written before the first await. Bounded: the oldest claims are forgotten first.
 */
const claimedEvents = new Map<string, true>();
const CLAIMED_EVENTS_MEMORY = 10_000;

function claimInProcess(key: string): boolean {
	if (claimedEvents.has(key)) return false;
	claimedEvents.set(key, true);
	if (claimedEvents.size > CLAIMED_EVENTS_MEMORY) {
		const oldest = claimedEvents.keys().next().value;
		if (oldest !== undefined) claimedEvents.delete(oldest);
	}
	return true;
}

/** Writes the whole list anew (n8n saves static data that was assigned, and keeps it bounded). */
function recordDelivery(log: DeliveredLog, taskId: string, status: string): void {
	const others = (Array.isArray(log.delivered) ? log.delivered : []).filter(
		(entry) => Array.isArray(entry) && entry[0] !== taskId,
	);
	const entries: Array<[string, string]> = others.map(([id, state]) => [String(id), String(state)]);
	entries.push([taskId, status]);
	log.delivered = entries.slice(-DELIVERED_MEMORY);
}

function forgetDelivery(log: DeliveredLog, taskId: string): void {
	const entries = Array.isArray(log.delivered) ? log.delivered : [];
	log.delivered = entries
		.filter((entry) => Array.isArray(entry) && entry[0] !== taskId)
		.map(([id, state]) => [String(id), String(state)] as [string, string]);
}

/**
 * The token a call carries: the last part of the path (the Production URL as the editor shows
 * it), or `?token=` of the earlier URL form.
 */
function givenToken(context: IWebhookFunctions): string | undefined {
	const query = (context.getQueryData() as IDataObject)[TOKEN_QUERY_PARAMETER];
	if (typeof query === 'string') return query;
	const path = context.getRequestObject().path ?? '';
	const match = new RegExp(`/${WEBHOOK_PATH}/([^/?#]+)/?$`).exec(path);
	if (!match) return undefined;
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return match[1];
	}
}

function tokensMatch(expected: string, given: string): boolean {
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(given, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

function reply(
	context: IWebhookFunctions,
	statusCode: number,
	body: IDataObject,
): IWebhookResponseData {
	context.getResponseObject().status(statusCode).json(body);
	return { noWebhookResponse: true };
}

/** RunningHub only needs a 200: an empty one, sent before the workflow starts. */
function acknowledge(
	context: IWebhookFunctions,
	workflowData?: INodeExecutionData[][],
): IWebhookResponseData {
	context.getResponseObject().status(200).end();
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

const VERIFY_WITHOUT_CREDENTIAL =
	'Verify with API is on, but the RunningHub Trigger has no RunningHub credential, so no event ' +
	'could be confirmed. Select a credential, or turn Verify with API off to accept events ' +
	'unconfirmed.';

function hasCredential(context: IWebhookFunctions): boolean {
	return Boolean(context.getNode().credentials?.[CREDENTIAL_TYPE]);
}

/** The trigger downloads files only when asked: a large video would slow the callback answer. */
const TRIGGER_OUTPUT_DEFAULTS: OutputOptions = {
	...DEFAULT_OUTPUT_OPTIONS,
	downloadOutputs: false,
};

type Verification = { result: TaskResult } | { reject: number; message: string };

/** Asks RunningHub about the task, so that only its real status and files are emitted. */
async function verifyWithApi(
	context: IWebhookFunctions,
	event: TaskEndEvent,
): Promise<Verification> {
	try {
		const task = await queryTask(context, event.taskId, { maxAttempts: 2 });
		const result = resultFromV2Task(task);
		// For a task it does not know, the query may answer with the same taskId, status FAILED and
		// errorCode 1004/807: that is a forged or mistaken event, not a failed task.
		if (UNKNOWN_TASK_CODES.includes(String(result.failure?.errorCode ?? ''))) {
			return {
				reject: 403,
				message: `RunningHub does not know task ${event.taskId} for this API key; event rejected.`,
			};
		}
		if (!TERMINAL_STATUSES.includes(result.status)) {
			return {
				reject: 409,
				message:
					`RunningHub reports task ${event.taskId} as ${result.status}, not ended; event ` +
					`not emitted.`,
			};
		}
		return { result };
	} catch (error) {
		const code = String(
			((error as NodeApiError).errorResponse as JsonObject | undefined)?.code ?? '',
		);
		if (UNKNOWN_TASK_CODES.includes(code)) {
			return {
				reject: 403,
				message: `RunningHub does not know task ${event.taskId} for this API key; event rejected.`,
			};
		}
		return {
			reject: 502,
			message:
				`The event could not be verified with the RunningHub API: ` + `${(error as Error).message}`,
		};
	}
}

export class RunningHubTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RunningHub Trigger',
		name: 'runningHubTrigger',
		icon: {
			light: 'file:../../icons/runninghub.svg',
			dark: 'file:../../icons/runninghub.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: 'Task ended',
		description: 'Starts the workflow when a RunningHub task ends (TASK_END callback)',
		defaults: { name: 'RunningHub Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'runningHubApi', required: false }],
		webhooks: [
			{
				// The Secret Token ends the URL the editor shows, so that URL is pasted whole.
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: `={{ "${WEBHOOK_PATH}/" + ($parameter["token"] || "no-secret-token-set") }}`,
			},
			{
				// The earlier form, …/runninghub?token=…: URLs already given to RunningHub keep working.
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: WEBHOOK_PATH,
				ndvHideUrl: true,
			},
		],
		properties: [
			{
				displayName:
					'RunningHub calls this URL when a task ends. The Production URL above already ends ' +
					'with the Secret Token below: copy it whole and paste it into the <b>Webhook URL</b> ' +
					'option of a RunningHub node (Wait Mode "Return Task ID"). Publish this workflow: ' +
					'test URLs stop listening after a few minutes.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				// n8n names a trigger's entry in the node panel after the option's action
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Task Ended',
						value: 'taskEnd',
						action: 'On task end',
						description: 'RunningHub reports a task as finished (TASK_END), whatever its result',
					},
				],
				default: 'taskEnd',
			},
			{
				displayName: 'Secret Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					'RunningHub does not sign its callbacks, so the URL carries this secret as its last ' +
					'part (the Production URL above shows it); calls without it are answered 401. Use a ' +
					'long random string of letters, digits and - _ . ~',
			},
			{
				displayName: 'Verify with API',
				name: 'verifyWithApi',
				type: 'boolean',
				default: true,
				description:
					'Whether to confirm each event with the RunningHub API before starting the workflow, ' +
					'and to emit the status and files the API reports rather than those in the event (so ' +
					'a forged call cannot inject links). Needs a credential: while it is on without one, ' +
					'the trigger refuses to listen and answers every event with an error.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: outputOptionFields.map((field) =>
					field.name === 'downloadOutputs'
						? {
								...field,
								default: false,
								description:
									'Whether to download the generated files into binary properties (links expire ' +
									'after 24 hours). Large videos make the callback slow; RunningHub retries ' +
									'slow receivers.',
							}
						: field,
				),
			},
		],
	};

	// RunningHub has no API to register callback URLs: the URL is passed with each task, so there is
	// nothing to create or delete when the workflow is published.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const token = String(this.getNodeParameter('token', '') ?? '');
				if (!token)
					throw new NodeOperationError(this.getNode(), 'The Secret Token is empty', {
						description:
							'Set a Secret Token (a long random string of letters and digits): it is the last ' +
							"part of the trigger's URL, so that only RunningHub, which gets the URL with each " +
							'task, can call it.',
					});
				if (!URL_SAFE_TOKEN.test(token))
					throw new NodeOperationError(this.getNode(), TOKEN_NOT_URL_SAFE);
				// Refuse to listen rather than silently emit unconfirmed events.
				if (
					this.getNodeParameter('verifyWithApi', true) === true &&
					!this.getNode().credentials?.[CREDENTIAL_TYPE]
				)
					throw new NodeOperationError(this.getNode(), VERIFY_WITHOUT_CREDENTIAL);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const expected = String(this.getNodeParameter('token', '') ?? '');
		const given = givenToken(this);
		if (!expected) {
			return reply(this, 401, {
				error:
					'The RunningHub Trigger has no Secret Token set; set one and give RunningHub the ' +
					'Production URL it shows.',
			});
		}
		if (given === undefined || !tokensMatch(expected, given)) {
			return reply(this, 401, {
				error:
					'Missing or wrong Secret Token: call the Production URL exactly as the RunningHub ' +
					'Trigger shows it (it ends with /runninghub/ and the token).',
			});
		}

		const body = callbackBody(this.getBodyData(), this.getRequestObject().rawBody);
		const event = parseTaskEndEvent(body);
		if (isMalformed(event)) return reply(this, 400, { error: event.malformed });

		const verify = this.getNodeParameter('verifyWithApi', true) === true;
		if (verify && !hasCredential(this))
			return reply(this, 500, { error: VERIFY_WITHOUT_CREDENTIAL });
		const outputOptions = readOutputOptions(
			this.getNodeParameter('options', {}) as IDataObject,
			TRIGGER_OUTPUT_DEFAULTS,
		);
		if (!verify && outputOptions.downloadOutputs) {
			const refused = event.result.outputs.find(
				(output) => output.fileUrl && isPrivateAddress(output.fileUrl),
			);
			if (refused)
				return reply(this, 400, {
					error:
						'An unconfirmed event points at a local or private address; it is not downloaded. ' +
						'Turn Verify with API on to download the files RunningHub reports.',
				});
		}

		// RunningHub re-sends an event when the answer is slow or lost; each task ends only once.
		// The event is claimed before the first await and released only if handling fails, so two
		// simultaneous deliveries start one execution.
		const log = this.getWorkflowStaticData('node') as DeliveredLog;
		const delivered = Array.isArray(log.delivered) ? log.delivered : [];
		const workflowId = this.getWorkflow().id ?? '';
		const claimKey = `${workflowId}\u0000${this.getNode().name}\u0000${event.taskId}`;
		if (delivered.some(([taskId]) => taskId === event.taskId) || !claimInProcess(claimKey))
			return acknowledge(this);
		recordDelivery(log, event.taskId, CLAIMED);
		const release = () => {
			claimedEvents.delete(claimKey);
			forgetDelivery(log, event.taskId);
		};

		let emitted = false;
		try {
			let result = event.result;
			if (verify) {
				const verification = await verifyWithApi(this, event);
				if ('reject' in verification)
					return reply(this, verification.reject, { error: verification.message });
				// The API's answer may lack the failing node that the callback carried: keep it.
				result = withDetailsFrom(verification.result, event.result.failure);
			} else if (!event.terminal) {
				return acknowledge(this);
			}

			const items = await taskResultToItems(this, result, outputOptions);
			recordDelivery(log, event.taskId, result.status);
			const emittedItems: INodeExecutionData[] = items.map((item) => ({
				...item,
				json: {
					event: event.event,
					...item.json,
					verifiedWithApi: verify,
					rawEvent: body as IDataObject,
				},
			}));
			emitted = true;
			return acknowledge(this, [emittedItems]);
		} finally {
			// Not emitted (rejected, not ended, or a failed download): a later delivery is handled anew.
			if (!emitted) release();
		}
	}
}
