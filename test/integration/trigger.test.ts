/**
 * RunningHub Trigger over real HTTP: a task is created on the simulator with a Webhook URL that
 * points at a local receiver (standing in for the trigger's Production URL); the simulator's real
 * TASK_END delivery is then handed to the trigger's webhook() through n8n-core's WebhookContext.
 * Verification queries the simulator's v2 API with the credential.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { RunningHubTrigger } from '../../nodes/RunningHubTrigger/RunningHubTrigger.node';

import type { WebhookCallOptions } from '../harness/n8n';
import { callWebhook, evaluateForNode, runNode, simulatorCredentials } from '../harness/n8n';
import type { ReceivedCall, WebhookReceiver } from '../harness/receiver';
import { startReceiver } from '../harness/receiver';
import { useSimulator } from '../harness/simulator';
import { WORKFLOW_ID_TXT2IMG } from '../simulator';
import { SIM_KEY_NORMAL } from '../simulator/keys';

const TOKEN = 'a-long-random-secret-0123456789';
const TRIGGER = 'n8n-nodes-runninghub.runningHubTrigger';

const sim = useSimulator({ options: { webhookRetryDelaysMs: [] } });
let receiver: WebhookReceiver;
let receiverUrl: string;
let captured: ReceivedCall[];

beforeAll(async () => {
	receiver = await startReceiver('{}');
	captured = receiver.received;
	// The Production URL as the trigger shows it: the Secret Token is its last part.
	receiverUrl = `${receiver.origin}/webhook/3f1c0c1e/runninghub/${TOKEN}`;
});

afterAll(async () => {
	await receiver.close();
});

beforeEach(() => {
	captured.length = 0;
});

/** Runs a workflow task whose TASK_END goes to the trigger URL; returns the real delivery. */
async function deliveredEvent(): Promise<ReceivedCall & { taskId: string }> {
	const run = await runNode({
		parameters: {
			resource: 'workflow',
			operation: 'run',
			workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
			waitMode: 'submit',
			options: { webhookUrl: receiverUrl },
		} as never,
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
	});
	const taskId = String(run.output[0][0].json.taskId);
	await sim.waitFor(
		() => captured.some((c) => c.body.taskId === taskId),
		20_000,
		`TASK_END of ${taskId}`,
	);
	return { ...captured.find((c) => c.body.taskId === taskId)!, taskId };
}

async function trigger(call: Partial<WebhookCallOptions>, withCredential = true) {
	return await callWebhook({
		nodeType: TRIGGER,
		parameters: { token: TOKEN, verifyWithApi: true, options: {}, ...(call.parameters ?? {}) },
		credentials: withCredential ? simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL) : undefined,
		requestPath: `/webhook/3f1c0c1e/runninghub/${TOKEN}`,
		staticData: {},
		...call,
	} as WebhookCallOptions);
}

function queryCalls(): number {
	return sim.requests.filter((request) => request.route === 'v2.query').length;
}

