/**
 * Secret hygiene: the API key never appears in what n8n shows, stores or logs — thrown errors
 * (message, description, cause, context, errorResponse, JSON), Continue-On-Fail error items, output
 * items, log lines, trigger answers — across every error family; and file hosts (result downloads,
 * the LoRA presigned PUT) never receive a RunningHub credential.
 *
 * The Trigger's secret-token check (401 for a wrong or missing token) and its API verification
 * (forged events rejected, API outputs emitted) are covered in test/integration/trigger.test.ts;
 * here only its error answers are grepped for the key.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { LoggerProxy } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	ResourceMapperFields,
} from 'n8n-workflow';
import { randomBytes } from 'crypto';

import {
	callNodeMethod,
	callWebhook,
	prepareBinary,
	registerNodeType,
	runNode,
	simulatorCredentials,
} from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import type { FaultSpec } from '../simulator';
import {
	WEBAPP_ID_PORTRAIT,
	WORKFLOW_ID_IMG2IMG,
	WORKFLOW_ID_TXT2IMG,
	makePng,
} from '../simulator';
import {
	aiAppRun,
	dumpError,
	dumpItems,
	locator,
	modelRun,
	useShortTimeouts,
	workflowRun,
} from './support';

/** Distinctive, 32 characters, registered with the simulator as an enterprise-shared key. */
const KEY = 'LEAKcanaryQ7xW2pZr9Tf4Hd8Km3Ns6V';
/** Same, but a consumer key (the Standard Model API refuses it: error 1014). */
const NORMAL_KEY = 'LEAKcanaryNormalKey0000000000042';
const FRAGMENTS = (key: string) => [key, key.slice(0, 20), key.slice(12)];

const sim = useSimulator({
	options: { queuedMs: 10, runningMs: 40, webhookRetryDelaysMs: [] },
	retry: { maxAttempts: 2 },
});
const logLines: string[] = [];
const restoreLogs: Array<() => void> = [];

/** Every Logger class n8n-core and its network layer may write through (each package has its own copy). */
function loggerClasses(): Array<{ prototype: Record<string, unknown> }> {
	const core = path.dirname(require.resolve('n8n-core'));
	const network = path.dirname(require.resolve('@n8n/backend-network', { paths: [core] }));
	const classes = new Set<{ prototype: Record<string, unknown> }>();
	for (const from of [core, network, __dirname]) {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			classes.add(require(require.resolve('@n8n/backend-common', { paths: [from] })).Logger);
		} catch {
			// not installed from there
		}
	}
	return [...classes];
}

function captureLogs(): void {
	const record = (level: string) => (message: unknown, meta?: unknown) => {
		let metaText = '';
		try {
			metaText = JSON.stringify(meta) ?? '';
		} catch {
			metaText = String(meta);
		}
		logLines.push(`${level} ${String(message)} ${metaText}`);
	};
	for (const Logger of loggerClasses()) {
		for (const level of ['error', 'warn', 'info', 'debug']) {
			const original = Logger.prototype[level];
			Logger.prototype[level] = function (this: unknown, message: unknown, meta?: unknown) {
				record(level)(message, meta);
				return (original as (...args: unknown[]) => unknown)?.call(this, message, meta);
			};
			restoreLogs.push(() => (Logger.prototype[level] = original));
		}
	}
	LoggerProxy.init({
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
	} as never);
	for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
		const spy = jest
			.spyOn(console, level)
			.mockImplementation((...args: unknown[]) =>
				record(`console.${level}`)(args.map(String).join(' ')),
			);
		restoreLogs.push(() => spy.mockRestore());
	}
}

beforeAll(() => captureLogs());

afterAll(() => {
	for (const restore of restoreLogs.reverse()) restore();
});

beforeEach(() => {
	sim.addKey(KEY, {
		apiType: 'SHARED',
		concurrency: 50,
		remainCoins: '0',
		remainMoney: '10.00',
		currency: 'CNY',
		description: 'canary',
	});
	sim.addKey(NORMAL_KEY, {
		apiType: 'NORMAL',
		concurrency: 2,
		remainCoins: '100',
		remainMoney: null,
		currency: null,
		description: 'canary',
	});
});

function expectNoKey(text: string, what: string, key = KEY): void {
	for (const fragment of FRAGMENTS(key)) {
		if (text.includes(fragment))
			throw new Error(
				`The API key (or part of it) appears in ${what}:\n${text.slice(Math.max(0, text.indexOf(fragment) - 300), text.indexOf(fragment) + 100)}`,
			);
	}
}

