/**
 * Fault injection against the simulator, through n8n-core's real execution context:
 * - every route the node calls survives transient faults (HTTP 5xx/429, connection reset, an answer
 *   slower than the request timeout, transient RunningHub codes): reads are retried and succeed;
 * - task-creating routes never submit twice: a create is retried only when the answer proves no task
 *   was created, otherwise the item fails saying the task may exist (sim.stats.tasksCreated proves it);
 * - waits are bounded, and stopping the execution ends retries at once;
 * - task outcomes: failed, cancelled remotely, result files that cannot be downloaded.
 */
import axios from 'axios';
import { createHash, randomBytes } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { RETRY_DEFAULTS, TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';
import type { HttpAnswer, NodeRunResult } from '../harness/n8n';
import { prepareBinary, withErrorOutput } from '../harness/n8n';
import { HOUR, createTaskDirectly, useSimulator } from '../harness/simulator';
import type { FaultSpec, RunningHubSimulator } from '../simulator';
import {
	SIM_KEY_NORMAL,
	SIM_KEY_SHARED,
	WEBAPP_ID_PORTRAIT,
	WORKFLOW_ID_TXT2IMG,
	makePng,
} from '../simulator';
import {
	SHORT_TIMEOUTS,
	aiAppRun,
	failureOf,
	locator,
	modelRun,
	requestsTo,
	run,
	useShortTimeouts,
	workflowRun,
} from './support';

const sim = useSimulator({ options: { queuedMs: 10, runningMs: 40 } });
let restoreTimeouts: (() => void) | undefined;

afterEach(() => {
	restoreTimeouts?.();
	restoreTimeouts = undefined;
});

type Fault = Omit<FaultSpec, 'route'>;

/** No answer until the node gives up (its request timeout is shortened for these tests). */
const HANG: Fault = { kind: 'hang' };

/** A hanging answer is only ended by the node's request timeout: shorten it for this test. */
function shortTimeoutsFor(fault: Fault): void {
	if (fault.kind === 'hang') restoreTimeouts = useShortTimeouts();
}

const HTTP_AND_NETWORK: Array<[string, Fault]> = [
	['HTTP 500', { kind: 'http', status: 500 }],
	['HTTP 502', { kind: 'http', status: 502 }],
	['HTTP 503', { kind: 'http', status: 503 }],
	['HTTP 429', { kind: 'http', status: 429 }],
	['connection reset', { kind: 'reset' }],
	['answer slower than the request timeout', HANG],
];

const TRANSIENT_CODES: Array<[string, Fault]> = ['415', '421', '1003', '1005', '1010', '1011'].map(
	(code) => [`code ${code}`, { kind: 'code', code }],
);

async function fileItem(
	data: Buffer,
	fileName: string,
	mimeType: string,
): Promise<INodeExecutionData> {
	return { json: {}, binary: { data: await prepareBinary(data, fileName, mimeType) } };
}

interface ReadRoute {
	name: string;
	/** Fault route (path or prefix). */
	route: string;
	/** Route name in sim.requests. */
	simRoute: string;
	files?: boolean;
	/** Polled routes see more requests than the retries alone. */
	polled?: boolean;
	drive: () => Promise<NodeRunResult>;
	check: (output: INodeExecutionData[]) => void;
}

const READ_ROUTES: ReadRoute[] = [
	{
		name: 'status poll (v2 query) while waiting for a workflow run',
		route: '/openapi/v2/query',
		simRoute: 'v2.query',
		polled: true,
		drive: async () =>
			await run(sim, workflowRun(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false })),
		check: (output) => expect(output[0].json.status).toBe('SUCCESS'),
	},
	{
		name: 'workflow JSON (Workflow › Get JSON)',
		route: '/api/openapi/getJsonApiFormat',
		simRoute: 'v1.getJsonApiFormat',
		drive: async () =>
			await run(sim, {
				resource: 'workflow',
				operation: 'getJson',
				workflowId: locator(WORKFLOW_ID_TXT2IMG),
			}),
		check: (output) =>
			expect((output[0].json.workflow as IDataObject)['3']).toMatchObject({
				class_type: 'KSampler',
			}),
	},
	{
		name: 'AI app template (read before an AI app run)',
		route: '/api/webapp/apiCallDemo',
		simRoute: 'v1.apiCallDemo',
		drive: async () =>
			await run(
				sim,
				aiAppRun(
					WEBAPP_ID_PORTRAIT,
					{
						inputMode: 'nodeInfoListJson',
						nodeInfoListJson: '[{"nodeId":"6","fieldName":"text","fieldValue":"fox"}]',
					},
					{ downloadOutputs: false },
				),
			),
		check: (output) => expect(output[0].json.status).toBe('SUCCESS'),
	},
	{
		name: 'account status (Account › Get)',
		route: '/uc/openapi/accountStatus',
		simRoute: 'v1.accountStatus',
		drive: async () => await run(sim, { resource: 'account', operation: 'get' }),
		check: (output) => expect(output[0].json.apiType).toBe('NORMAL'),
	},
	{
		name: 'media upload (File › Upload, v2)',
		route: '/openapi/v2/media/upload/binary',
		simRoute: 'v2.upload',
		drive: async () =>
			await run(
				sim,
				{ resource: 'file', operation: 'upload', binaryPropertyName: 'data', target: 'media' },
				{ items: [await fileItem(makePng('up'), 'up.png', 'image/png')] },
			),
		check: (output) =>
			expect(String(output[0].json.fileName)).toMatch(/^openapi\/[0-9a-f]{64}\.png$/),
	},
	{
		name: 'legacy upload (File › Upload, legacy)',
		route: '/task/openapi/upload',
		simRoute: 'v1.upload',
		drive: async () =>
			await run(
				sim,
				{ resource: 'file', operation: 'upload', binaryPropertyName: 'data', target: 'legacy' },
				{ items: [await fileItem(makePng('old'), 'old.png', 'image/png')] },
			),
		check: (output) => expect(String(output[0].json.fileName)).toMatch(/^api\/[0-9a-f]+\.png$/),
	},
	{
		name: 'LoRA upload URL (File › Upload LoRA)',
		route: '/api/openapi/getLoraUploadUrl',
		simRoute: 'v1.getLoraUploadUrl',
		drive: async () =>
			await run(
				sim,
				{ resource: 'file', operation: 'uploadLora', binaryPropertyName: 'data' },
				{
					items: [
						await fileItem(randomBytes(2048), 'style.safetensors', 'application/octet-stream'),
					],
				},
			),
		check: (output) => expect(output[0].json).toMatchObject({ loraName: 'style', uploaded: true }),
	},
	{
		name: 'price preview (Model › Price Preview)',
		route: '/openapi/v2/price-preview/rhart-image-v1/text-to-image',
		simRoute: 'v2.pricePreview',
		drive: async () =>
			await run(
				sim,
				{
					...modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
					operation: 'pricePreview',
				},
				{ apiKey: SIM_KEY_SHARED },
			),
		check: (output) => expect(output[0].json.estimatedPrice).toBeDefined(),
	},
	{
		name: 'cancel (Task › Cancel)',
		route: '/task/openapi/cancel',
		simRoute: 'v1.cancel',
		drive: async () => {
			sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
			const taskId = await createTaskDirectly(sim);
			return await run(sim, { resource: 'task', operation: 'cancel', taskId });
		},
		check: (output) => {
			expect(output[0].json.cancelled).toBe(true);
			expect(sim.stats.tasksCancelled).toBe(1);
		},
	},
	{
		name: 'result download (files)',
		route: '/files/*',
		simRoute: 'files.get',
		files: true,
		drive: async () => await run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)),
		check: (output) =>
			expect(Buffer.from(output[0].binary!.data.data, 'base64').subarray(1, 4).toString()).toBe(
				'PNG',
			),
	},
	{
		name: 'LoRA presigned PUT (storage)',
		route: '/lora-upload/*',
		simRoute: 'files.loraPut',
		files: true,
		drive: async () =>
			await run(
				sim,
				{ resource: 'file', operation: 'uploadLora', binaryPropertyName: 'data' },
				{
					items: [await fileItem(randomBytes(4096), 'put.safetensors', 'application/octet-stream')],
				},
			),
		check: (output) => {
			expect(output[0].json).toMatchObject({ loraName: 'put', uploaded: true });
			expect(sim.loraUploads.get(String(output[0].json.md5))).toMatchObject({ uploaded: true });
		},
	},
];