describe('RunningHub Trigger', () => {
	it('emits one item for a real TASK_END with the right token, confirmed by the API', async () => {
		const event = await deliveredEvent();
		expect(event.path).toBe(`/webhook/3f1c0c1e/runninghub/${TOKEN}`);
		const { result, response } = await trigger({
			body: event.body,
			requestPath: event.path,
			parameters: { token: TOKEN, verifyWithApi: true, options: { downloadOutputs: true } },
		});
		// An empty 200, sent by the trigger itself before the workflow starts.
		expect(response).toMatchObject({ ended: true, statusCode: 200, body: undefined });
		expect(result.noWebhookResponse).toBe(true);
		const items = result.workflowData![0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'TASK_END',
			taskId: event.taskId,
			status: 'SUCCESS',
			failure: null,
			verifiedWithApi: true,
		});
		expect(items[0].json.rawEvent).toEqual(event.body);
		const outputs = items[0].json.outputs as IDataObject[];
		expect(outputs.length).toBeGreaterThan(0);
		expect(String(outputs[0].fileUrl)).toContain(sim.publicBaseUrl);
		expect(items[0].binary?.data?.mimeType).toBe('image/png');
		expect(queryCalls()).toBe(1);
	});

	it('answers 401 and emits nothing for a wrong or missing token', async () => {
		const event = await deliveredEvent();
		const base = '/webhook/3f1c0c1e/runninghub';
		const calls: Array<Partial<WebhookCallOptions>> = [
			{ requestPath: `${base}/wrong-token` },
			{ requestPath: `${base}/${TOKEN}x` },
			{ requestPath: base },
			{ requestPath: base, query: { token: 'wrong-token' } },
			// a right token elsewhere in the path is not the token
			{ requestPath: `/webhook/${TOKEN}/runninghub/x` },
		];
		for (const call of calls) {
			const { result, response } = await trigger({ body: event.body, ...call });
			expect(response.statusCode).toBe(401);
			expect(String((response.body as IDataObject).error)).toMatch(
				/call the Production URL exactly as the RunningHub Trigger shows it/,
			);
			expect(result.workflowData).toBeUndefined();
		}
		expect(queryCalls()).toBe(0);
	});

	it('still accepts the earlier URL form, …/runninghub?token=<token>', async () => {
		const event = await deliveredEvent();
		const { result, response } = await trigger({
			body: event.body,
			requestPath: '/webhook/3f1c0c1e/runninghub',
			query: { token: TOKEN },
		});
		expect(response.statusCode).toBe(200);
		expect(result.workflowData![0][0].json.taskId).toBe(event.taskId);
	});

	it('shows the URL to paste: the Secret Token ends the Production URL, the earlier form is hidden', () => {
		const [shown, earlier] = new RunningHubTrigger().description.webhooks!;
		const path = (token: string) =>
			evaluateForNode({ nodeType: TRIGGER, parameters: { token } } as never, shown.path);
		expect(path(TOKEN)).toBe(`runninghub/${TOKEN}`);
		expect(path('')).toBe('runninghub/no-secret-token-set');
		expect(shown.ndvHideUrl).toBeUndefined();
		expect(earlier).toMatchObject({ path: 'runninghub', ndvHideUrl: true, httpMethod: 'POST' });
	});

	it('refuses to listen with a token that cannot stand in a URL, naming the field and the fix', async () => {
		const hooks = new RunningHubTrigger().webhookMethods.default;
		const activation = (token: string) =>
			hooks.create.call({
				getNodeParameter: (name: string) => (name === 'token' ? token : true),
				getNode: () => ({
					name: 'RunningHub Trigger',
					credentials: { runningHubApi: { id: '1', name: 'RunningHub' } },
				}),
			} as never);
		await expect(activation('')).rejects.toThrow(/The Secret Token is empty/);
		for (const token of ['with space', 'a?b', 'a#b', 'a%20b', 'a/b', ':token', 'ünïcode'])
			await expect(activation(token)).rejects.toThrow(
				/Secret Token is part of the trigger's URL, so it may contain only letters, digits and - _ \. ~/,
			);
		await expect(activation('Abc-123_x.y~z')).resolves.toBe(true);
	});

	it('rejects a forged event for a task the API does not know', async () => {
		const forged = {
			event: 'TASK_END',
			taskId: '1904163390028185602',
			eventData: JSON.stringify({
				code: 0,
				msg: 'success',
				data: [{ fileUrl: 'https://evil.example/x.png', fileType: 'png', nodeId: '9' }],
			}),
		};
		const { result, response } = await trigger({ body: forged });
		expect(response.statusCode).toBe(403);
		expect(String((response.body as IDataObject).error)).toMatch(
			/does not know task 1904163390028185602/,
		);
		expect(result.workflowData).toBeUndefined();
	});

	it('emits the API outputs, not the URLs of a forged event for a real task', async () => {
		const event = await deliveredEvent();
		const forged = {
			...event.body,
			eventData: JSON.stringify({
				code: 0,
				msg: 'success',
				data: [{ fileUrl: 'https://evil.example/x.png', fileType: 'png', nodeId: '9' }],
			}),
		};
		const { result } = await trigger({ body: forged });
		const json = result.workflowData![0][0].json;
		expect(JSON.stringify(json.outputs)).not.toContain('evil.example');
		expect(String((json.outputs as IDataObject[])[0].fileUrl)).toContain(sim.publicBaseUrl);
	});

	it('emits a repeated delivery of the same event only once', async () => {
		const event = await deliveredEvent();
		const staticData: IDataObject = {};
		const first = await trigger({ body: event.body, staticData });
		expect(first.result.workflowData).toHaveLength(1);
		const second = await trigger({ body: event.body, staticData });
		expect(second.result.workflowData).toBeUndefined();
		expect(second.response).toMatchObject({ ended: true, statusCode: 200, body: undefined });
		expect(queryCalls()).toBe(1);
	});

	it('answers 400 with a clear message for malformed bodies', async () => {
		const cases: Array<[unknown, RegExp]> = [
			['this is not json', /not JSON/],
			[{ event: 'TASK_END', taskId: '123', eventData: '{"code":0,' }, /eventData/],
			[{ event: 'TASK_END', eventData: '{"code":0,"msg":"success","data":[]}' }, /taskId/],
			[{ hello: 'world' }, /eventData/],
		];
		for (const [body, message] of cases) {
			const { result, response } = await trigger({ body });
			expect(response.statusCode).toBe(400);
			expect(String((response.body as IDataObject).error)).toMatch(message);
			expect(result.workflowData).toBeUndefined();
		}
		expect(queryCalls()).toBe(0);
	});

	it('reports a failed task with its failure details', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			exceptionType: 'TypeError',
			exceptionMessage: 'missing vae',
			nodeId: '3',
		});
		const event = await deliveredEvent();
		const { result } = await trigger({ body: event.body });
		expect(result.workflowData![0][0].json).toMatchObject({
			taskId: event.taskId,
			status: 'FAILED',
			outputs: [],
			failure: { exceptionType: 'TypeError', exceptionMessage: 'missing vae', nodeId: '3' },
		});
	});

	it('with Verify with API off and no credential, emits the event as received', async () => {
		const event = await deliveredEvent();
		const { result } = await trigger(
			{ body: event.body, parameters: { token: TOKEN, verifyWithApi: false, options: {} } },
			false,
		);
		const json = result.workflowData![0][0].json;
		expect(json).toMatchObject({ taskId: event.taskId, status: 'SUCCESS', verifiedWithApi: false });
		expect(queryCalls()).toBe(0);
	});

	it('accepts the v2 callback shapes (eventData as a task object, or a bare task object)', async () => {
		const event = await deliveredEvent();
		const v2 = {
			taskId: event.taskId,
			status: 'SUCCESS',
			errorCode: '',
			errorMessage: '',
			results: [{ url: 'https://x.example/a.png', outputType: 'png' }],
		};
		// Three different tasks (one task's event is emitted once).
		const shapes = [
			(taskId: string) => ({
				event: 'TASK_END',
				taskId,
				eventData: JSON.stringify({ ...v2, taskId }),
			}),
			(taskId: string) => ({ event: 'TASK_END', taskId, eventData: { ...v2, taskId } }),
			(taskId: string) => ({ ...v2, taskId }),
		];
		for (const [index, shape] of shapes.entries()) {
			const taskId = `${event.taskId.slice(0, -1)}${index}`;
			const { result } = await trigger(
				{ body: shape(taskId), parameters: { token: TOKEN, verifyWithApi: false, options: {} } },
				false,
			);
			expect(result.workflowData![0][0].json).toMatchObject({
				taskId,
				status: 'SUCCESS',
				outputs: [{ fileUrl: 'https://x.example/a.png', fileType: 'png' }],
			});
		}
	});
});

