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
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import { outputOptionFields } from '../RunningHub/actions/common/output.description';
import type { TaskEndEvent } from '../RunningHub/helpers/callbackEvent';
import { callbackBody, isMalformed, parseTaskEndEvent } from '../RunningHub/helpers/callbackEvent';
import type { OutputOptions } from '../RunningHub/helpers/output';
import { DEFAULT_OUTPUT_OPTIONS, taskResultToItem } from '../RunningHub/helpers/output';
import type { TaskResult } from '../RunningHub/helpers/taskResult';
import { TERMINAL_STATUSES, resultFromV2Task } from '../RunningHub/helpers/taskResult';
import { CREDENTIAL_TYPE, apiRequestV2Task } from '../RunningHub/transport';

/** Query parameter that must carry the Secret Token. */
export const TOKEN_QUERY_PARAMETER = 'token';
/** How many delivered task IDs are remembered to drop repeated deliveries. */
export const DELIVERED_MEMORY = 500;
/** Answers of the task query that mean "this key has no such task". */
const UNKNOWN_TASK_CODES = ['1004', '807'];

interface DeliveredLog {
	delivered?: Array<[string, string]>;
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

function hasCredential(context: IWebhookFunctions): boolean {
	return Boolean(context.getNode().credentials?.[CREDENTIAL_TYPE]);
}

function readOutputOptions(context: IWebhookFunctions): OutputOptions {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		downloadOutputs: options.downloadOutputs === true,
		binaryPropertyPrefix:
			String(options.binaryPropertyPrefix ?? '').trim() ||
			DEFAULT_OUTPUT_OPTIONS.binaryPropertyPrefix,
		allowPartialResults: options.allowPartialResults === true,
	};
}

type Verification = { result: TaskResult } | { reject: number; message: string };

/** Asks RunningHub about the task, so that only its real status and files are emitted. */
async function verifyWithApi(
	context: IWebhookFunctions,
	event: TaskEndEvent,
): Promise<Verification> {
	try {
		const task = await apiRequestV2Task.call(context, {
			path: '/openapi/v2/query',
			body: { taskId: event.taskId },
			taskId: event.taskId,
			retry: { maxAttempts: 2 },
		});
		const result = resultFromV2Task(task);
		if (!TERMINAL_STATUSES.includes(result.status)) {
			return {
				reject: 409,
				message: `RunningHub reports task ${event.taskId} as ${result.status}, not ended; event not emitted.`,
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
			message: `The event could not be verified with the RunningHub API: ${(error as Error).message}`,
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
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'runninghub',
			},
		],
		properties: [
			{
				displayName:
					'RunningHub calls this URL when a task ends. Copy the Production URL above, add <code>?token=</code> followed by the Secret Token below (e.g. <code>https://n8n.example.com/webhook/…/runninghub?token=YOUR_TOKEN</code>), and paste it into the <b>Webhook URL</b> option of a RunningHub node (Wait Mode "Return Task ID"). Publish this workflow: test URLs stop listening after a few minutes.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					'RunningHub does not sign its callbacks, so the URL must carry this secret as ?token=…; calls without it are answered 401. Use a long random string.',
			},
			{
				displayName: 'Verify with API',
				name: 'verifyWithApi',
				type: 'boolean',
				default: true,
				description:
					'Whether to confirm each event with the RunningHub API before starting the workflow, and to emit the status and files the API reports rather than those in the event (so a forged call cannot inject links). Needs a credential; without one, events are emitted as received.',
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
									'Whether to download the generated files into binary properties (links expire after 24 hours). Large videos make the callback slow; RunningHub retries slow receivers.',
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
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const expected = String(this.getNodeParameter('token', '') ?? '');
		const given = (this.getQueryData() as IDataObject)[TOKEN_QUERY_PARAMETER];
		if (!expected) {
			return reply(this, 401, {
				error:
					'The RunningHub Trigger has no Secret Token set; set one and add ?token=<it> to the callback URL.',
			});
		}
		if (typeof given !== 'string' || !tokensMatch(expected, given)) {
			return reply(this, 401, {
				error: `Missing or wrong "${TOKEN_QUERY_PARAMETER}" query parameter.`,
			});
		}

		const body = callbackBody(this.getBodyData(), this.getRequestObject().rawBody);
		const event = parseTaskEndEvent(body);
		if (isMalformed(event)) return reply(this, 400, { error: event.malformed });

		// RunningHub re-sends an event when the answer is slow or lost; each task ends only once.
		const log = this.getWorkflowStaticData('node') as DeliveredLog;
		const delivered = Array.isArray(log.delivered) ? log.delivered : [];
		if (delivered.some(([taskId]) => taskId === event.taskId)) {
			return { webhookResponse: { received: true, duplicate: true, taskId: event.taskId } };
		}

		const verify = this.getNodeParameter('verifyWithApi', true) === true && hasCredential(this);
		let result = event.result;
		if (verify) {
			const verification = await verifyWithApi(this, event);
			if ('reject' in verification)
				return reply(this, verification.reject, { error: verification.message });
			result = verification.result;
		} else if (!event.terminal) {
			return {
				webhookResponse: {
					received: true,
					ignored: `Task ${event.taskId} has not ended (${result.status}).`,
				},
			};
		}

		// Recorded only once the item is built: a failed download answers 500, and RunningHub's retry
		// must then not be dropped as a duplicate.
		const item: INodeExecutionData = await taskResultToItem(this, result, readOutputOptions(this));
		log.delivered = [...delivered, [event.taskId, result.status] as [string, string]].slice(
			-DELIVERED_MEMORY,
		);
		item.json = {
			event: event.event,
			...item.json,
			verifiedWithApi: verify,
			rawEvent: body as IDataObject,
		};
		return { workflowData: [[item]] };
	}
}