const READ_CASES = READ_ROUTES.flatMap((route) =>
	[...HTTP_AND_NETWORK, ...(route.files ? [] : TRANSIENT_CODES)].map(([label, fault]) => ({
		...route,
		label,
		fault,
	})),
);

describe('reads: transient faults are retried, then succeed', () => {
	it.each(READ_CASES)(
		'$name survives $label',
		async ({ route, simRoute, polled, fault, drive, check }) => {
			shortTimeoutsFor(fault);
			sim.injectFault({ route, times: 2, ...fault });
			const { output } = await drive();
			check(output[0]);
			expect(sim.stats.faultsInjected).toBe(2);
			if (polled) expect(requestsTo(sim, simRoute)).toBeGreaterThanOrEqual(3);
			else expect(requestsTo(sim, simRoute)).toBe(3);
			expect(sim.stats.tasksCreated).toBeLessThanOrEqual(1);
		},
	);
});

interface CreateRoute {
	name: string;
	route: string;
	simRoute: string;
	drive: () => Promise<NodeRunResult>;
}

const CREATE_ROUTES: CreateRoute[] = [
	{
		name: 'Workflow › Run',
		route: '/task/openapi/create',
		simRoute: 'v1.create',
		drive: async () =>
			await run(sim, workflowRun(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false })),
	},
	{
		name: 'AI App › Run',
		route: '/task/openapi/ai-app/run',
		simRoute: 'v1.aiAppRun',
		drive: async () =>
			await run(
				sim,
				aiAppRun(
					WEBAPP_ID_PORTRAIT,
					{
						inputMode: 'nodeInfoListJson',
						nodeInfoListJson: '[{"nodeId":"6","fieldName":"text","fieldValue":"fox"}]',
					},
					{ downloadOutputs: false },
				),
			),
	},
	{
		name: 'Model › Generate',
		route: '/openapi/v2/rhart-image-v1/text-to-image',
		simRoute: 'v2.model',
		drive: async () =>
			await run(
				sim,
				modelRun(
					'rhart-image-v1/text-to-image',
					{ prompt: 'fox', aspectRatio: '1:1' },
					{},
					{ downloadOutputs: false },
				),
				{ apiKey: SIM_KEY_SHARED },
			),
	},
];