interface Scenario {
	name: string;
	parameters: () => IDataObject;
	faults?: Array<Omit<FaultSpec, 'route'> & { route: string | RegExp }>;
	items?: () => Promise<INodeExecutionData[]>;
	key?: string;
	before?: () => void;
}

const photo = async () => [
	{ json: {}, binary: { data: await prepareBinary(makePng('secret'), 'secret.png', 'image/png') } },
];

const SCENARIOS: Scenario[] = [
	{
		name: 'rejected key (802) on a v1 read',
		parameters: () => ({ resource: 'account', operation: 'get' }),
		faults: [{ route: '/uc/openapi/accountStatus', kind: 'code', code: 802 }],
	},
	{
		name: 'RunningHub echoing the key in a v1 error message',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [
			{
				route: '/task/openapi/create',
				kind: 'code',
				code: 802,
				msg: `APIKEY_UNAUTHORIZED: ${KEY}`,
			},
		],
	},
	{
		name: 'RunningHub echoing the key in a v2 error message',
		parameters: () => modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
		faults: [
			{ route: /^\/openapi\/v2\/rhart/, kind: 'code', code: '1002', msg: `Invalid API Key ${KEY}` },
		],
	},
	{
		name: 'RunningHub echoing the key in a transient error, until retries run out',
		parameters: () => ({ resource: 'account', operation: 'get' }),
		faults: [
			{
				route: '/uc/openapi/accountStatus',
				kind: 'code',
				code: 1011,
				msg: `busy for ${KEY}`,
				times: -1,
			},
		],
	},
	{
		name: 'key refused by the Standard Model API (1014)',
		parameters: () => modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
		key: NORMAL_KEY,
	},
	{
		name: 'permanent code on create (803)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/task/openapi/create', kind: 'code', code: 803 }],
	},
	{
		name: 'queue full until the budget is spent (421)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/task/openapi/create', kind: 'code', code: 421, times: -1 }],
	},
	{
		name: 'HTTP 500 on a v1 create (body holds the key)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/task/openapi/create', kind: 'http', status: 500 }],
	},
	{
		name: 'connection reset on a v1 create (n8n-core wraps the axios error)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/task/openapi/create', kind: 'reset' }],
	},
	{
		name: 'timeout on a v1 create',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/task/openapi/create', kind: 'hang' }],
	},
	{
		name: 'connection reset on an AI app run',
		parameters: () =>
			aiAppRun(WEBAPP_ID_PORTRAIT, { inputMode: 'nodeInfoListJson', nodeInfoListJson: '[]' }),
		faults: [{ route: '/task/openapi/ai-app/run', kind: 'reset' }],
	},
	{
		name: 'connection reset on a v2 model create',
		parameters: () => modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
		faults: [{ route: /^\/openapi\/v2\/rhart/, kind: 'reset' }],
	},
	{
		name: 'resets on a v1 GET (key in the query string)',
		parameters: () =>
			aiAppRun(WEBAPP_ID_PORTRAIT, {
				inputMode: 'nodeInfoListJson',
				nodeInfoListJson: '[{"nodeId":"6","fieldName":"text","fieldValue":"x"}]',
			}),
		faults: [{ route: '/api/webapp/apiCallDemo', kind: 'reset', times: -1 }],
	},
	{
		name: 'HTML 502 page on a read',
		parameters: () => ({
			resource: 'workflow',
			operation: 'getJson',
			workflowId: locator(WORKFLOW_ID_TXT2IMG),
		}),
		faults: [{ route: '/api/openapi/getJsonApiFormat', kind: 'http', status: 502, times: -1 }],
	},
	{
		name: 'status polls failing for good',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/openapi/v2/query', kind: 'reset', times: -1 }],
	},
	{
		name: 'failed task',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		before: () =>
			sim.nextTaskOutcome({
				result: 'fail',
				exceptionType: 'RuntimeError',
				exceptionMessage: 'boom',
				nodeId: '3',
			}),
	},
	{
		name: 'inputs rejected by ComfyUI validation (task cancelled)',
		parameters: () =>
			workflowRun(WORKFLOW_ID_TXT2IMG, {
				nodeInfoListJson: '[{"nodeId":"3","fieldName":"sampler_name","fieldValue":"nope"}]',
			}),
	},
	{
		name: 'timeout while waiting (task cancelled)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, {}, { timeoutSeconds: 1 }),
		before: () => sim.setDurations({ queuedMs: 10, runningMs: 3_600_000 }),
	},
	{
		name: 'media upload rejected (key error 401)',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'media',
		}),
		items: photo,
		faults: [{ route: '/openapi/v2/media/upload/binary', kind: 'code', code: 401 }],
	},
	{
		name: 'legacy upload reset (the key is a form field)',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'legacy',
		}),
		items: photo,
		faults: [{ route: '/task/openapi/upload', kind: 'reset', times: -1 }],
	},
	{
		name: 'legacy upload HTTP 500',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'legacy',
		}),
		items: photo,
		faults: [{ route: '/task/openapi/upload', kind: 'http', status: 500, times: -1 }],
	},
	{
		name: 'upload of a workflow input failing',
		parameters: () =>
			workflowRun(WORKFLOW_ID_IMG2IMG, {
				nodeInfoListJson: '[{"nodeId":"10","fieldName":"image","fieldValue":"binary:data"}]',
			}),
		items: photo,
		faults: [{ route: '/openapi/v2/media/upload/binary', kind: 'reset', times: -1 }],
	},
	{
		name: 'result download 404',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/files/*', kind: 'http', status: 404 }],
	},
	{
		name: 'result download reset for good',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		faults: [{ route: '/files/*', kind: 'reset', times: -1 }],
	},
	{
		name: 'LoRA presigned PUT refused',
		parameters: () => ({ resource: 'file', operation: 'uploadLora', binaryPropertyName: 'data' }),
		items: async () => [
			{
				json: {},
				binary: {
					data: await prepareBinary(randomBytes(1024), 'l.safetensors', 'application/octet-stream'),
				},
			},
		],
		faults: [{ route: '/lora-upload/*', kind: 'http', status: 403 }],
	},
	{
		name: 'cancel of an unknown task (807)',
		parameters: () => ({ resource: 'task', operation: 'cancel', taskId: '1111111111111111111' }),
	},
	{
		name: 'webhook event that does not exist',
		parameters: () => ({
			resource: 'task',
			operation: 'getWebhookEvent',
			taskId: '1111111111111111111',
		}),
	},
];

describe('the API key never appears in errors, error items, outputs or logs', () => {
	it.each(SCENARIOS)('$name', async ({ parameters, faults, items, key, before }) => {
		const apiKey = key ?? KEY;
		for (const withContinueOnFail of [false, true]) {
			// A request the node gave up on may still be handled: let it end before forgetting state.
			await sim.idle();
			sim.reset();
			sim.addKey(KEY, {
				apiType: 'SHARED',
				concurrency: 50,
				remainCoins: '0',
				remainMoney: '10.00',
				currency: 'CNY',
				description: 'canary',
			});
			sim.addKey(NORMAL_KEY, {
				apiType: 'NORMAL',
				concurrency: 2,
				remainCoins: '100',
				remainMoney: null,
				currency: null,
				description: 'canary',
			});
			for (const fault of faults ?? []) sim.injectFault(fault as FaultSpec);
			before?.();
			logLines.length = 0;
			let thrown: unknown;
			let output: INodeExecutionData[] = [];
			// A hanging answer ends only with the node's request timeout: shortened for that case.
			const restoreTimeouts = faults?.some((fault) => fault.kind === 'hang')
				? useShortTimeouts()
				: undefined;
			try {
				const result = await runNode({
					parameters: parameters() as never,
					credentials: simulatorCredentials(sim.baseUrl, apiKey),
					items: items ? await items() : undefined,
					continueOnFail: withContinueOnFail,
				});
				output = result.output[0];
			} catch (error) {
				thrown = error;
			} finally {
				restoreTimeouts?.();
			}
			if (withContinueOnFail) {
				expect(thrown).toBeUndefined();
				expect(output[0].json.error).toBeDefined();
				expectNoKey(dumpItems(output), 'a Continue-On-Fail error item', apiKey);
			} else {
				expect(thrown).toBeDefined();
				expectNoKey(dumpError(thrown), 'the thrown error', apiKey);
			}
			expectNoKey(logLines.join('\n'), 'a log line', apiKey);
			// The key did reach RunningHub (so the grep above had something to find).
			expect(JSON.stringify(sim.requests)).toContain(apiKey);
		}
	});

	it('a key pasted with a trailing newline is sent trimmed and redacted trimmed', async () => {
		sim.injectFault({
			route: '/task/openapi/create',
			kind: 'code',
			code: 802,
			msg: `APIKEY_UNAUTHORIZED: ${KEY}`,
		});
		let thrown: unknown;
		try {
			await runNode({
				parameters: workflowRun(WORKFLOW_ID_TXT2IMG) as never,
				credentials: simulatorCredentials(sim.baseUrl, `${KEY}\n`),
			});
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeDefined();
		expectNoKey(dumpError(thrown), 'the thrown error');
		expect((sim.requests[0].body as IDataObject).apiKey).toBe(KEY);
	});

	it('successful outputs of every kind carry no key', async () => {
		const outputs: INodeExecutionData[] = [];
		const credentials = simulatorCredentials(sim.baseUrl, KEY);
		const webhookTask = await runNode({
			parameters: workflowRun(
				WORKFLOW_ID_TXT2IMG,
				{ waitMode: 'submit' },
				{ webhookUrl: 'http://127.0.0.1:9/hook' },
			) as never,
			credentials,
		});
		const taskId = String(webhookTask.output[0][0].json.taskId);
		await sim.waitFor(() => sim.taskStatus(taskId) === 'SUCCESS', 20_000, 'the task to end');
		await sim.webhooksIdle();
		for (const parameters of [
			workflowRun(WORKFLOW_ID_TXT2IMG),
			{ resource: 'account', operation: 'get' },
			{ resource: 'task', operation: 'getStatus', taskId },
			{ resource: 'task', operation: 'getOutputs', taskId },
			{ resource: 'task', operation: 'getWebhookEvent', taskId },
			{ resource: 'workflow', operation: 'getJson', workflowId: locator(WORKFLOW_ID_TXT2IMG) },
			modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
			{
				...modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
				operation: 'pricePreview',
			},
		]) {
			const { output } = await runNode({ parameters: parameters as never, credentials });
			outputs.push(...output[0]);
		}
		const upload = await runNode({
			parameters: {
				resource: 'file',
				operation: 'upload',
				binaryPropertyName: 'data',
				target: 'media',
			},
			credentials,
			items: await photo(),
		});
		outputs.push(...upload.output[0]);
		expect(outputs.length).toBeGreaterThanOrEqual(9);
		expectNoKey(dumpItems(outputs), 'an output item');
		expectNoKey(logLines.join('\n'), 'a log line');
	});

	it('loading options (resource mapper) with a failing API keeps the key out of the notice', async () => {
		sim.injectFault({ route: '/api/openapi/getJsonApiFormat', kind: 'reset', times: -1 });
		// The mapper shows the reason in place of the list instead of throwing.
		const mapped = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getWorkflowInputs',
			{
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: locator(WORKFLOW_ID_TXT2IMG) as never,
				},
				credentials: simulatorCredentials(sim.baseUrl, KEY),
			},
		);
		expect(mapped.fields).toEqual([]);
		expect(mapped.emptyFieldsNotice).toBeTruthy();
		expectNoKey(JSON.stringify(mapped), 'a load-options notice');
	});

	it('the trigger answers a failed verification without the key', async () => {
		const submitted = await runNode({
			parameters: workflowRun(WORKFLOW_ID_TXT2IMG, { waitMode: 'submit' }) as never,
			credentials: simulatorCredentials(sim.baseUrl, KEY),
		});
		const taskId = String(submitted.output[0][0].json.taskId);
		const event = {
			event: 'TASK_END',
			taskId,
			eventData: JSON.stringify({ code: 0, msg: 'success', data: [] }),
		};
		for (const fault of [
			{ kind: 'reset' as const, times: -1 },
			{ kind: 'http' as const, status: 500, times: -1 },
			{ kind: 'code' as const, code: '1002', times: 1 },
		]) {
			sim.clearFaults();
			sim.injectFault({ route: '/openapi/v2/query', ...fault });
			logLines.length = 0;
			const { result, response } = await callWebhook({
				nodeType: 'n8n-nodes-runninghub.runningHubTrigger',
				parameters: { token: 'a-long-random-secret-0123456789', verifyWithApi: true, options: {} },
				credentials: simulatorCredentials(sim.baseUrl, KEY),
				query: { token: 'a-long-random-secret-0123456789' },
				body: event,
				staticData: {},
			});
			expect(response.statusCode).toBeGreaterThanOrEqual(400);
			expect(result.workflowData).toBeUndefined();
			expectNoKey(JSON.stringify(response.body), 'the trigger answer');
			expectNoKey(logLines.join('\n'), 'a log line');
		}
	});
});

describe('the grep would catch a leak', () => {
	/** A node that makes the raw authenticated request the transport wraps, and reports n8n-core's own error. */
	const rawNode: INodeType = {
		description: {
			displayName: 'Raw',
			name: 'raw',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			properties: [],
			credentials: [{ name: 'runningHubApi', required: true }],
		} as never,
		async execute(this: IExecuteFunctions) {
			const base = String((await this.getCredentials('runningHubApi')).customBaseUrl);
			try {
				await this.helpers.httpRequestWithAuthentication.call(this, 'runningHubApi', {
					method: 'POST',
					url: `${base}/task/openapi/create`,
					body: { workflowId: WORKFLOW_ID_TXT2IMG },
					json: true,
				});
			} catch (error) {
				return [[{ json: { dump: dumpError(error) } }]];
			}
			return [[{ json: { dump: '' } }]];
		},
	};
	registerNodeType('test.rawRequest', rawNode);

	it("n8n-core's own error for a reset v1 call holds the key (so the transport must never pass it on)", async () => {
		sim.injectFault({ route: '/task/openapi/create', kind: 'reset' });
		const { output } = await runNode({
			nodeType: 'test.rawRequest',
			parameters: {},
			credentials: simulatorCredentials(sim.baseUrl, KEY),
		});
		expect(String(output[0][0].json.dump)).toContain(KEY);
	});
});