/** A throwaway local server; `answer` writes the reply. Counts what it receives. */
async function hostileServer(
	answer: (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void,
): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
	const hits: string[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		request.on('end', () => {
			hits.push(`${request.method} ${request.url}`);
			answer(request, response, body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const roundTrip = (value: unknown): IDataObject => JSON.parse(JSON.stringify(value)) as IDataObject;

function deliveredIds(staticData: IDataObject): string[] {
	const node = Object.values(staticData)[0] as { delivered?: Array<[string, string]> };
	return (node?.delivered ?? []).map(([taskId]) => taskId);
}

describe('RunningHub Trigger: exactly once', () => {
	it('two simultaneous deliveries of one TASK_END start one execution', async () => {
		const event = await deliveredEvent();
		// n8n hands each request its own copy of the static data, read before either ran.
		const [a, b] = await Promise.all([
			trigger({ body: event.body, staticData: {} }),
			trigger({ body: event.body, staticData: {} }),
		]);
		const emitted = [a, b].filter(({ result }) => result.workflowData !== undefined);
		expect(emitted).toHaveLength(1);
		for (const { response } of [a, b]) expect(response.statusCode).toBe(200);
		expect(queryCalls()).toBe(1);
	});

	it('remembers every recent task ID in static data, not only the first, and drops their repeats', async () => {
		let stored: IDataObject = {};
		const events = [await deliveredEvent(), await deliveredEvent(), await deliveredEvent()];
		for (const event of events) {
			// Saved and loaded like n8n's database does between requests.
			const { result, staticData } = await trigger({
				body: event.body,
				staticData: roundTrip(stored),
			});
			expect(result.workflowData).toHaveLength(1);
			stored = roundTrip(staticData);
		}
		expect(deliveredIds(stored)).toEqual(events.map((event) => event.taskId));
		const queries = queryCalls();
		for (const event of events) {
			// Another process (nothing claimed in memory there): the static data alone drops it.
			const { result, response } = await trigger({
				body: event.body,
				staticData: roundTrip(stored),
				workflowId: 'wf-test-other-process',
			});
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(200);
		}
		expect(queryCalls()).toBe(queries);
	});

	it('a delivery whose handling fails is released, so RunningHub’s re-delivery is emitted', async () => {
		const event = await deliveredEvent();
		const staticData: IDataObject = {};
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 500, times: -1 });
		const failed = await trigger({ body: event.body, staticData });
		expect(failed.response.statusCode).toBe(502);
		expect(failed.result.workflowData).toBeUndefined();
		expect(deliveredIds(roundTrip(failed.staticData))).toEqual([]);
		sim.clearFaults();
		const retried = await trigger({ body: event.body, staticData });
		expect(retried.result.workflowData).toHaveLength(1);
		expect(deliveredIds(roundTrip(retried.staticData))).toEqual([event.taskId]);
	});

	it('rejects a callback for a task the API answers as FAILED with errorCode 1004 or 807', async () => {
		for (const errorCode of ['1004', '807']) {
			const taskId = `19041633900281856${errorCode === '807' ? '07' : '04'}`;
			const api = await hostileServer((_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(
					JSON.stringify({
						taskId,
						status: 'FAILED',
						errorCode,
						errorMessage: 'task not found',
						results: null,
						clientId: '',
						promptTips: '',
					}),
				);
			});
			try {
				const { result, response } = await trigger({
					body: {
						event: 'TASK_END',
						taskId,
						eventData: JSON.stringify({ code: 805, msg: 'failed', data: {} }),
					},
					credentials: simulatorCredentials(api.url, SIM_KEY_NORMAL),
				});
				expect(api.hits).toEqual(['POST /openapi/v2/query']);
				expect(response.statusCode).toBe(403);
				expect(String((response.body as IDataObject).error)).toMatch(/does not know task/);
				expect(result.workflowData).toBeUndefined();
			} finally {
				await api.close();
			}
		}
	});

	it('Verify with API on without a credential: refuses to listen, and emits nothing', async () => {
		const event = await deliveredEvent();
		const { result, response } = await trigger({ body: event.body }, false);
		expect(response.statusCode).toBe(500);
		expect(String((response.body as IDataObject).error)).toMatch(
			/Verify with API is on, but .* no RunningHub credential/,
		);
		expect(result.workflowData).toBeUndefined();
		const hooks = new RunningHubTrigger().webhookMethods.default;
		const activation = (credentials?: IDataObject) =>
			hooks.create.call({
				getNodeParameter: (name: string) => (name === 'token' ? TOKEN : true),
				getNode: () => ({ name: 'RunningHub Trigger', credentials }),
			} as never);
		await expect(activation()).rejects.toThrow(/no RunningHub credential/);
		await expect(activation({ runningHubApi: { id: '1', name: 'RunningHub' } })).resolves.toBe(
			true,
		);
	});
});

describe('RunningHub Trigger: hostile bodies', () => {
	const withOutputs = (data: unknown) => ({
		event: 'TASK_END',
		taskId: '1904163390028185602',
		eventData: JSON.stringify({ code: 0, msg: 'success', data }),
	});
	const v2 = (fields: IDataObject) => ({
		event: 'TASK_END',
		taskId: '1904163390028185602',
		eventData: { taskId: '1904163390028185602', status: 'SUCCESS', errorCode: '', ...fields },
	});
	const url = 'https://rh-images.example/output/ComfyUI_00001_.png';
	const cases: Array<[string, () => { body?: unknown; rawBody?: string }, RegExp]> = [
		['data: [null]', () => ({ body: withOutputs([null]) }), /data\[0\]/],
		['an output url that is a number', () => ({ body: withOutputs([{ fileUrl: 7 }]) }), /fileUrl/],
		['a numeric status', () => ({ body: v2({ status: 1 }) }), /"status" must be a string/],
		['results: "x"', () => ({ body: v2({ results: 'x' }) }), /"results" must be a list/],
		['results: [null]', () => ({ body: v2({ results: [null] }) }), /results\[0\]/],
		[
			'a taskId object',
			() => ({ body: { ...withOutputs([]), taskId: { $gt: '' } } }),
			/"taskId" must be a string/,
		],
		['a taskId list', () => ({ body: { ...withOutputs([]), taskId: ['1'] } }), /"taskId"/],
		[
			'a code that is no number',
			() => ({ body: { ...withOutputs([]), eventData: '{"code":"x"}' } }),
			/code/,
		],
		[
			'an event other than TASK_END (claiming SUCCESS)',
			() => ({ body: { ...v2({ results: [{ url }] }), event: 'TASK_START' } }),
			/Only "TASK_END" events/,
		],
		[
			'a bare task object with another event',
			() => ({
				body: { event: 'TASK_PROGRESS', taskId: '1904163390028185602', status: 'SUCCESS' },
			}),
			/Only "TASK_END" events/,
		],
		[
			'100 000 outputs in a small body',
			() => ({ body: withOutputs(Array.from({ length: 100_000 }, () => ({}))) }),
			/100000 outputs/,
		],
		[
			'a 10 MB body with 100 000 outputs',
			() => ({
				rawBody: JSON.stringify(
					withOutputs(
						Array.from({ length: 100_000 }, (_, index) => ({
							fileUrl: `${url}?n=${index}&pad=${'x'.repeat(40)}`,
							fileType: 'png',
						})),
					),
				),
			}),
			/bytes; a RunningHub callback is far smaller/,
		],
	];

	it.each(cases)('%s: 400, nothing emitted, no API call', async (_label, make, message) => {
		for (const verifyWithApi of [true, false]) {
			const { result, response } = await trigger({
				...make(),
				parameters: { token: TOKEN, verifyWithApi, options: {} },
			});
			expect(response.statusCode).toBe(400);
			expect(String((response.body as IDataObject).error)).toMatch(message);
			expect(result.workflowData).toBeUndefined();
		}
		expect(queryCalls()).toBe(0);
	});

	it('a 19-digit taskId sent as a bare JSON number keeps every digit', async () => {
		const event = await deliveredEvent();
		const rawBody = JSON.stringify(event.body).replace(
			`"taskId":"${event.taskId}"`,
			`"taskId":${event.taskId}`,
		);
		expect(rawBody).toContain(`"taskId":${event.taskId},`);
		// What JSON.parse (n8n's parsed body) makes of it.
		expect(String((JSON.parse(rawBody) as IDataObject).taskId)).not.toBe(event.taskId);
		const { result } = await trigger({ rawBody });
		expect(result.workflowData![0][0].json.taskId).toBe(event.taskId);
		const query = sim.requests.find((request) => request.route === 'v2.query');
		expect((query?.body as IDataObject).taskId).toBe(event.taskId);
	});

	it('an unverified event pointing at a local address is not downloaded', async () => {
		const local = await hostileServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'image/png' });
			response.end(Buffer.from('\x89PNG'));
		});
		try {
			for (const fileUrl of [
				`${local.url}/x.png`,
				'http://localhost:9/x.png',
				'http://[::1]:9/x.png',
				'http://10.0.0.8/x.png',
				'http://169.254.169.254/latest/meta-data',
				'file:///etc/passwd',
			]) {
				const { result, response } = await trigger(
					{
						body: withOutputs([{ fileUrl, fileType: 'png' }]),
						parameters: {
							token: TOKEN,
							verifyWithApi: false,
							options: { downloadOutputs: true },
						},
					},
					false,
				);
				expect(response.statusCode).toBe(400);
				expect(String((response.body as IDataObject).error)).toMatch(/local or private address/);
				expect(result.workflowData).toBeUndefined();
			}
			expect(local.hits).toEqual([]);
		} finally {
			await local.close();
		}
	});
});