/** Documented refusals before any task exists (concurrency and rate limits): safe to send again. */
const PROVEN_NOT_CREATED: Array<[string, Fault]> = ['415', '421', '1003'].map((code) => [
	`code ${code}`,
	{ kind: 'code', code },
]);

/**
 * Every other temporary failure leaves it open whether the task exists (a server may answer so
 * after creating it): never sent again.
 */
const MAYBE_CREATED: Array<[string, Fault]> = [
	['HTTP 500', { kind: 'http', status: 500 }],
	['HTTP 502', { kind: 'http', status: 502 }],
	['HTTP 503', { kind: 'http', status: 503 }],
	['HTTP 504', { kind: 'http', status: 504 }],
	['HTTP 429', { kind: 'http', status: 429 }],
	['connection reset', { kind: 'reset' }],
	...['500', '808', '1005', '1010', '1011'].map(
		(code) => [`code ${code}`, { kind: 'code', code }] as [string, Fault],
	),
];

describe('creates: never double-submit', () => {
	it.each(
		CREATE_ROUTES.flatMap((route) =>
			PROVEN_NOT_CREATED.map(([label, fault]) => ({ ...route, label, fault })),
		),
	)(
		'$name retries $label (no task was created) and creates exactly one task',
		async ({ route, simRoute, fault, drive }) => {
			sim.injectFault({ route, times: 2, ...fault });
			const { output } = await drive();
			expect(output[0][0].json.status).toBe('SUCCESS');
			expect(requestsTo(sim, simRoute)).toBe(3);
			expect(sim.stats.createRequests).toBe(3);
			expect(sim.stats.tasksCreated).toBe(1);
		},
	);

	it.each(
		CREATE_ROUTES.flatMap((route) =>
			[
				...MAYBE_CREATED.map(
					([label, fault]) => [label, { ...fault, afterTaskCreated: true }] as [string, Fault],
				),
				['answer slower than the request timeout', HANG] as [string, Fault],
			].map(([label, fault]) => ({ ...route, label, fault })),
		),
	)(
		'$name: $label after the task was created fails without sending again, saying the task may exist',
		async ({ route, simRoute, fault, drive }) => {
			shortTimeoutsFor(fault);
			sim.injectFault({ route, times: -1, ...fault });
			const { text, error } = await failureOf(drive());
			expect(text).toMatch(
				/may have created (the task|it) anyway.*not sent again.*check the task list/i,
			);
			// The package's own words lead, not the HTTP client's "retry the request immediately".
			expect(error.message).toMatch(
				/^The task may have been created; check the task list before running again/,
			);
			expect(text).not.toMatch(/retry the request immediately/i);
			expect(error.errorResponse?.taskMayExist).toBe(true);
			expect(requestsTo(sim, simRoute)).toBe(1);
			// The task exists on RunningHub (a hanging create is handled once the node gave up): once
			// the simulator is done with every request, there is one, never two.
			await sim.idle();
			expect(sim.stats.tasksCreated).toBe(1);
			expect(sim.stats.createRequests).toBe(1);
			expect(sim.stats.statusRequests).toBe(0);
		},
	);

	it.each(
		CREATE_ROUTES.flatMap((route) =>
			MAYBE_CREATED.map(([label, fault]) => ({ ...route, label, fault })),
		),
	)(
		'$name: $label before the task was created is not sent again either (the node cannot tell)',
		async ({ route, fault, drive }) => {
			sim.injectFault({ route, times: -1, ...fault });
			const { text } = await failureOf(drive());
			expect(text).toMatch(/may have created/);
			expect(sim.stats.createRequests).toBe(1);
			expect(sim.stats.tasksCreated).toBe(0);
		},
	);

	it('a connection refused (nothing reached RunningHub) is retried even for a create', async () => {
		// A port nobody listens on: the request never left, so sending it again is safe. Port 1 is
		// privileged and unused, so no other process can take it between the test's steps (a freed
		// ephemeral port could be reused at once).
		const url = 'http://127.0.0.1:1';
		const { text } = await failureOf(
			run(
				{ baseUrl: url } as RunningHubSimulator,
				workflowRun(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false }),
			),
		);
		expect(text).toMatch(/refused the connection/);
		expect(text).toMatch(/Gave up after \d+ attempts/);
		expect(text).not.toMatch(/may have created/);
	});
});

