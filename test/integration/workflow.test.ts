/**
 * Workflow › Run and Workflow › Get JSON over real HTTP against the simulator, with the node
 * running in n8n-core's execution context: inputs loaded from the fixture workflows' JSON through
 * the resource mapper, overrides as received by the simulator, binary uploads, waiting, downloads,
 * failures, timeouts, stops, queue-full bursts and batches.
 */
import type {
	IDataObject,
	INodeExecutionData,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { LABEL_MAX } from '../../nodes/RunningHub/methods/resourceMapping';
import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import {
	callNodeMethod,
	prepareBinary,
	resourceMapperValue,
	runNode,
	simulatorCredentials,
	type HttpAnswer,
} from '../harness/n8n';
import { HOUR, useSimulator } from '../harness/simulator';
import {
	SIM_KEY_NORMAL,
	SIM_KEY_SHARED,
	WORKFLOW_ID_IMG2IMG,
	WORKFLOW_ID_NEVER_RUN,
	WORKFLOW_ID_TXT2IMG,
	WORKFLOW_ID_VIDEO,
	makePng,
} from '../simulator';

const sim = useSimulator();

const credentials = (apiKey = SIM_KEY_NORMAL) => simulatorCredentials(sim.baseUrl, apiKey);
const FAST = { pollIntervalSeconds: 0.1, timeoutSeconds: 20 };

async function loadFields(
	workflowId: string | IDataObject,
	apiKey = SIM_KEY_NORMAL,
): Promise<ResourceMapperField[]> {
	const locator =
		typeof workflowId === 'string' ? { __rl: true, mode: 'id', value: workflowId } : workflowId;
	const result = await callNodeMethod<ResourceMapperFields>(
		'resourceMapping',
		'getWorkflowInputs',
		{
			parameters: { resource: 'workflow', operation: 'run', workflowId: locator as never },
			credentials: credentials(apiKey),
		},
	);
	return result.fields;
}

const mapperValue = (fields: ResourceMapperField[], values: IDataObject) =>
	resourceMapperValue(values, fields);

function runParameters(
	workflowId: string,
	extra: IDataObject = {},
	options: IDataObject = {},
): IDataObject {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: workflowId },
		waitMode: 'wait',
		...extra,
		options: { ...FAST, ...options },
	};
}

function noFailure(): Error {
	throw new Error('expected the run to fail');
}

function createBodies(): IDataObject[] {
	return sim.requests
		.filter((request) => request.route === 'v1.create')
		.map((request) => request.body as IDataObject);
}

async function runWorkflow(
	parameters: IDataObject,
	items?: INodeExecutionData[],
	extra: {
		continueOnFail?: boolean;
		abortSignal?: AbortSignal;
		apiKey?: string;
		onHttpAnswer?: (answer: HttpAnswer) => void;
	} = {},
) {
	return await runNode({
		parameters: parameters as never,
		credentials: credentials(extra.apiKey),
		items,
		continueOnFail: extra.continueOnFail,
		abortSignal: extra.abortSignal,
		onHttpAnswer: extra.onHttpAnswer,
	});
}