describe('file hosts never receive a RunningHub credential', () => {
	it('result downloads send no Authorization header and no key in query, headers or body', async () => {
		const credentials = simulatorCredentials(sim.baseUrl, KEY);
		await runNode({
			parameters: workflowRun(WORKFLOW_ID_TXT2IMG, {
				nodeInfoListJson: '[{"nodeId":"5","fieldName":"batch_size","fieldValue":2}]',
			}) as never,
			credentials,
		});
		await runNode({
			parameters: modelRun('rhart-image-v1/text-to-image', {
				prompt: 'x',
				aspectRatio: '1:1',
			}) as never,
			credentials,
		});
		// Retried downloads too.
		sim.injectFault({ route: '/files/*', kind: 'http', status: 503 });
		await runNode({ parameters: workflowRun(WORKFLOW_ID_TXT2IMG) as never, credentials });
		const downloads = sim.requests.filter((request) => request.route === 'files.get');
		expect(downloads.length).toBe(5);
		for (const download of downloads) {
			expect(download.headers.authorization).toBeUndefined();
			expectNoKey(
				JSON.stringify({
					headers: download.headers,
					query: download.query,
					path: download.path,
					body: download.body,
				}),
				'a download request',
			);
		}
	});

	it('the presigned LoRA PUT carries no credential, also when retried (credentialLeaks stays 0)', async () => {
		sim.injectFault({ route: '/lora-upload/*', kind: 'http', status: 500 });
		const items = [
			{
				json: {},
				binary: {
					data: await prepareBinary(
						randomBytes(8192),
						'clean.safetensors',
						'application/octet-stream',
					),
				},
			},
		];
		const { output } = await runNode({
			parameters: { resource: 'file', operation: 'uploadLora', binaryPropertyName: 'data' },
			credentials: simulatorCredentials(sim.baseUrl, KEY),
			items,
		});
		expect(output[0][0].json.uploaded).toBe(true);
		const puts = sim.requests.filter((request) => request.route === 'files.loraPut');
		expect(puts).toHaveLength(2);
		for (const put of puts) {
			expect(put.headers.authorization).toBeUndefined();
			expectNoKey(
				JSON.stringify({ headers: put.headers, query: put.query, path: put.path }),
				'a LoRA PUT',
			);
		}
		expect(sim.stats.credentialLeaks).toBe(0);
	});

	it('v2 calls carry the key only in the Bearer header, never in the body', async () => {
		await runNode({
			parameters: modelRun(
				'rhart-image-v1/text-to-image',
				{ prompt: 'x', aspectRatio: '1:1' },
				{},
				{ downloadOutputs: false },
			) as never,
			credentials: simulatorCredentials(sim.baseUrl, KEY),
		});
		const v2 = sim.requests.filter((request) => request.path.startsWith('/openapi/v2/'));
		expect(v2.length).toBeGreaterThan(1);
		for (const request of v2) {
			expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
			expectNoKey(
				JSON.stringify({ body: request.body, query: request.query, path: request.path }),
				'a v2 body',
			);
		}
	});
});