describe('bounded waits', () => {
	it('a status route down for good ends the item within the retry budget, naming the task and how to get its result', async () => {
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
		const { text } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		const taskId = [...sim.tasks.keys()][0];
		expect(text).toContain(`[task ${taskId}]`);
		expect(text).toMatch(/Gave up after 4 attempts/);
		expect(text).toMatch(/Task › Get Outputs/);
		expect(requestsTo(sim, 'v2.query')).toBe(4);
		expect(sim.stats.tasksCreated).toBe(1);
	});

	it('answers that never come are abandoned after the retries, each bounded by the request timeout', async () => {
		// The answers never come: the run ends at all only because each attempt is bounded.
		restoreTimeouts = useShortTimeouts();
		sim.injectFault({ route: '/uc/openapi/accountStatus', ...HANG, times: -1 });
		const { text } = await failureOf(run(sim, { resource: 'account', operation: 'get' }));
		expect(text).toContain(`RunningHub did not answer within ${SHORT_TIMEOUTS.requestMs / 1000} s`);
		expect(text).toMatch(/Gave up after 4 attempts/);
	});

	it('a queue that stays full (421) ends the item after the create budget, with no task and the reason', async () => {
		sim.injectFault({ route: '/task/openapi/create', kind: 'code', code: 421, times: -1 });
		const { text } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		expect(text).toMatch(/code 421 TASK_QUEUE_MAXED/);
		expect(text).toMatch(/Gave up after \d+ attempts/);
		expect(sim.stats.createRequests).toBeGreaterThan(3);
		expect(sim.stats.tasksCreated).toBe(0);
	});

	it('a download that keeps failing ends after the retry budget and names the output and task', async () => {
		sim.injectFault({ route: '/files/*', kind: 'http', status: 502, times: -1 });
		const { text } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		const taskId = [...sim.tasks.keys()][0];
		expect(text).toMatch(
			new RegExp(
				`Could not download output 0 \\(node 9, .*\\.png\\): HTTP 502 \\(after 4 attempts\\) \\[task ${taskId}\\]`,
			),
		);
		expect(requestsTo(sim, 'files.get')).toBe(4);
	});
});

/**
 * Each backoff lasts an hour and each task runs for an hour, so a run that ends at all within the
 * test was ended by the stop. The stop is sent at an exact point: once the node has received the
 * failing answer (harness hook on n8n's HTTP helpers) and gone on to its backoff, or once the
 * simulator holds a request in flight.
 */