describe('Inputs to Change (resource mapper)', () => {
	it('lists one typed field per literal input of txt2img, labelled with node ID, title and current value', async () => {
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const byId = new Map(fields.map((field) => [field.id, field]));
		expect(byId.get('6##text')).toMatchObject({
			type: 'string',
			defaultValue: 'beautiful scenery nature glass bottle landscape, purple galaxy bottle',
			removed: true,
			required: false,
		});
		// the input first, then the node's title (no class type when it has one)
		expect(byId.get('6##text')!.displayName).toBe('text · Positive Prompt #6');
		expect(byId.get('3##seed')).toMatchObject({ type: 'number', defaultValue: 156680208700286 });
		expect(byId.get('3##steps')!.displayName).toBe('steps · KSampler #3');
		expect(byId.get('5##width')!.displayName).toBe('width · Empty Latent Image #5');
		expect(byId.get('3##cfg')).toMatchObject({ type: 'number', defaultValue: 8 });
		expect(byId.get('3##sampler_name')).toMatchObject({ type: 'string', defaultValue: 'euler' });
		// Links between nodes are wiring, not values.
		expect(byId.has('3##model')).toBe(false);
		expect(byId.has('8##samples')).toBe(false);
		expect(fields.map((field) => field.id)).toEqual(
			expect.arrayContaining([
				'4##ckpt_name',
				'5##width',
				'5##height',
				'5##batch_size',
				'7##text',
				'9##filename_prefix',
			]),
		);
		// Sorted by node ID numerically.
		expect(fields[0].id.startsWith('3##')).toBe(true);
	});

	it('labels stay short and unique, leading with the input (img2img, video)', async () => {
		const img2img = await loadFields(WORKFLOW_ID_IMG2IMG);
		expect(img2img.find((field) => field.id === '10##image')!.displayName).toBe(
			'image · Load Image #10',
		);
		const video = await loadFields(WORKFLOW_ID_VIDEO);
		expect(video.find((field) => field.id === '52##image')!.displayName).toBe(
			'image · Start Frame #52',
		);
		expect(video.some((field) => field.id === '51##image')).toBe(false);
		for (const fields of [img2img, video, await loadFields(WORKFLOW_ID_TXT2IMG)]) {
			const labels = fields.map((field) => field.displayName);
			expect(new Set(labels).size).toBe(labels.length);
			expect(labels.filter((label) => label.length > LABEL_MAX)).toEqual([]);
		}
	});

	it('shows in place of the list why a workflow has no fields (the reason a run gives)', async () => {
		const load = async (workflowId: string) =>
			await callNodeMethod<ResourceMapperFields>('resourceMapping', 'getWorkflowInputs', {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: workflowId } as never,
				},
				credentials: credentials(),
			});
		const unknown = await load('1999999999999999999');
		expect(unknown.fields).toEqual([]);
		expect(unknown.emptyFieldsNotice).toMatch(
			/^Workflow 1999999999999999999: The workflow does not exist\. Check the workflow ID/,
		);
		const typo = await load('12345');
		expect(typo.fields).toEqual([]);
		expect(typo.emptyFieldsNotice).toMatch(/19-digit/);
	});

	it('loads the fields from a workflow URL on the .cn site', async () => {
		const fields = await loadFields({
			__rl: true,
			mode: 'url',
			value: `https://www.runninghub.cn/workflow/${WORKFLOW_ID_TXT2IMG}`,
		});
		expect(fields.some((field) => field.id === '6##text')).toBe(true);
		const request = sim.requests.find((r) => r.path === '/api/openapi/getJsonApiFormat');
		expect(request?.body).toMatchObject({ workflowId: WORKFLOW_ID_TXT2IMG });
	});
});