describe('an echoed key is redacted in any letter case and base64-encoded', () => {
	const echoes: Array<[string, string]> = [
		['lower-cased', KEY.toLowerCase()],
		['upper-cased', KEY.toUpperCase()],
		['base64', Buffer.from(KEY).toString('base64')],
		['base64 inside a longer encoded text', Buffer.from(`Bearer ${KEY}`).toString('base64')],
		['base64url', Buffer.from(`x${KEY}`).toString('base64url')],
	];
	it.each(echoes)('%s', async (_label, echoed) => {
		sim.injectFault({
			route: '/task/openapi/create',
			kind: 'code',
			code: 802,
			msg: `APIKEY_UNAUTHORIZED: ${echoed}`,
		});
		const failure = await runNode({
			parameters: workflowRun(WORKFLOW_ID_TXT2IMG) as never,
			credentials: simulatorCredentials(sim.baseUrl, KEY),
		}).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeDefined();
		const dump = dumpError(failure);
		expect(dump).toContain('APIKEY_UNAUTHORIZED: ');
		const encoded = [0, 1, 2].map((offset) =>
			Buffer.concat([Buffer.alloc(offset), Buffer.from(KEY)])
				.toString('base64')
				.slice(4, 36),
		);
		for (const form of [KEY.toLowerCase(), KEY.toUpperCase(), KEY.slice(0, 20), ...encoded])
			expect(dump).not.toContain(form);
		for (const form of encoded) expect(dump).not.toContain(form.replace(/\+/g, '-'));
	});
});