describe('stopping the execution ends retries at once', () => {
	const endlessBackoff = () =>
		Object.assign(RETRY_DEFAULTS, { baseDelayMs: HOUR, maxDelayMs: HOUR, maxTotalMs: 10 * HOUR });

	/** The node has this answer from `path` (a prefix when it ends in '*'). */
	const answerFrom = (path: string) => (answer: HttpAnswer) =>
		path.endsWith('*') ? answer.path.startsWith(path.slice(0, -1)) : answer.path === path;

	async function stopAfter(
		parameters: IDataObject,
		when: { nodeHasAnswer: (answer: HttpAnswer) => boolean } | { simulator: () => boolean },
		options: { apiKey?: string; items?: INodeExecutionData[] } = {},
	) {
		const controller = new AbortController();
		const stop = () => controller.abort();
		const running = run(sim, parameters, {
			...options,
			abortSignal: controller.signal,
			onHttpAnswer: (answer) => {
				// The node acts on the answer in microtasks (no I/O) up to its backoff; setImmediate
				// runs after them, so the stop lands during the backoff.
				if ('nodeHasAnswer' in when && !controller.signal.aborted && when.nodeHasAnswer(answer))
					setImmediate(stop);
			},
		});
		if ('simulator' in when) {
			await Promise.race([
				sim.waitFor(when.simulator, 20_000, 'the state to stop in'),
				running.then(
					() => undefined,
					() => undefined,
				),
			]);
			stop();
		}
		return await failureOf(running);
	}

	it('during the backoff of a refused create: no task, no further create', async () => {
		endlessBackoff();
		sim.injectFault({ route: '/task/openapi/create', kind: 'code', code: 421, times: -1 });
		const { text } = await stopAfter(workflowRun(WORKFLOW_ID_TXT2IMG), {
			nodeHasAnswer: answerFrom('/task/openapi/create'),
		});
		expect(text).toMatch(
			/execution was stopped while calling RunningHub \(\/task\/openapi\/create\)/,
		);
		expect(sim.stats.createRequests).toBe(1);
		expect(sim.stats.tasksCreated).toBe(0);
	});

	it('during a create still in flight: says the task may exist', async () => {
		// The create hangs until the node lets go of it; the node's own timeout is an hour away.
		sim.injectFault({ route: '/task/openapi/create', kind: 'hang' });
		const saved = { ...TIMEOUT_DEFAULTS };
		restoreTimeouts = () => Object.assign(TIMEOUT_DEFAULTS, saved);
		Object.assign(TIMEOUT_DEFAULTS, { requestMs: HOUR });
		const { text } = await stopAfter(workflowRun(WORKFLOW_ID_TXT2IMG), {
			simulator: () => sim.requests.some((r) => r.route === 'v1.create' && !r.answer),
		});
		expect(text).toMatch(
			/execution was stopped while creating a task.*may have created it anyway/i,
		);
		// The simulator handles the create once the node has let go: the task exists, once.
		await sim.idle();
		expect(sim.stats.tasksCreated).toBe(1);
		expect(sim.stats.createRequests).toBe(1);
	});

	it('during the backoff of a failing status poll: the task is cancelled on RunningHub', async () => {
		endlessBackoff();
		sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503, times: -1 });
		const { text } = await stopAfter(workflowRun(WORKFLOW_ID_TXT2IMG), {
			nodeHasAnswer: answerFrom('/openapi/v2/query'),
		});
		expect(text).toMatch(
			/was still running when the execution was stopped\. It was cancelled on RunningHub/,
		);
		expect(requestsTo(sim, 'v2.query')).toBe(1);
		expect(sim.stats.tasksCancelled).toBe(1);
	});

	it('during the backoff of a failing download', async () => {
		endlessBackoff();
		sim.injectFault({ route: '/files/*', kind: 'http', status: 503, times: -1 });
		const { text } = await stopAfter(workflowRun(WORKFLOW_ID_TXT2IMG), {
			nodeHasAnswer: answerFrom('/files/*'),
		});
		expect(text).toMatch(
			/execution was stopped while downloading output 0 \[task \d{19}\].*Task › Get Outputs/,
		);
		expect(requestsTo(sim, 'files.get')).toBe(1);
	});

	it('during the backoff of a failing upload: the task is never created', async () => {
		endlessBackoff();
		sim.injectFault({
			route: '/openapi/v2/media/upload/binary',
			kind: 'http',
			status: 502,
			times: -1,
		});
		const items = [
			{ json: {}, binary: { photo: await prepareBinary(makePng('p'), 'p.png', 'image/png') } },
		];
		const parameters = workflowRun('1904136902449209347', {
			nodeInfoListJson: '[{"nodeId":"10","fieldName":"image","fieldValue":"binary:photo"}]',
		});
		const { text } = await stopAfter(
			parameters,
			{ nodeHasAnswer: answerFrom('/openapi/v2/media/upload/binary') },
			{ items },
		);
		expect(text).toMatch(
			/execution was stopped while calling RunningHub \(\/openapi\/v2\/media\/upload\/binary\)/,
		);
		expect(sim.stats.createRequests).toBe(0);
	});
});