describe('Workflow › Run', () => {
	it('sends only the changed inputs as nodeInfoList, waits, and returns the image as binary data', async () => {
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {
				inputs: mapperValue(fields, {
					'6##text': 'a red fox in the snow',
					'3##steps': 12,
					'3##cfg': 6.5,
				}),
			}),
		);
		const body = createBodies()[0];
		expect(body.workflowId).toBe(WORKFLOW_ID_TXT2IMG);
		expect(body.nodeInfoList).toEqual([
			{ nodeId: '6', fieldName: 'text', fieldValue: 'a red fox in the snow' },
			{ nodeId: '3', fieldName: 'steps', fieldValue: 12 },
			{ nodeId: '3', fieldName: 'cfg', fieldValue: 6.5 },
		]);
		const item = output[0][0];
		expect(item.json).toMatchObject({ status: 'SUCCESS', workflowId: WORKFLOW_ID_TXT2IMG });
		const taskId = String(item.json.taskId);
		const graph = sim.getTask(taskId)!.inputs as Record<string, { inputs: IDataObject }>;
		expect(graph['6'].inputs.text).toBe('a red fox in the snow');
		expect(graph['3'].inputs.steps).toBe(12);
		const outputs = item.json.outputs as IDataObject[];
		expect(outputs[0]).toMatchObject({ fileType: 'png', nodeId: '9' });
		expect(item.json.file).toMatchObject({ nodeId: '9', binaryProperty: 'data' });
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(Buffer.from(item.binary!.data.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
		expect(item.json.usage).toBeTruthy();
	});

	it('uploads a binary input and puts the uploaded file name into the LoadImage field (img2img)', async () => {
		const fields = await loadFields(WORKFLOW_ID_IMG2IMG);
		const png = makePng('input-photo', 32, 32);
		const items = [
			{ json: {}, binary: { photo: await prepareBinary(png, 'photo.png', 'image/png') } },
		];
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_IMG2IMG, {
				inputs: mapperValue(fields, { '10##image': 'binary:photo', '2##text': 'watercolor' }),
			}),
			items,
		);
		expect(sim.stats.uploads).toBe(1);
		const upload = sim.requests.find(
			(request) => request.path === '/openapi/v2/media/upload/binary',
		);
		expect(upload).toBeDefined();
		const image = (createBodies()[0].nodeInfoList as IDataObject[]).find(
			(entry) => entry.fieldName === 'image',
		);
		expect(String(image?.fieldValue)).toMatch(/^openapi\/[0-9a-f]+\.png$/);
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(output[0][0].binary?.data.mimeType).toBe('image/png');
	});

	it('names the missing binary property before creating anything', async () => {
		const fields = await loadFields(WORKFLOW_ID_IMG2IMG);
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_IMG2IMG, {
					inputs: mapperValue(fields, { '10##image': 'binary:nothing' }),
				}),
				[{ json: {} }],
			),
		).rejects.toThrow(/#10 › image.*"nothing".*does not exist/);
		expect(sim.stats.createRequests).toBe(0);
	});

	it('runs the video workflow and returns an mp4', async () => {
		const fields = await loadFields(WORKFLOW_ID_VIDEO);
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_VIDEO, {
				inputs: mapperValue(fields, { '6##text': 'a fox jumping' }),
			}),
		);
		const item = output[0][0];
		expect(item.json.status).toBe('SUCCESS');
		expect(item.binary?.data.mimeType).toBe('video/mp4');
		expect(item.binary?.data.fileName).toMatch(/\.mp4$/);
	});

	it('returns the task ID at once in "Return Task ID" mode, without polling', async () => {
		const { output } = await runWorkflow({
			...runParameters(WORKFLOW_ID_TXT2IMG),
			waitMode: 'submit',
		});
		expect(output[0]).toHaveLength(1);
		const json = output[0][0].json;
		expect(json.taskId).toMatch(/^\d{19}$/);
		expect(json).toMatchObject({ workflowId: WORKFLOW_ID_TXT2IMG });
		expect(['QUEUED', 'RUNNING']).toContain(json.status);
		expect(sim.stats.statusRequests).toBe(0);
		expect(output[0][0].binary).toBeUndefined();
	});

	it('returns links only when Download Outputs is off', async () => {
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false }),
		);
		expect(output[0][0].binary).toBeUndefined();
		expect(String((output[0][0].json.outputs as IDataObject[])[0].fileUrl)).toMatch(/^http/);
	});

	it('sends instance type, personal queue, metadata, webhook and retain seconds', async () => {
		await runWorkflow({
			...runParameters(
				WORKFLOW_ID_TXT2IMG,
				{},
				{
					instanceType: 'plus',
					usePersonalQueue: true,
					addMetadata: false,
					webhookUrl: 'https://example.com/hook',
					retainSeconds: 30,
				},
			),
			waitMode: 'submit',
		});
		expect(createBodies()[0]).toMatchObject({
			instanceType: 'plus',
			usePersonalQueue: true,
			addMetadata: false,
			webhookUrl: 'https://example.com/hook',
			retainSeconds: 30,
		});
	});

	it.each([
		[{ retainSeconds: 5 }, /Retain Seconds must be between 10 and 180/],
		[{ webhookUrl: 'ftp://example.com' }, /Webhook URL must be an http/],
	])('rejects option %j before any request', async (options, message) => {
		await expect(runWorkflow(runParameters(WORKFLOW_ID_TXT2IMG, {}, options))).rejects.toThrow(
			message,
		);
		expect(sim.stats.createRequests).toBe(0);
	});

	it('fails with the failing node, exception and task ID when the task fails', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			nodeId: '3',
			exceptionType: 'torch.OutOfMemoryError',
			exceptionMessage: 'CUDA out of memory. Tried to allocate 2.00 GiB',
		});
		const error = await runWorkflow(runParameters(WORKFLOW_ID_TXT2IMG)).then(
			noFailure,
			(e: Error) => e,
		);
		expect(error).toBeInstanceOf(Error);
		const text = `${error.message} ${(error as { description?: string }).description ?? ''}`;
		const taskId = [...sim.tasks.keys()][0];
		expect(text).toContain(taskId);
		expect(text).toMatch(/node #3/);
		expect(text).toMatch(/torch\.OutOfMemoryError/);
		expect(text).toMatch(/CUDA out of memory/);
	});

	it('fails fast on promptTips node_errors, naming node and problem, and cancels the task', async () => {
		// A rejected task fails as it leaves the queue: keep it queued, so the cancel finds it.
		sim.setDurations({ queuedMs: HOUR });
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const error = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {
				inputs: mapperValue(fields, { '3##sampler_name': 'not_a_sampler' }),
			}),
		).then(noFailure, (e: Error) => e);
		expect(error.message).toMatch(/node #3 \(KSampler\).*Value not in list.*not_a_sampler/);
		const taskId = /\[task (\d+)\]/.exec(error.message)?.[1];
		expect(taskId).toBeDefined();
		expect(sim.stats.cancelRequests).toBe(1);
		expect(sim.getTask(taskId!)?.cancelledAt).toBeDefined();
		expect(sim.stats.statusRequests).toBe(0);
	});

	it.each([
		[{ '99##text': 'x' }, /Node ID "99" does not exist in workflow .*field "text"/],
		[{ '6##color': 'x' }, /Field "color" does not exist on node #6/],
		[{ '3##model': 'x' }, /Field "model" of node #3 \(KSampler\) is connected to another node/],
	])('rejects override %j before any billable request', async (values, message) => {
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const schema = [
			...fields,
			{
				id: Object.keys(values)[0],
				displayName: 'stale',
				required: false,
				defaultMatch: false,
				display: true,
			},
		];
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_TXT2IMG, {
					inputs: mapperValue(schema as ResourceMapperField[], values),
				}),
			),
		).rejects.toThrow(message);
		expect(sim.stats.createRequests).toBe(0);
	});

	it('accepts a Node Info List (JSON) and validates it', async () => {
		const list = [
			{ nodeId: '6', fieldName: 'text', fieldValue: 'from json' },
			{ nodeId: 5, fieldName: 'width', fieldValue: 768 },
		];
		await runWorkflow({
			...runParameters(WORKFLOW_ID_TXT2IMG, {
				inputMode: 'nodeInfoListJson',
				nodeInfoListJson: JSON.stringify(list),
			}),
			waitMode: 'submit',
		});
		expect(createBodies()[0].nodeInfoList).toEqual([
			{ nodeId: '6', fieldName: 'text', fieldValue: 'from json' },
			{ nodeId: '5', fieldName: 'width', fieldValue: 768 },
		]);
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_TXT2IMG, {
					inputMode: 'nodeInfoListJson',
					nodeInfoListJson: '[{"nodeId": "6"',
				}),
			),
		).rejects.toThrow(/Node Info List \(JSON\) is not valid JSON/);
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_TXT2IMG, {
					inputMode: 'nodeInfoListJson',
					nodeInfoListJson: '{"nodeId": "6"}',
				}),
			),
		).rejects.toThrow(/must be a JSON array/);
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_TXT2IMG, {
					inputMode: 'nodeInfoListJson',
					nodeInfoListJson: '[{"nodeId": "6", "fieldValue": "x"}]',
				}),
			),
		).rejects.toThrow(/Entry 0 of Node Info List \(JSON\) \(node 6\) has no fieldName/);
		expect(sim.stats.createRequests).toBe(1);
	});

	it('sends a whole workflow JSON as the workflow string, still with the workflow ID', async () => {
		const fields = await runNode({
			parameters: {
				resource: 'workflow',
				operation: 'getJson',
				workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
			},
			credentials: credentials(),
		});
		const workflow = fields.output[0][0].json.workflow as Record<string, { inputs: IDataObject }>;
		workflow['6'].inputs.text = 'edited in JSON';
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {
				inputMode: 'workflowJson',
				workflowJson: JSON.stringify(workflow),
			}),
		);
		const body = createBodies()[0];
		expect(body.workflowId).toBe(WORKFLOW_ID_TXT2IMG);
		expect(typeof body.workflow).toBe('string');
		expect(body.nodeInfoList).toBeUndefined();
		const graph = sim.getTask(String(output[0][0].json.taskId))!.inputs as Record<
			string,
			{ inputs: IDataObject }
		>;
		expect(graph['6'].inputs.text).toBe('edited in JSON');
		await expect(
			runWorkflow(
				runParameters(WORKFLOW_ID_TXT2IMG, {
					inputMode: 'workflowJson',
					workflowJson: '{"nodes": []}',
				}),
			),
		).rejects.toThrow(/not an API-format ComfyUI workflow: node "nodes" has no class_type/);
	});

	it('explains a workflow that has never run on the site (810)', async () => {
		await expect(runWorkflow(runParameters(WORKFLOW_ID_NEVER_RUN))).rejects.toThrow(
			/never run successfully/,
		);
	});

	it.each([
		[
			{ __rl: true, mode: 'url', value: 'https://www.example.com/workflow/1851826914200891393' },
			/on www\.example\.com, not on RunningHub/,
		],
		[
			{ __rl: true, mode: 'url', value: 'https://www.runninghub.ai/ai-detail/1851826914200891393' },
			/not a workflow page/,
		],
		[{ __rl: true, mode: 'id', value: '12345' }, /must have 19 digits/],
	])('rejects workflow %j with a clear error', async (workflowId, message) => {
		await expect(
			runWorkflow({ ...runParameters(WORKFLOW_ID_TXT2IMG), workflowId }),
		).rejects.toThrow(message);
		expect(sim.requests).toHaveLength(0);
	});

	it('runs a workflow given by its .ai URL', async () => {
		const { output } = await runWorkflow({
			...runParameters(WORKFLOW_ID_TXT2IMG),
			workflowId: {
				__rl: true,
				mode: 'url',
				value: `https://www.runninghub.ai/workflow/${WORKFLOW_ID_TXT2IMG}?inviteCode=abc`,
			},
			waitMode: 'submit',
		});
		expect(output[0][0].json.workflowId).toBe(WORKFLOW_ID_TXT2IMG);
	});
});