describe('API calls never follow a redirect (the key stays with RunningHub)', () => {
	/** Records what reaches it and answers like a successful RunningHub create. */
	async function foreignHost(): Promise<{
		url: string;
		hits: IDataObject[];
		close: () => Promise<void>;
	}> {
		const hits: IDataObject[] = [];
		const server = http.createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
			request.on('end', () => {
				hits.push({ path: request.url, headers: request.headers, body });
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(
					JSON.stringify({
						code: 0,
						msg: 'success',
						data: { taskId: '1999999999999999999', taskStatus: 'QUEUED' },
						taskId: '1999999999999999999',
						status: 'SUCCESS',
						errorCode: '',
						results: [{ url: 'http://127.0.0.1:1/x.png', outputType: 'png' }],
					}),
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			hits,
			close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
		};
	}

	/** An "API" that answers every call with a redirect to `target` (keeping the path). */
	async function redirectingApi(
		status: number,
		target: string,
	): Promise<{ url: string; hits: number; close: () => Promise<void> }> {
		const state = { hits: 0 };
		const server = http.createServer((request, response) => {
			state.hits++;
			request.resume();
			response.writeHead(status, { location: `${target}${request.url}` });
			response.end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			get hits() {
				return state.hits;
			},
			close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
		};
	}

	const calls: Array<[string, () => IDataObject]> = [
		['Workflow › Run (v1, key in the body)', () => workflowRun(WORKFLOW_ID_TXT2IMG)],
		[
			'Model › Generate (v2, Bearer header)',
			() => modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
		],
		['Account › Get', () => ({ resource: 'account', operation: 'get' })],
	];

	it.each(
		[301, 302, 303, 307, 308].flatMap((status) =>
			calls.map(([name, parameters]) => ({ status, name, parameters })),
		),
	)(
		'HTTP $status on $name: clear error, nothing sent to the other host',
		async ({ status, parameters }) => {
			const foreign = await foreignHost();
			const api = await redirectingApi(status, foreign.url);
			try {
				const failure = (await runNode({
					parameters: parameters() as never,
					credentials: simulatorCredentials(api.url, KEY),
				}).then(
					() => undefined,
					(error: unknown) => error,
				)) as (Error & { description?: string }) | undefined;
				expect(failure).toBeDefined();
				expect(failure!.message).toMatch(/redirect \(HTTP \d{3}\), which was not followed/);
				expect(failure!.description).toContain(foreign.url);
				expect(failure!.description).toMatch(/Base URL of the RunningHub credential/);
				expect(foreign.hits).toHaveLength(0);
				// Not retried either: a redirect is an answer, not a temporary failure.
				expect(api.hits).toBe(1);
				expectNoKey(dumpError(failure), 'the redirect error');
			} finally {
				await api.close();
				await foreign.close();
			}
		},
	);
});