describe('task outcomes', () => {
	it('a FAILED task fails the item with the failing node, exception and task ID', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			nodeId: '3',
			exceptionType: 'torch.OutOfMemoryError',
			exceptionMessage: 'CUDA out of memory',
		});
		const { error } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		const taskId = [...sim.tasks.keys()][0];
		// One plain sentence: where, which exception, its message; the message said once.
		expect(error.message).toMatch(
			new RegExp(
				`^Task failed in node #3 \\S+ with torch\\.OutOfMemoryError: CUDA out of memory \\[task ${taskId}\\]$`,
			),
		);
		expect(error.message.split('CUDA out of memory')).toHaveLength(2);
		// RunningHub's code and the traceback are details, not the headline.
		expect(error.message).not.toMatch(/805|APIKEY|code|Traceback/);
		expect(error.description).toMatch(
			/^RunningHub code 805 APIKEY_TASK_STATUS_ERROR: The task failed, .*not your key/,
		);
		expect(error.description).toMatch(/Traceback \(last lines\): .*execution\.py/);
		expect(error.description).toContain(`Task ID: ${taskId}`);
	});

	it('a failure without details says what RunningHub said, once, and keeps its code out of the headline', async () => {
		// The v2 answer without details (code 1015), and the v1 answer with them out of reach.
		sim.nextTaskOutcome({ result: 'fail', v2FailedReason: 'empty' });
		sim.injectFault({ route: '/task/openapi/outputs', kind: 'http', status: 503, times: -1 });
		const { error } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		const taskId = [...sim.tasks.keys()][0];
		expect(error.message).toBe(
			`Task failed: Generation failed, please try again. [task ${taskId}]`,
		);
		expect(error.description).toMatch(/^RunningHub code 1015 GENERATION_FAILED: /);
		expect(error.description).not.toContain('RunningHub said');
	});

	it('a FAILED task in a batch with Continue On Fail becomes an error item carrying its task ID', async () => {
		sim.nextTaskOutcome('fail');
		const { output } = await run(
			sim,
			workflowRun(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false }),
			{ continueOnFail: true, items: [{ json: {} }, { json: {} }] },
		);
		const [first, second] = output[0];
		const failed = first.json.error ? first : second;
		const succeeded = first.json.error ? second : first;
		// The error item carries the same one-sentence headline, the code and traceback beside it.
		expect(String(failed.json.error)).toMatch(
			/^Task failed in node #\d+ \S+ with RuntimeError: Simulated failure \[task \d{19}\]$/,
		);
		expect(String(failed.json.error)).not.toMatch(/APIKEY|code/);
		expect(String(failed.json.description)).toMatch(/RunningHub code 805 APIKEY_TASK_STATUS_ERROR/);
		expect(String(failed.json.description)).toMatch(/Traceback \(last lines\)/);
		expect(failed.json.taskId).toMatch(/^\d{19}$/);
		expect(sim.taskStatus(String(failed.json.taskId))).toBe('FAILED');
		expect(succeeded.json.status).toBe('SUCCESS');
	});

	it('with "Continue (using error output)" a FAILED task goes to the error output, its task ID under details', async () => {
		sim.nextTaskOutcome('fail');
		const result = await run(
			sim,
			workflowRun(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false }),
			{
				onError: 'continueErrorOutput',
				items: [{ json: {} }, { json: {} }],
			},
		);
		const [regular, errors] = withErrorOutput(result.options, result.output);
		expect(regular).toHaveLength(1);
		expect(regular[0].json.status).toBe('SUCCESS');
		expect(errors).toHaveLength(1);
		const { json } = errors[0];
		expect(Object.keys(json).sort()).toEqual(['details', 'error']);
		expect(String(json.error)).toMatch(/^Task failed in node #\d+ \S+ with RuntimeError: /);
		const taskId = String((json.details as IDataObject).taskId);
		expect(taskId).toMatch(/^\d{19}$/);
		expect(sim.taskStatus(taskId)).toBe('FAILED');
	});

	it('a task cancelled on RunningHub (by someone else) fails the item with a clear message', async () => {
		sim.setDurations({ queuedMs: HOUR, runningMs: HOUR });
		const running = run(sim, workflowRun(WORKFLOW_ID_TXT2IMG));
		// Once the node has polled, the task exists and the node is waiting for it.
		await sim.waitFor(() => sim.stats.statusRequests >= 1, 20_000, 'polling to start');
		const taskId = [...sim.tasks.keys()][0];
		const cancel = await axios.post(`${sim.baseUrl}/task/openapi/cancel`, {
			apiKey: SIM_KEY_NORMAL,
			taskId,
		});
		expect(cancel.data.code).toBe(0);
		const { text, error } = await failureOf(running);
		expect(error.message).toMatch(
			new RegExp(`^Task was cancelled on RunningHub before it finished.*\\[task ${taskId}\\]`),
		);
		expect(text).toMatch(/InterruptProcessingException/);
		expect(text).toMatch(/cancelled on the RunningHub site, by another tool or workflow/);
		expect(sim.stats.cancelRequests).toBe(1);
	});

	it('a result link that 404s fails the item naming the output and the task', async () => {
		sim.injectFault({ route: '/files/*', kind: 'http', status: 404 });
		const { error } = await failureOf(run(sim, workflowRun(WORKFLOW_ID_TXT2IMG)));
		const taskId = [...sim.tasks.keys()][0];
		expect(error.message).toMatch(
			new RegExp(
				`^Could not download output 0 \\(node 9, http://127\\.0\\.0\\.1:\\d+/files/.+\\.png\\): HTTP 404 \\[task ${taskId}\\]$`,
			),
		);
		expect(error.description).toMatch(/Allow Partial Results/);
		// 404 is final: not retried.
		expect(requestsTo(sim, 'files.get')).toBe(1);
	});

	it('with Allow Partial Results, a 404 result keeps the JSON outputs and lists downloadFailures', async () => {
		sim.injectFault({ route: '/files/*', kind: 'http', status: 404 });
		const { output } = await run(
			sim,
			workflowRun(WORKFLOW_ID_TXT2IMG, {}, { allowPartialResults: true }),
		);
		const item = output[0][0];
		expect(item.json.status).toBe('SUCCESS');
		const outputs = item.json.outputs as IDataObject[];
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toMatchObject({ nodeId: '9', fileType: 'png', downloadError: 'HTTP 404' });
		expect(item.json.downloadFailures).toEqual([
			{ index: 0, fileUrl: outputs[0].fileUrl, error: 'HTTP 404' },
		]);
		expect(item.binary).toBeUndefined();
	});

	it('with Allow Partial Results, only the failing one of several outputs is missing', async () => {
		// Two SaveImage outputs (batch_size 2): the first download fails for good, the second arrives.
		sim.injectFault({ route: '/files/*', kind: 'http', status: 403 });
		const { output } = await run(
			sim,
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				{ nodeInfoListJson: '[{"nodeId":"5","fieldName":"batch_size","fieldValue":2}]' },
				{ allowPartialResults: true },
			),
		);
		const item = output[0][0];
		expect((item.json.downloadFailures as IDataObject[]).map((failure) => failure.index)).toEqual([
			0,
		]);
		// One item for the one file that arrived, in the binary property file nodes read by default.
		expect(output[0]).toHaveLength(1);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		const outputs = item.json.outputs as IDataObject[];
		expect(outputs[0].downloadError).toBe('HTTP 403');
		expect(item.json.file).toMatchObject({ fileUrl: outputs[1].fileUrl, binaryProperty: 'data' });
		const hash = createHash('sha256')
			.update(Buffer.from(item.binary!.data.data, 'base64'))
			.digest('hex');
		expect(hash).toHaveLength(64);
	});
});