describe('Waiting limits', () => {
	it('cancels the remote task when the timeout passes', async () => {
		sim.setDurations({ queuedMs: 100, runningMs: HOUR });
		const error = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {}, { timeoutSeconds: 1 }),
		).then(noFailure, (e: Error) => e);
		expect(error.message).toMatch(/did not finish within 1 s\. It was cancelled on RunningHub/);
		expect(sim.stats.cancelRequests).toBe(1);
		const task = [...sim.tasks.values()][0];
		expect(task.cancelledAt).toBeDefined();
	});

	it('stops and cancels the remote task when the execution is stopped', async () => {
		sim.setDurations({ queuedMs: 100, runningMs: HOUR });
		const controller = new AbortController();
		let polls = 0;
		const run = runWorkflow(runParameters(WORKFLOW_ID_TXT2IMG), undefined, {
			abortSignal: controller.signal,
			// Stop once the node has its second status answer and is waiting to poll again.
			onHttpAnswer: (answer) => {
				if (answer.path === '/openapi/v2/query' && ++polls === 2)
					setImmediate(() => controller.abort());
			},
		});
		const error = await run.then(noFailure, (e: Error) => e);
		expect(error.message).toMatch(
			/was still running when the execution was stopped\. It was cancelled on RunningHub/,
		);
		expect(sim.stats.cancelRequests).toBe(1);
		expect([...sim.tasks.values()][0].cancelledAt).toBeDefined();
	});
});

describe('Poll schedule', () => {
	it('checks 1, 2 and 3 s after the start before keeping to the Poll Interval', async () => {
		sim.setDurations({ queuedMs: 100, runningMs: HOUR });
		const controller = new AbortController();
		let polls = 0;
		// A 600 s interval would hold the first check for ten minutes without the early checks.
		const run = runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {}, { pollIntervalSeconds: 600, timeoutSeconds: 3600 }),
			undefined,
			{
				abortSignal: controller.signal,
				onHttpAnswer: (answer) => {
					if (answer.path === '/openapi/v2/query' && ++polls === 3)
						setImmediate(() => controller.abort());
				},
			},
		);
		const error = await run.then(noFailure, (e: Error) => e);
		expect(error.message).toMatch(/was still running when the execution was stopped/);
		const created = sim.requests.find((request) => request.route === 'v1.create')!;
		const checks = sim.requests.filter((request) => request.route === 'v2.query');
		expect(checks).toHaveLength(3);
		// Timers may fire a few milliseconds early; never a whole step.
		checks.forEach((check, index) =>
			expect(check.timestamp - created.timestamp).toBeGreaterThanOrEqual(1000 * (index + 1) - 20),
		);
	});
});

describe('Batches', () => {
	it('waits out 421 queue-full answers of a key limited to 2 tasks, and keeps input order', async () => {
		sim.setConcurrency(SIM_KEY_NORMAL, 2);
		// The first two tasks are held until a create has been refused with 421, then let go; a
		// refused create is sent again until the key has room (budgets are set again before each test).
		sim.setDurations({ pollsBeforeDone: 1_000_000 });
		Object.assign(RETRY_DEFAULTS, { maxAttempts: 100_000, maxTotalMs: HOUR });
		const refused = () =>
			sim.requests.some(
				(request) =>
					request.route === 'v1.create' &&
					(request.answer?.json as { code?: number } | undefined)?.code === 421,
			);
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const items = Array.from({ length: 6 }, (_, index) => ({
			json: { prompt: `burst ${index}` },
		}));
		const running = runWorkflow(
			runParameters(
				WORKFLOW_ID_TXT2IMG,
				{ inputs: mapperValue(fields, { '6##text': '={{ $json.prompt }}' }) },
				{ maxConcurrentTasks: 6, downloadOutputs: false },
			),
			items,
		);
		await sim.waitFor(refused, 20_000, 'a create refused with 421');
		sim.setDurations({ pollsBeforeDone: null, queuedMs: 20, runningMs: 150 });
		sim.endAtNextPoll();
		const { output } = await running;
		expect(output[0]).toHaveLength(6);
		expect(sim.stats.tasksCreated).toBe(6);
		// Some creates were refused with 421 and sent again.
		expect(sim.stats.createRequests).toBeGreaterThan(6);
		output[0].forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const graph = sim.getTask(String(item.json.taskId))!.inputs as Record<
				string,
				{ inputs: IDataObject }
			>;
			expect(graph['6'].inputs.text).toBe(`burst ${index}`);
		});
	});

	it('retries an injected 421 on create and then succeeds', async () => {
		sim.injectFault({ route: '/task/openapi/create', kind: 'code', code: 421, times: 3 });
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, {}, { downloadOutputs: false }),
		);
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(sim.stats.createRequests).toBe(4);
		expect(sim.stats.tasksCreated).toBe(1);
	});

	it('runs 20 items 5 at a time and returns them in input order, paired by prompt', async () => {
		// Tasks are held until polled often, so the batch must fill its 5 slots before any ends.
		sim.setDurations({ pollsBeforeDone: 1_000_000 });
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG, SIM_KEY_SHARED);
		const items = Array.from({ length: 20 }, (_, index) => ({
			json: { prompt: `item ${index}`, seed: 1000 + index },
		}));
		const alive = () => [...sim.tasks.values()].filter((task) => task.endedAt === undefined);
		const running = runWorkflow(
			runParameters(
				WORKFLOW_ID_TXT2IMG,
				{
					inputs: mapperValue(fields, {
						'6##text': '={{ $json.prompt }}',
						'3##seed': '={{ $json.seed }}',
					}),
				},
				{ maxConcurrentTasks: 5 },
			),
			items,
			{ apiKey: SIM_KEY_SHARED },
		);
		await sim.waitFor(() => alive().length === 5, 20_000, '5 tasks alive');
		// The node polls the held tasks: a sixth would already have been created if the limit leaked.
		await sim.waitFor(() => sim.stats.statusRequests >= 10, 20_000, 'the held tasks polled');
		expect(sim.stats.tasksCreated).toBe(5);
		sim.setDurations({ pollsBeforeDone: null, queuedMs: 10, runningMs: 100 });
		sim.endAtNextPoll();
		const { output } = await running;
		expect(output[0]).toHaveLength(20);
		output[0].forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('SUCCESS');
			expect(item.binary?.data.mimeType).toBe('image/png');
			const graph = sim.getTask(String(item.json.taskId))!.inputs as Record<
				string,
				{ inputs: IDataObject }
			>;
			expect(graph['6'].inputs.text).toBe(`item ${index}`);
			expect(graph['3'].inputs.seed).toBe(1000 + index);
		});
		// The workflow JSON is read once per execution, not once per item.
		expect(sim.requests.filter((r) => r.path === '/api/openapi/getJsonApiFormat')).toHaveLength(2);
		// Never more than 5 tasks alive at once.
		const tasks = [...sim.tasks.values()];
		const maxAlive = Math.max(
			...tasks.map(
				(task) =>
					tasks.filter(
						(other) =>
							other.createdAt <= task.createdAt && (other.endedAt ?? Infinity) > task.createdAt,
					).length,
			),
		);
		// The batch really runs 5 at a time (speed itself is measured by bench/batch.ts, not here).
		expect(maxAlive).toBe(5);
	});

	it('gives each file its own item, paired to the input that made it, in input order', async () => {
		// batch_size 2: each task saves two images.
		const batchOfTwo = {
			inputMode: 'nodeInfoListJson',
			nodeInfoListJson: '[{"nodeId":"5","fieldName":"batch_size","fieldValue":2}]',
		};
		const items = [{ json: { run: 'first' } }, { json: { run: 'second' } }];
		const { output } = await runWorkflow(runParameters(WORKFLOW_ID_TXT2IMG, batchOfTwo), items);
		expect(output[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(output[0].map((item) => [item.json.fileIndex, item.json.fileCount])).toEqual([
			[0, 2],
			[1, 2],
			[0, 2],
			[1, 2],
		]);
		const taskIds = output[0].map((item) => item.json.taskId);
		expect(taskIds[0]).toBe(taskIds[1]);
		expect(taskIds[2]).toBe(taskIds[3]);
		expect(taskIds[0]).not.toBe(taskIds[2]);
		for (const item of output[0]) {
			expect(Object.keys(item.binary ?? {})).toEqual(['data']);
			expect(item.binary!.data.mimeType).toBe('image/png');
			// every item lists all of its task's files, and names its own
			const outputs = item.json.outputs as IDataObject[];
			expect(outputs).toHaveLength(2);
			expect((item.json.file as IDataObject).fileUrl).toBe(
				outputs[item.json.fileIndex as number].fileUrl,
			);
		}
		expect(output[0][0].binary!.data.fileName).not.toBe(output[0][1].binary!.data.fileName);
	});

	it('with Output Items "One Item per Task", all files of a task stay on its one item', async () => {
		const batchOfTwo = {
			inputMode: 'nodeInfoListJson',
			nodeInfoListJson: '[{"nodeId":"5","fieldName":"batch_size","fieldValue":2}]',
		};
		const { output } = await runWorkflow(
			runParameters(WORKFLOW_ID_TXT2IMG, batchOfTwo, { outputItems: 'perTask' }),
			[{ json: {} }, { json: {} }],
		);
		expect(output[0]).toHaveLength(2);
		output[0].forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(Object.keys(item.binary ?? {}).sort()).toEqual(['data_0', 'data_1']);
			expect((item.json.outputs as IDataObject[]).map((o) => o.binaryProperty)).toEqual([
				'data_0',
				'data_1',
			]);
			expect(item.json.file).toBeUndefined();
		});
	});

	it('with Continue On Fail, a failing item does not lose the others', async () => {
		const fields = await loadFields(WORKFLOW_ID_TXT2IMG);
		const items = [{ json: { steps: 10 } }, { json: { steps: 'many' } }, { json: { steps: 30 } }];
		const schema = fields.map((field) =>
			field.id === '3##steps' ? { ...field, type: 'string' as const } : field,
		);
		const { output } = await runWorkflow(
			runParameters(
				WORKFLOW_ID_TXT2IMG,
				{ inputs: mapperValue(schema, { '3##steps': '={{ $json.steps }}' }) },
				{ maxConcurrentTasks: 3, downloadOutputs: false },
			),
			items,
			{ continueOnFail: true },
		);
		expect(output[0]).toHaveLength(3);
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(output[0][2].json.status).toBe('SUCCESS');
		expect(String(output[0][1].json.error)).toMatch(/node #3 \(KSampler\)/);
		expect(output[0][1].json.taskId).toMatch(/^\d{19}$/);
		expect(output[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});
});

describe('Workflow › Get JSON', () => {
	it('returns the API-format workflow as an object and a list of its nodes', async () => {
		const { output } = await runNode({
			parameters: {
				resource: 'workflow',
				operation: 'getJson',
				workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_IMG2IMG },
			},
			credentials: credentials(),
		});
		const json = output[0][0].json;
		expect(json.workflowId).toBe(WORKFLOW_ID_IMG2IMG);
		expect((json.workflow as IDataObject)['12']).toMatchObject({ class_type: 'KSampler' });
		const nodes = json.nodes as IDataObject[];
		expect(nodes.find((node) => node.nodeId === '10')).toEqual({
			nodeId: '10',
			classType: 'LoadImage',
			title: 'Load Image',
			inputs: { image: 'example.png', upload: 'image' },
			linkedInputs: [],
		});
		expect(nodes.find((node) => node.nodeId === '12')!.linkedInputs).toEqual([
			'model',
			'positive',
			'negative',
			'latent_image',
		]);
	});
});
