/**
 * Tests of the RunningHub simulator itself, over real HTTP (axios + fetch), so the node's tests can
 * trust it. Each test starts from sim.reset().
 */

import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import {
	SIM_KEYS,
	SIM_KEY_EXCLUSIVE,
	SIM_KEY_FREE,
	SIM_KEY_INVALID,
	SIM_KEY_NORMAL,
	SIM_KEY_SHARED,
	WEBAPP_ID_PORTRAIT,
	WEBAPP_ID_TEXT_TO_VIDEO,
	WORKFLOW_ID_IMG2IMG,
	WORKFLOW_ID_NEVER_RUN,
	WORKFLOW_ID_TXT2IMG,
	WORKFLOW_ID_VIDEO,
} from './index';
import { HOUR, useSimulator } from '../harness/simulator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sim = useSimulator({
	options: { queuedMs: 30, runningMs: 60, webhookRetryDelaysMs: [20, 40, 80] },
});

const client = axios.create({ validateStatus: () => true });

async function post(
	path: string,
	body: unknown,
	config: AxiosRequestConfig = {},
): Promise<AxiosResponse<Json>> {
	return client.post(sim.baseUrl + path, body, config);
}

function bearer(key: string): AxiosRequestConfig {
	return { headers: { Authorization: `Bearer ${key}` } };
}

async function v1Create(extra: Json = {}, key = SIM_KEY_NORMAL): Promise<Json> {
	const res = await post('/task/openapi/create', {
		apiKey: key,
		workflowId: WORKFLOW_ID_TXT2IMG,
		...extra,
	});
	return res.data;
}

async function outputs(taskId: string, key = SIM_KEY_NORMAL): Promise<Json> {
	return (await post('/task/openapi/outputs', { apiKey: key, taskId })).data;
}

async function query(taskId: string, key = SIM_KEY_NORMAL): Promise<Json> {
	return (await post('/openapi/v2/query', { taskId }, bearer(key))).data;
}

async function waitForStatus(
	taskId: string,
	wanted: string[],
	key = SIM_KEY_NORMAL,
	timeoutMs = 20_000,
): Promise<Json> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const q = await query(taskId, key);
		if (wanted.includes(q.status)) return q;
		if (Date.now() > deadline) throw new Error(`task ${taskId} stuck in ${q.status}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

function multipart(
	fields: Record<string, string>,
	file?: { name: string; filename: string; type: string; data: Buffer },
): { body: Buffer; contentType: string } {
	const boundary = '----simtest' + Math.random().toString(16).slice(2);
	const chunks: Buffer[] = [];
	for (const [k, v] of Object.entries(fields))
		chunks.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
		);
	if (file) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function uploadV2(
	data: Buffer,
	filename = 'photo.png',
	key = SIM_KEY_NORMAL,
): Promise<AxiosResponse<Json>> {
	const mp = multipart({}, { name: 'file', filename, type: 'image/png', data });
	return client.post(sim.baseUrl + '/openapi/v2/media/upload/binary', mp.body, {
		headers: { 'Content-Type': mp.contentType, Authorization: `Bearer ${key}` },
		maxBodyLength: Infinity,
	});
}

/** A tiny webhook receiver answering with the given statuses in turn (last one repeats). */
async function receiver(
	statuses: number[],
): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
	const bodies: string[] = [];
	let i = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			const status = statuses[Math.min(i++, statuses.length - 1)];
			res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
			res.end(status === 200 ? 'ok' : 'receiver says no');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook?token=abc`,
		bodies,
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			}),
	};
}

describe('keys', () => {
	it('are 32 characters like real RunningHub keys', () => {
		for (const key of [...Object.keys(SIM_KEYS), SIM_KEY_INVALID]) expect(key).toHaveLength(32);
		expect(SIM_KEYS[SIM_KEY_SHARED].apiType).toBe('SHARED');
	});
});

describe('v1 authentication', () => {
	it('missing body key → 301 "must not be blank", even with a Bearer header', async () => {
		const res = await post(
			'/task/openapi/status',
			{ taskId: '1904152026220003329' },
			bearer(SIM_KEY_NORMAL),
		);
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ code: 301, msg: 'must not be blank', data: null });
	});

	it('wrong key → 802, free key → 801', async () => {
		expect((await v1Create({}, SIM_KEY_INVALID)).code).toBe(802);
		expect((await v1Create({}, SIM_KEY_FREE)).code).toBe(801);
		expect(sim.stats.tasksCreated).toBe(0);
	});

	it('accountStatus needs lower-case "apikey" (1601 otherwise) and answers strings', async () => {
		const wrongField = await post('/uc/openapi/accountStatus', { apiKey: SIM_KEY_NORMAL });
		expect(wrongField.data).toMatchObject({ code: 1601, msg: 'param apiKey is required' });
		const res = await post('/uc/openapi/accountStatus', { apikey: SIM_KEY_SHARED });
		expect(res.data).toEqual({
			code: 0,
			msg: 'success',
			data: {
				remainCoins: '0',
				currentTaskCounts: '0',
				remainMoney: '999.50',
				currency: 'CNY',
				apiType: 'SHARED',
			},
			errorMessages: null,
		});
	});

	it('apiCallDemo takes the key from the query string', async () => {
		const noKey = await client.get(
			`${sim.baseUrl}/api/webapp/apiCallDemo?webappId=${WEBAPP_ID_PORTRAIT}`,
			bearer(SIM_KEY_NORMAL),
		);
		expect(noKey.data.code).toBe(301);
		const res = await client.get(`${sim.baseUrl}/api/webapp/apiCallDemo`, {
			params: { apiKey: SIM_KEY_NORMAL, webappId: WEBAPP_ID_PORTRAIT },
		});
		expect(res.data.code).toBe(0);
		expect(res.data.data.webappName).toContain('Portrait');
		const fields = res.data.data.nodeInfoList as Json[];
		expect(fields.map((f) => f.fieldType)).toEqual(['IMAGE', 'STRING', 'INT', 'LIST']);
		expect(JSON.parse(fields[3].fieldData)[0]).toContain('anime');
		expect(res.data.data.curl).toContain('/task/openapi/ai-app/run');
		const unknown = await client.get(`${sim.baseUrl}/api/webapp/apiCallDemo`, {
			params: { apiKey: SIM_KEY_NORMAL, webappId: '1111111111111111111' },
		});
		expect(unknown.data).toMatchObject({ code: 901, msg: 'WEBAPP_NOT_EXISTS' });
	});
});

describe('v2 authentication', () => {
	it('missing Bearer → {code:412,msg:"TOKEN_INVALID"}; key in body does not help', async () => {
		const res = await post('/openapi/v2/query', {
			taskId: '1904152026220003329',
			apiKey: SIM_KEY_NORMAL,
		});
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ code: 412, msg: 'TOKEN_INVALID' });
	});

	it('wrong key → flat 1002 on task endpoints, 401 envelope on upload', async () => {
		expect(await query('1904152026220003329', SIM_KEY_INVALID)).toEqual({
			taskId: '',
			status: '',
			errorCode: '1002',
			errorMessage: 'Invalid API Key, please check your credentials',
		});
		const up = await uploadV2(Buffer.from('x'), 'a.png', SIM_KEY_INVALID);
		expect(up.data).toEqual({
			code: 401,
			message: 'ApiKey verification failed: API Key不存在',
			data: null,
		});
	});

	it('Standard Model API is enterprise-shared only (1014)', async () => {
		const res = await post(
			'/openapi/v2/rhart-image-v1/text-to-image',
			{ prompt: 'a cat', aspectRatio: '1:1' },
			bearer(SIM_KEY_NORMAL),
		);
		expect(res.data.errorCode).toBe('1014');
		expect(res.data.taskId).toBe('');
	});
});

describe('workflow task lifecycle', () => {
	it('create answers the v1 envelope with a QUEUED task and python-style promptTips', async () => {
		const res = await v1Create({
			nodeInfoList: [{ nodeId: '6', fieldName: 'text', fieldValue: 'a lighthouse' }],
		});
		expect(res.code).toBe(0);
		expect(res.data.netWssUrl).toBeNull();
		expect(res.data.taskStatus).toBe('QUEUED');
		expect(res.data.taskId).toMatch(/^\d{19}$/);
		expect(res.data.promptTips).toBe(
			'{"result": true, "error": null, "outputs_to_execute": ["9"], "node_errors": {}}',
		);
		const task = sim.getTask(res.data.taskId);
		expect((task?.inputs as Json)['6'].inputs.text).toBe('a lighthouse');
	});

	it('v1 status/outputs and v2 query walk QUEUED → RUNNING → SUCCESS (poll-driven)', async () => {
		sim.setDurations({ pollsBeforeDone: 2 });
		const { data } = await v1Create();
		const id = data.taskId as string;
		expect(await outputs(id)).toMatchObject({
			code: 813,
			msg: 'APIKEY_TASK_IS_QUEUED',
			data: null,
		});
		expect(await outputs(id)).toMatchObject({
			code: 804,
			msg: 'APIKEY_TASK_IS_RUNNING',
			data: { netWssUrl: null },
		});
		const done = await outputs(id);
		expect(done.code).toBe(0);
		expect(done.data).toEqual([
			{
				fileUrl: `${sim.baseUrl}/files/output/${id}/ComfyUI_00001_.png`,
				fileType: 'png',
				taskCostTime: expect.stringMatching(/^\d+$/),
				nodeId: '9',
				thirdPartyConsumeMoney: null,
				consumeMoney: null,
				consumeCoins: expect.any(String),
			},
		]);
		const status = await post('/task/openapi/status', { apiKey: SIM_KEY_NORMAL, taskId: id });
		expect(status.data).toMatchObject({ code: 0, data: 'SUCCESS' });
		const q = await query(id);
		expect(q).toMatchObject({ taskId: id, status: 'SUCCESS', errorCode: '', errorMessage: '' });
		expect(q.results).toEqual([
			{ url: done.data[0].fileUrl, outputType: 'png', nodeId: '9', text: null },
		]);
		expect(q.usage.taskCostTime).toMatch(/^\d+$/);
		expect(sim.stats.statusRequests).toBe(5);
	});

	it('result files are real bytes with the right content type', async () => {
		const { data } = await v1Create();
		const q = await waitForStatus(data.taskId, ['SUCCESS']);
		const file = await fetch(q.results[0].url);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		const bytes = Buffer.from(await file.arrayBuffer());
		expect(bytes.subarray(0, 8)).toEqual(
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		);
		expect((await fetch(`${sim.baseUrl}/files/output/nope.png`)).status).toBe(404);
	});

	it('video workflow produces an mp4; batch_size gives several images', async () => {
		const video = await v1Create({ workflowId: WORKFLOW_ID_VIDEO });
		const q = await waitForStatus(video.data.taskId, ['SUCCESS']);
		expect(q.results).toHaveLength(1);
		expect(q.results[0]).toMatchObject({ outputType: 'mp4', nodeId: '60' });
		const mp4 = Buffer.from(await (await fetch(q.results[0].url)).arrayBuffer());
		expect(mp4.subarray(4, 8).toString()).toBe('ftyp');

		const batch = await v1Create({
			nodeInfoList: [{ nodeId: '5', fieldName: 'batch_size', fieldValue: 3 }],
		});
		const qb = await waitForStatus(batch.data.taskId, ['SUCCESS']);
		expect(qb.results).toHaveLength(3);
	});

	it('unknown task → 807 (v1) / 1004 (v2); tasks of another key are invisible', async () => {
		expect(await outputs('1904152026220003329')).toMatchObject({
			code: 807,
			msg: 'APIKEY_TASK_NOT_FOUND',
		});
		expect((await query('1904152026220003329')).errorCode).toBe('1004');
		const { data } = await v1Create();
		expect((await outputs(data.taskId, SIM_KEY_SHARED)).code).toBe(807);
		expect(
			(await post('/task/openapi/status', { apiKey: SIM_KEY_NORMAL, taskId: '0' })).data,
		).toMatchObject({ code: 301, msg: 'taskId must be positive' });
	});

	it('a taskId sent as a bare JSON number is read exactly (like the Java backend)', async () => {
		const { data } = await v1Create();
		const raw = `{"apiKey":"${SIM_KEY_NORMAL}","taskId":${data.taskId}}`;
		const res = await client.post(sim.baseUrl + '/task/openapi/status', raw, {
			headers: { 'content-type': 'application/json' },
		});
		expect(res.data.code).toBe(0);
	});

	it('v2 run/workflow answers a flat task object', async () => {
		const res = await post(
			`/openapi/v2/run/workflow/${WORKFLOW_ID_TXT2IMG}`,
			{ nodeInfoList: [], addMetadata: true },
			bearer(SIM_KEY_NORMAL),
		);
		expect(res.data).toMatchObject({
			status: 'QUEUED',
			errorCode: '',
			errorMessage: '',
			results: null,
		});
		expect(res.data.taskId).toMatch(/^\d{19}$/);
		expect(JSON.parse(res.data.promptTips).result).toBe(true);
		expect(sim.getTask(res.data.taskId)?.api).toBe('v2');
		const unknown = await post(
			'/openapi/v2/run/workflow/1111111111111111111',
			{ nodeInfoList: [] },
			bearer(SIM_KEY_NORMAL),
		);
		expect(unknown.data).toMatchObject({ taskId: '', errorCode: '380' });
	});

	it('getJsonApiFormat returns the graph as a string; unknown → 380; never-run → 810 on create', async () => {
		const res = await post('/api/openapi/getJsonApiFormat', {
			apiKey: SIM_KEY_NORMAL,
			workflowId: WORKFLOW_ID_IMG2IMG,
		});
		expect(res.data.msg).toBe('SUCCESS');
		const graph = JSON.parse(res.data.data.prompt);
		expect(graph['10']).toMatchObject({ class_type: 'LoadImage' });
		expect(graph['12'].inputs.model).toEqual(['1', 0]);
		expect(
			(await post('/api/openapi/getJsonApiFormat', { apiKey: SIM_KEY_NORMAL, workflowId: '123' }))
				.data.code,
		).toBe(380);
		expect((await v1Create({ workflowId: WORKFLOW_ID_NEVER_RUN })).code).toBe(810);
		expect((await v1Create({ workflowId: '1111111111111111111' })).code).toBe(380);
	});
});

describe('create-time validation', () => {
	it('unknown nodeId or fieldName → 803, no task', async () => {
		expect(
			(await v1Create({ nodeInfoList: [{ nodeId: '99', fieldName: 'text', fieldValue: 'x' }] }))
				.code,
		).toBe(803);
		expect(
			(await v1Create({ nodeInfoList: [{ nodeId: '6', fieldName: 'prompt', fieldValue: 'x' }] }))
				.code,
		).toBe(803);
		expect(sim.stats.tasksCreated).toBe(0);
	});

	it('a value of the wrong type → success with promptTips result:false, then FAILED', async () => {
		const res = await v1Create({
			nodeInfoList: [{ nodeId: '3', fieldName: 'steps', fieldValue: 'abc' }],
		});
		expect(res.code).toBe(0);
		const tips = JSON.parse(res.data.promptTips);
		expect(tips.result).toBe(false);
		expect(tips.error.type).toBe('prompt_outputs_failed_validation');
		expect(tips.node_errors['3'].class_type).toBe('KSampler');
		expect(tips.node_errors['3'].errors[0].type).toBe('invalid_input_type');
		const q = await waitForStatus(res.data.taskId, ['SUCCESS', 'FAILED']);
		expect(q.status).toBe('FAILED');
		expect(q.failedReason.node_id).toBe('3');
	});

	it('numeric strings are accepted for numeric inputs; bad enums are flagged', async () => {
		const okRes = await v1Create({
			nodeInfoList: [{ nodeId: '3', fieldName: 'seed', fieldValue: '1231231' }],
		});
		expect(JSON.parse(okRes.data.promptTips).result).toBe(true);
		expect((sim.getTask(okRes.data.taskId)?.inputs as Json)['3'].inputs.seed).toBe(1231231);
		const bad = await v1Create({
			nodeInfoList: [{ nodeId: '3', fieldName: 'sampler_name', fieldValue: 'warp_drive' }],
		});
		expect(JSON.parse(bad.data.promptTips).node_errors['3'].errors[0].type).toBe(
			'value_not_in_list',
		);
	});

	it('LoadImage must reference an uploaded (or seeded) file', async () => {
		const bad = await v1Create({
			workflowId: WORKFLOW_ID_IMG2IMG,
			nodeInfoList: [{ nodeId: '10', fieldName: 'image', fieldValue: 'never-uploaded.png' }],
		});
		expect(JSON.parse(bad.data.promptTips).node_errors['10'].class_type).toBe('LoadImage');
		const up = await uploadV2(Buffer.from('fake image'), 'me.png');
		const good = await v1Create({
			workflowId: WORKFLOW_ID_IMG2IMG,
			nodeInfoList: [{ nodeId: '10', fieldName: 'image', fieldValue: up.data.data.fileName }],
		});
		expect(JSON.parse(good.data.promptTips).result).toBe(true);
	});

	it('the `workflow` JSON string replaces the stored graph', async () => {
		const graph = JSON.parse(
			(
				await post('/api/openapi/getJsonApiFormat', {
					apiKey: SIM_KEY_NORMAL,
					workflowId: WORKFLOW_ID_TXT2IMG,
				})
			).data.data.prompt,
		);
		graph['9'].inputs.filename_prefix = 'custom';
		const res = await v1Create({ workflow: JSON.stringify(graph) });
		const q = await waitForStatus(res.data.taskId, ['SUCCESS']);
		expect(q.results[0].url).toMatch(/custom_00001_\.png$/);
		expect((await v1Create({ workflow: graph })).code).toBe(301);
	});
});

describe('outcomes', () => {
	it('[[fail]] → v1 805 with JSON-string failedReason fields; v2 FAILED errorCode 805', async () => {
		const res = await v1Create({
			nodeInfoList: [{ nodeId: '6', fieldName: 'text', fieldValue: 'boom [[fail]]' }],
		});
		await waitForStatus(res.data.taskId, ['FAILED']);
		const out = await outputs(res.data.taskId);
		expect(out).toMatchObject({ code: 805, msg: 'APIKEY_TASK_STATUS_ERROR' });
		const reason = out.data.failedReason;
		expect(reason).toMatchObject({
			node_id: '6',
			node_name: 'CLIPTextEncode',
			exception_type: 'RuntimeError',
		});
		for (const f of ['traceback', 'current_inputs', 'current_outputs'])
			expect(typeof reason[f]).toBe('string');
		expect(JSON.parse(reason.current_inputs).text).toContain('[[fail]]');
		expect(Array.isArray(JSON.parse(reason.traceback))).toBe(true);
		const q = await query(res.data.taskId);
		expect(q).toMatchObject({ status: 'FAILED', errorCode: '805', results: null });
		expect(Array.isArray(q.failedReason.traceback)).toBe(true);
	});

	it('[[slow]] makes the task take 10x longer', async () => {
		const res = await v1Create({
			nodeInfoList: [{ nodeId: '6', fieldName: 'text', fieldValue: 'patience [[slow]]' }],
		});
		const task = sim.getTask(res.data.taskId);
		expect(task?.queuedMs).toBe(300);
		expect(task?.runningMs).toBe(600);
	});

	it('nextTaskOutcome controls the next task', async () => {
		sim.nextTaskOutcome({ result: 'fail', errorCode: '1000', errorMessage: 'unknown error' });
		sim.nextTaskOutcome('empty');
		const a = await v1Create();
		const b = await v1Create();
		expect(await waitForStatus(a.data.taskId, ['FAILED'])).toMatchObject({
			errorCode: '1000',
			errorMessage: 'unknown error',
		});
		await waitForStatus(b.data.taskId, ['SUCCESS']);
		expect(await outputs(b.data.taskId)).toMatchObject({ code: 0, data: [] });
	});

	it('cancel turns a running task into FAILED and is counted', async () => {
		sim.setDurations({ queuedMs: 0, runningMs: HOUR });
		const { data } = await v1Create();
		expect(
			(await post('/task/openapi/cancel', { apiKey: SIM_KEY_NORMAL, taskId: data.taskId })).data,
		).toMatchObject({ code: 0, data: null });
		const out = await outputs(data.taskId);
		expect(out.code).toBe(805);
		expect(out.data.failedReason.exception_type).toBe('InterruptProcessingException');
		expect((await query(data.taskId)).status).toBe('FAILED');
		expect(sim.stats).toMatchObject({ cancelRequests: 1, tasksCancelled: 1 });
		expect(
			(
				await post('/task/openapi/cancel', {
					apiKey: SIM_KEY_NORMAL,
					taskId: '1904152026220003329',
				})
			).data.code,
		).toBe(807);
		sim.options.cancelStatus = 'CANCEL';
		expect((await query(data.taskId)).status).toBe('CANCEL');
	});

	it('instant tasks (durations 0) return SUCCESS with results straight from submit', async () => {
		sim.setDurations({ queuedMs: 0, runningMs: 0 });
		const res = await post(
			'/openapi/v2/seedream-v4/text-to-image',
			{ prompt: 'a red fox' },
			bearer(SIM_KEY_SHARED),
		);
		expect(res.data.status).toBe('SUCCESS');
		expect(res.data.results[0].outputType).toBe('png');
	});
});

describe('Standard Model API', () => {
	it('image, video, audio, 3d and text endpoints', async () => {
		const cases: Array<[string, Json, string]> = [
			['rhart-image-v1/text-to-image', { prompt: 'cat', aspectRatio: '1:1' }, 'png'],
			[
				'kling-v2.6-pro/text-to-video',
				{ prompt: 'cat', sound: 'true', aspectRatio: '16:9', duration: '5' },
				'mp4',
			],
			[
				'rhart-audio/text-to-audio/speech-2.8-hd',
				{
					text: 'hi',
					voice_id: 'Wise_Woman',
					enable_base64_output: false,
					english_normalization: false,
				},
				'mp3',
			],
			[
				'hunyuan3d-v3.1/text-to-3d',
				{ prompt: 'cup', enablePbr: false, generateType: 'Normal' },
				'glb',
			],
		];
		for (const [endpoint, params, type] of cases) {
			const res = await post(`/openapi/v2/${endpoint}`, params, bearer(SIM_KEY_SHARED));
			expect(res.data).toMatchObject({ status: 'QUEUED', errorCode: '' });
			const q = await waitForStatus(res.data.taskId, ['SUCCESS'], SIM_KEY_SHARED);
			expect(q.results[0].outputType).toBe(type);
			const file = await fetch(q.results[0].url);
			expect(file.status).toBe(200);
			expect(q.usage.thirdPartyConsumeMoney).toBe('0.14');
		}
		const text = await post(
			'/openapi/v2/rhart-text-g-25-flash/text-to-text',
			{ prompt: 'say hi' },
			bearer(SIM_KEY_SHARED),
		);
		const q = await waitForStatus(text.data.taskId, ['SUCCESS'], SIM_KEY_SHARED);
		expect(q.results[0].url).toBeUndefined();
		expect(q.results[0].text).toContain('say hi');
	});

	it('a media file of a format or size the registry excludes for the parameter → 1007, no task', async () => {
		const edit = (imageUrls: string[]) =>
			post(
				'/openapi/v2/rhart-image-v1/edit',
				{ prompt: 'x', aspectRatio: 'auto', imageUrls },
				bearer(SIM_KEY_SHARED),
			);
		const big = (await uploadV2(Buffer.alloc(10 * 1024 * 1024 + 1), 'big.png')).data.data;
		const max = (await uploadV2(Buffer.alloc(10 * 1024 * 1024), 'max.png')).data.data;
		const webp = (await uploadV2(Buffer.from('RIFF'), 'p.webp')).data.data;
		const refused = [
			[big.download_url],
			[webp.download_url],
			['https://example.com/anim.gif'],
			[`data:image/png;base64,${Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64')}`],
		];
		for (const imageUrls of refused) {
			const answer = (await edit(imageUrls)).data;
			expect(answer).toMatchObject({ taskId: '', errorCode: '1007' });
			expect(answer.errorMessage).toContain('imageUrls');
		}
		expect(sim.stats.tasksCreated).toBe(0);
		const accepted = await edit([
			max.download_url,
			'https://example.com/photo.JPEG?x=1',
			'https://example.com/image?id=3',
		]);
		expect(accepted.data.errorCode).toBe('');
		expect(sim.stats.tasksCreated).toBe(1);
	});

	it('wrong parameter types → 1007; failures → 1015 / 1501', async () => {
		const bad = await post(
			'/openapi/v2/kling-v2.6-pro/text-to-video',
			{ prompt: 'x', sound: true, aspectRatio: '16:9', duration: 5 },
			bearer(SIM_KEY_SHARED),
		);
		expect(bad.data.errorCode).toBe('1007');
		expect(bad.data.errorMessage).toContain('sound');
		const fail = await post(
			'/openapi/v2/some-vendor/new-model',
			{ prompt: '[[fail]]' },
			bearer(SIM_KEY_SHARED),
		);
		expect(await waitForStatus(fail.data.taskId, ['FAILED'], SIM_KEY_SHARED)).toMatchObject({
			errorCode: '1015',
			errorMessage: 'Generation failed, please try again.',
		});
		const mod = await post(
			'/openapi/v2/some-vendor/new-model',
			{ prompt: '[[moderation]]' },
			bearer(SIM_KEY_SHARED),
		);
		expect((await waitForStatus(mod.data.taskId, ['FAILED'], SIM_KEY_SHARED)).errorCode).toBe(
			'1501',
		);
	});

	it('price preview and queue status', async () => {
		const price = await post(
			'/openapi/v2/price-preview/kling-v2.6-pro/text-to-video',
			{ prompt: 'x' },
			bearer(SIM_KEY_SHARED),
		);
		expect(price.data).toMatchObject({ errorCode: 0, estimatedPrice: 1.2, currency: 'CNY' });
		expect(price.data.code).toBeUndefined();
		const qs = await client.get(`${sim.baseUrl}/openapi/v2/queue/status`, bearer(SIM_KEY_SHARED));
		expect(qs.data.data).toEqual({
			apiKeyType: 'SHARED',
			concurrentLimit: 50,
			runningCount: '0',
			queuedCount: '0',
			totalCurrentTasks: '0',
		});
		expect((await post('/openapi/v2/queue/status', {}, bearer(SIM_KEY_SHARED))).data.code).toBe(
			1009,
		);
	});
});

describe('AI apps', () => {
	it('v1 run validates fields against the template and produces the app output', async () => {
		const res = await post('/task/openapi/ai-app/run', {
			apiKey: SIM_KEY_NORMAL,
			webappId: WEBAPP_ID_TEXT_TO_VIDEO,
			nodeInfoList: [
				{ nodeId: '16', fieldName: 'positive_prompt', fieldValue: 'a fox' },
				{ nodeId: '30', fieldName: 'aspect_ratio', fieldValue: '9:16' },
			],
		});
		expect(res.data.code).toBe(0);
		const q = await waitForStatus(res.data.data.taskId, ['SUCCESS']);
		expect(q.results[0]).toMatchObject({ outputType: 'mp4', nodeId: '50' });

		const badList = await post('/task/openapi/ai-app/run', {
			apiKey: SIM_KEY_NORMAL,
			webappId: WEBAPP_ID_TEXT_TO_VIDEO,
			nodeInfoList: [{ nodeId: '30', fieldName: 'aspect_ratio', fieldValue: '4:3' }],
		});
		expect(JSON.parse(badList.data.data.promptTips).node_errors['30'].errors[0].type).toBe(
			'value_not_in_list',
		);
		const badField = await post('/task/openapi/ai-app/run', {
			apiKey: SIM_KEY_NORMAL,
			webappId: WEBAPP_ID_PORTRAIT,
			nodeInfoList: [{ nodeId: '1', fieldName: 'x', fieldValue: 'y' }],
		});
		expect(badField.data.code).toBe(803);
		const unknown = await post('/task/openapi/ai-app/run', {
			apiKey: SIM_KEY_NORMAL,
			webappId: '1111111111111111111',
			nodeInfoList: [],
		});
		expect(unknown.data.code).toBe(901);
	});

	it('v2 run/ai-app accepts a download_url for an IMAGE field', async () => {
		const up = await uploadV2(Buffer.from('img'), 'p.png');
		const res = await post(
			`/openapi/v2/run/ai-app/${WEBAPP_ID_PORTRAIT}`,
			{
				nodeInfoList: [{ nodeId: '12', fieldName: 'image', fieldValue: up.data.data.download_url }],
			},
			bearer(SIM_KEY_NORMAL),
		);
		expect(JSON.parse(res.data.promptTips).result).toBe(true);
		expect((await waitForStatus(res.data.taskId, ['SUCCESS'])).results[0].outputType).toBe('png');
	});
});

describe('uploads', () => {
	it('v2 binary upload returns fileName/download_url and the file can be downloaded', async () => {
		const data = Buffer.alloc(200000, 7);
		const res = await uploadV2(data, 'big.png');
		const sha = createHash('sha256').update(data).digest('hex');
		expect(res.data).toMatchObject({
			code: 0,
			message: 'success',
			data: { type: 'image', fileName: `openapi/${sha}.png`, size: '200000' },
		});
		const dl = await fetch(res.data.data.download_url);
		expect(dl.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await dl.arrayBuffer()).equals(data)).toBe(true);
		expect(sim.requests.find((r) => r.route === 'v2.upload')?.body).toEqual({
			fields: {},
			files: [{ name: 'file', filename: 'big.png', contentType: 'image/png', size: 200000 }],
		});
	});

	it('media upload: no size limit by default, 1008 over maxMediaUploadBytes; legacy 809 over 30 MB', async () => {
		const big = Buffer.alloc(31 * 1024 * 1024);
		for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
		const okRes = await uploadV2(big, 'video.mp4');
		expect(okRes.data.code).toBe(0);
		expect(okRes.data.data.type).toBe('video');
		expect(okRes.data.data.fileName).toBe(
			`openapi/${createHash('sha256').update(big).digest('hex')}.mp4`,
		);
		sim.options.maxMediaUploadBytes = 1000;
		expect((await uploadV2(Buffer.alloc(1001), 'huge.mp4')).data).toEqual({
			code: 1008,
			message: 'File size limit exceeded',
			data: null,
		});
		expect((await uploadV2(Buffer.alloc(1000), 'max.mp4')).data.code).toBe(0);
		const legacyAt = async (size: number) => {
			const mp = multipart(
				{ apiKey: SIM_KEY_NORMAL, fileType: 'image' },
				{ name: 'file', filename: 'x.png', type: 'image/png', data: Buffer.alloc(size) },
			);
			return (
				await client.post(sim.baseUrl + '/task/openapi/upload', mp.body, {
					headers: { 'Content-Type': mp.contentType },
				})
			).data;
		};
		expect((await legacyAt(30 * 1024 * 1024)).code).toBe(0);
		expect(await legacyAt(30 * 1024 * 1024 + 1)).toMatchObject({
			code: 809,
			msg: 'APIKEY_FILE_SIZE_EXCEEDED',
		});
		sim.options.maxUploadBytes = 1000;
		const mp = multipart(
			{ apiKey: SIM_KEY_NORMAL, fileType: 'image' },
			{ name: 'file', filename: 'x.png', type: 'image/png', data: Buffer.alloc(1500) },
		);
		const legacy = await client.post(sim.baseUrl + '/task/openapi/upload', mp.body, {
			headers: { 'Content-Type': mp.contentType },
		});
		expect(legacy.data).toMatchObject({ code: 809, msg: 'APIKEY_FILE_SIZE_EXCEEDED' });
	});

	it('media upload refuses the types its page does not list; the legacy upload takes them', async () => {
		for (const name of ['anim.gif', 'scan.bmp', 'notes.txt']) {
			const refused = await uploadV2(Buffer.from('abc'), name);
			expect(refused.data).toEqual({
				code: 1007,
				message: expect.stringContaining('is not supported'),
				data: null,
			});
		}
		for (const name of ['a.JPG', 'b.jpeg', 'c.webp', 'd.zip', 'e.flac', 'f.mkv', 'g.avi', 'h.wav'])
			expect((await uploadV2(Buffer.from('abc'), name)).data.code).toBe(0);
		expect(sim.stats.uploads).toBe(8);
		const mp = multipart(
			{ apiKey: SIM_KEY_NORMAL, fileType: 'image' },
			{ name: 'file', filename: 'anim.gif', type: 'image/gif', data: Buffer.from('abc') },
		);
		const legacy = await client.post(sim.baseUrl + '/task/openapi/upload', mp.body, {
			headers: { 'Content-Type': mp.contentType },
		});
		expect(legacy.data.code).toBe(0);
	});

	it('legacy upload takes the key from a form field', async () => {
		const noKey = multipart(
			{ fileType: 'image' },
			{ name: 'file', filename: 'x.png', type: 'image/png', data: Buffer.from('abc') },
		);
		expect(
			(
				await client.post(sim.baseUrl + '/task/openapi/upload', noKey.body, {
					headers: { 'Content-Type': noKey.contentType, Authorization: `Bearer ${SIM_KEY_NORMAL}` },
				})
			).data.code,
		).toBe(301);
		const mp = multipart(
			{ apiKey: SIM_KEY_NORMAL, fileType: 'image' },
			{ name: 'file', filename: 'x.png', type: 'image/png', data: Buffer.from('abc') },
		);
		const res = await client.post(sim.baseUrl + '/task/openapi/upload', mp.body, {
			headers: { 'Content-Type': mp.contentType },
		});
		expect(res.data).toMatchObject({ code: 0, msg: 'success', data: { fileType: 'image' } });
		expect(res.data.data.fileName).toMatch(/^api\/[0-9a-f]{64}\.png$/);
		expect(sim.isKnownFile(res.data.data.fileName)).toBe(true);
	});
});

describe('LoRA upload', () => {
	it('presigned PUT checks the MD5 and refuses requests carrying credentials', async () => {
		const lora = Buffer.from('safetensors-bytes-'.repeat(1000));
		const md5 = createHash('md5').update(lora).digest('hex');
		const res = await post('/api/openapi/getLoraUploadUrl', {
			apiKey: SIM_KEY_NORMAL,
			loraName: 'my-style',
			md5Hex: md5,
		});
		expect(res.data.code).toBe(0);
		expect(res.data.data.fileName).toBe(`api-lora-cn/${md5}.safetensors`);
		const url: string = res.data.data.url;
		expect(url).toContain('q-signature=');

		const withAuth = await client.put(url, lora, {
			headers: {
				'Content-Type': 'application/octet-stream',
				Authorization: `Bearer ${SIM_KEY_NORMAL}`,
			},
		});
		expect(withAuth.status).toBe(403);
		expect(sim.stats.credentialLeaks).toBe(1);

		const wrong = await client.put(url, Buffer.from('other bytes'), {
			headers: { 'Content-Type': 'application/octet-stream' },
		});
		expect(wrong.status).toBe(400);
		expect(String(wrong.data)).toContain('BadDigest');

		const tampered = await client.put(url.replace(/q-signature=[0-9a-f]+/, 'q-signature=00'), lora);
		expect(tampered.status).toBe(403);

		const good = await client.put(url, lora, {
			headers: { 'Content-Type': 'application/octet-stream' },
		});
		expect(good.status).toBe(200);
		expect(good.headers.etag).toBe(`"${md5}"`);
		expect(sim.loraUploads.get(md5)?.uploaded).toBe(true);
		expect(sim.isKnownFile(`api-lora-cn/${md5}.safetensors`)).toBe(true);

		expect(
			(
				await post('/api/openapi/getLoraUploadUrl', {
					apiKey: SIM_KEY_NORMAL,
					loraName: 'x',
					md5Hex: 'nope',
				})
			).data.code,
		).toBe(301);
	});
});

describe('webhooks', () => {
	it('delivers TASK_END, retries after a failure and records the event', async () => {
		const hook = await receiver([500, 200]);
		try {
			const res = await v1Create({ webhookUrl: hook.url });
			const id = res.data.taskId as string;
			await sim.waitFor(
				() => sim.webhookDeliveries.some((d) => d.status === 200),
				20_000,
				'webhook success',
			);
			expect(sim.webhookDeliveries.map((d) => [d.attempt, d.status])).toEqual([
				[1, 500],
				[2, 200],
			]);
			expect(hook.bodies).toHaveLength(2);
			const payload = JSON.parse(hook.bodies[1]);
			expect(payload).toMatchObject({ event: 'TASK_END', taskId: id });
			const eventData = JSON.parse(payload.eventData);
			expect(eventData.code).toBe(0);
			expect(eventData.data[0]).toMatchObject({
				nodeId: '9',
				fileType: 'png',
				taskCostTime: expect.any(Number),
			});

			const detail = await post('/task/openapi/getWebhookDetail', {
				apiKey: SIM_KEY_NORMAL,
				taskId: id,
			});
			expect(detail.data.data).toMatchObject({
				userApiKey: '******************',
				taskId: id,
				webhookUrl: hook.url,
				callbackStatus: 'SUCCESS',
				retryCount: 1,
				eventData: payload.eventData,
			});
			expect(detail.data.data.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
			expect(detail.data.data.id).toMatch(/^\d{19}$/);

			// Resend to the same URL (now answering 200).
			const retry = await post('/task/openapi/retryWebhook', {
				apiKey: SIM_KEY_NORMAL,
				webhookId: detail.data.data.id,
			});
			expect(retry.data).toMatchObject({ code: 0, data: null });
			// The delivery is recorded once the receiver has answered.
			await sim.waitFor(() => sim.webhookDeliveries.length === 3, 20_000, 'manual resend');
			expect(hook.bodies).toHaveLength(3);
			expect(sim.webhookDeliveries[2]).toMatchObject({ manual: true, status: 200, attempt: 1 });
		} finally {
			await hook.close();
		}
	});

	it('gives up after 3 retries and reports FAILED; failure eventData is the 805 envelope', async () => {
		const hook = await receiver([503]);
		try {
			const res = await v1Create({
				webhookUrl: hook.url,
				nodeInfoList: [{ nodeId: '7', fieldName: 'text', fieldValue: '[[fail]]' }],
			});
			await sim.waitFor(() => sim.webhookDeliveries.length === 4, 20_000, '4 attempts');
			await sim.webhooksIdle();
			const detail = await post('/task/openapi/getWebhookDetail', {
				apiKey: SIM_KEY_NORMAL,
				taskId: res.data.taskId,
			});
			expect(detail.data.data).toMatchObject({ callbackStatus: 'FAILED', retryCount: 3 });
			const eventData = JSON.parse(detail.data.data.eventData);
			expect(eventData.code).toBe(805);
			expect(eventData.data.failedReason.node_id).toBe('7');
		} finally {
			await hook.close();
		}
	});

	it('a receiver that never answers times out and is retried', async () => {
		const silent = http.createServer(() => undefined);
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
		const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
		sim.options.webhookTimeoutMs = 100;
		sim.options.webhookRetryDelaysMs = [10];
		try {
			await v1Create({ webhookUrl: url });
			await sim.waitFor(() => sim.webhookDeliveries.length === 2, 20_000, '2 timed-out attempts');
			expect(sim.webhookDeliveries.map((d) => [d.status, d.error])).toEqual([
				[null, 'Read timed out'],
				[null, 'Read timed out'],
			]);
			expect(sim.webhookEvents[0]).toMatchObject({ callbackStatus: 'FAILED', retryCount: 1 });
			expect(sim.webhookEvents[0].callbackResponse).toContain('I/O error on POST request');
		} finally {
			silent.closeAllConnections();
			await new Promise<void>((r) => silent.close(() => r()));
		}
	});

	it('no webhook → code 1; unknown webhookId → code 1', async () => {
		const res = await v1Create();
		await waitForStatus(res.data.taskId, ['SUCCESS']);
		expect(
			(
				await post('/task/openapi/getWebhookDetail', {
					apiKey: SIM_KEY_NORMAL,
					taskId: res.data.taskId,
				})
			).data,
		).toMatchObject({ code: 1, msg: 'webhook event not exists' });
		expect(
			(
				await post('/task/openapi/retryWebhook', {
					apiKey: SIM_KEY_NORMAL,
					webhookId: '1904152026220003329',
				})
			).data.code,
		).toBe(1);
	});
});

describe('concurrency', () => {
	it('NORMAL keys get 421 over the limit, EXCLUSIVE 415, v2 errorCode "421"; nothing is created', async () => {
		sim.setDurations({ queuedMs: HOUR });
		expect((await v1Create()).code).toBe(0);
		expect((await v1Create()).code).toBe(0);
		expect(await v1Create()).toMatchObject({ code: 421, msg: 'TASK_QUEUE_MAXED' });
		const v2 = await post(
			`/openapi/v2/run/workflow/${WORKFLOW_ID_TXT2IMG}`,
			{ nodeInfoList: [] },
			bearer(SIM_KEY_NORMAL),
		);
		expect(v2.data).toMatchObject({ taskId: '', errorCode: '421' });
		expect(sim.stats).toMatchObject({ createRequests: 4, tasksCreated: 2 });
		const account = await post('/uc/openapi/accountStatus', { apikey: SIM_KEY_NORMAL });
		expect(account.data.data.currentTaskCounts).toBe('2');

		sim.setConcurrency(SIM_KEY_EXCLUSIVE, 1);
		expect((await v1Create({}, SIM_KEY_EXCLUSIVE)).code).toBe(0);
		expect(await v1Create({}, SIM_KEY_EXCLUSIVE)).toMatchObject({
			code: 415,
			msg: 'TASK_INSTANCE_MAXED',
		});
		expect((await v1Create({ usePersonalQueue: 'true' }, SIM_KEY_EXCLUSIVE)).code).toBe(0);
	});
});

describe('faults', () => {
	it('http faults answer once, then the route works again', async () => {
		sim.injectFault({ route: '/openapi/v2/query', kind: 'http', status: 503 });
		const first = await client.post(
			sim.baseUrl + '/openapi/v2/query',
			{ taskId: '1' },
			bearer(SIM_KEY_NORMAL),
		);
		expect(first.status).toBe(503);
		expect(String(first.data)).toContain('503 Service Temporarily Unavailable');
		const second = await query('1904152026220003329');
		expect(second.errorCode).toBe('1004');
		sim.injectFault({
			route: /\/task\/openapi\//,
			kind: 'http',
			status: 429,
			retryAfterSeconds: 2,
			times: 2,
		});
		const limited = await post('/task/openapi/status', { apiKey: SIM_KEY_NORMAL, taskId: '1' });
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('2');
		expect(sim.stats.faultsInjected).toBe(2);
	});

	it('reset destroys the socket', async () => {
		sim.injectFault({ route: '/uc/openapi/accountStatus', kind: 'reset' });
		await expect(
			client.post(sim.baseUrl + '/uc/openapi/accountStatus', { apikey: SIM_KEY_NORMAL }),
		).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/),
		});
	});

	it('code faults follow the route family shape', async () => {
		sim.injectFault({
			route: '/task/openapi/create',
			kind: 'code',
			code: 433,
			msg: 'Your API balance is insufficient',
		});
		expect(await v1Create()).toMatchObject({
			code: 433,
			msg: 'Your API balance is insufficient',
			data: null,
		});
		sim.injectFault({ route: '/openapi/v2/*', kind: 'code', code: '1011' });
		const res = await post(
			'/openapi/v2/seedream-v4/text-to-image',
			{ prompt: 'x' },
			bearer(SIM_KEY_SHARED),
		);
		expect(res.data).toEqual({
			taskId: '',
			status: '',
			errorCode: '1011',
			errorMessage: 'System is currently busy, please retry later',
		});
	});

	it('afterTaskCreated creates the task and then fails the answer', async () => {
		sim.injectFault({
			route: '/task/openapi/create',
			kind: 'http',
			status: 502,
			afterTaskCreated: true,
		});
		const res = await post('/task/openapi/create', {
			apiKey: SIM_KEY_NORMAL,
			workflowId: WORKFLOW_ID_TXT2IMG,
		});
		expect(res.status).toBe(502);
		expect(sim.stats).toMatchObject({ createRequests: 1, tasksCreated: 1 });
		expect(sim.tasks.size).toBe(1);
	});

	it('slow delays the answer (client timeouts can be tested)', async () => {
		sim.injectFault({ route: '/openapi/v2/query', kind: 'slow', delayMs: 400 });
		await expect(
			client.post(
				sim.baseUrl + '/openapi/v2/query',
				{ taskId: '1' },
				{ ...bearer(SIM_KEY_NORMAL), timeout: 100 },
			),
		).rejects.toMatchObject({ code: 'ECONNABORTED' });
		sim.injectFault({ route: '/openapi/v2/query', kind: 'slow', delayMs: 100 });
		const t0 = Date.now();
		expect((await query('1904152026220003329')).errorCode).toBe('1004');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
	});

	it('hang holds the answer until the client gives up, then handles the request', async () => {
		sim.injectFault({ route: '/task/openapi/create', kind: 'hang' });
		const controller = new AbortController();
		const sent = client.post(
			sim.baseUrl + '/task/openapi/create',
			{ apiKey: SIM_KEY_NORMAL, workflowId: WORKFLOW_ID_TXT2IMG },
			{ signal: controller.signal },
		);
		await sim.waitFor(() => sim.stats.createRequests === 1, 20_000, 'the create to arrive');
		expect(sim.inFlight).toBe(1);
		expect(sim.requests[0].answer).toBeUndefined();
		expect(sim.stats.tasksCreated).toBe(0);
		controller.abort();
		await expect(sent).rejects.toMatchObject({ code: 'ERR_CANCELED' });
		await sim.idle();
		// Handled once the client let go: the task exists, and the record says no answer went out.
		expect(sim.stats.tasksCreated).toBe(1);
		expect(sim.requests[0].answer).toEqual({ fault: 'hang', complete: false });
	});
});

describe('waiting for a state', () => {
	it('records each answer: status, JSON, fault, and whether it was written whole', async () => {
		sim.injectFault({ route: '/openapi/v2/query', kind: 'code', code: '1011' });
		await query('1904152026220003329');
		await query('1904152026220003329');
		await sim.idle();
		expect(sim.requests.map((request) => request.answer)).toEqual([
			{
				status: 200,
				json: expect.objectContaining({ errorCode: '1011' }),
				fault: 'code',
				complete: true,
			},
			{ status: 200, json: expect.objectContaining({ errorCode: '1004' }), complete: true },
		]);
	});

	it('waitFor sees a state that lasts no longer than one request', async () => {
		// The count passes 1 on its way to 3 within one tick of the event loop; a poll would miss it.
		const seen = sim.waitFor(() => sim.stats.createRequests === 1, 20_000, 'one create');
		await Promise.all([v1Create(), v1Create(), v1Create()]);
		await seen;
		expect(sim.stats.createRequests).toBe(3);
	});

	it('endAtNextPoll lets held poll-driven tasks end at their next status view', async () => {
		sim.setDurations({ pollsBeforeDone: 1_000_000 });
		const { data } = await v1Create();
		expect((await query(data.taskId)).status).toBe('QUEUED');
		expect((await query(data.taskId)).status).toBe('QUEUED');
		sim.endAtNextPoll();
		expect((await query(data.taskId)).status).toBe('SUCCESS');
	});
});

describe('numericIds quirk', () => {
	it('writes taskId as a bare number that JSON.parse cannot hold', async () => {
		sim.numericIds = true;
		const res = await client.post(
			sim.baseUrl + '/task/openapi/create',
			{ apiKey: SIM_KEY_NORMAL, workflowId: WORKFLOW_ID_TXT2IMG },
			{ transformResponse: (d: string) => d },
		);
		const text = res.data as unknown as string;
		const m = /"taskId":(\d{19})[,}]/.exec(text);
		expect(m).not.toBeNull();
		const exact = (m as RegExpExecArray)[1];
		expect(sim.getTask(exact)).toBeDefined();
		expect(String(JSON.parse(text).data.taskId)).not.toBe(exact);
		const q = await client.post(
			sim.baseUrl + '/openapi/v2/query',
			{ taskId: exact },
			{ ...bearer(SIM_KEY_NORMAL), transformResponse: (d: string) => d },
		);
		expect(q.data as unknown as string).toContain(`"taskId":${exact},`);
	});
});

describe('request recording', () => {
	it('records headers and bodies so tests can check where the key went', async () => {
		await query('1904152026220003329');
		const req = sim.requests.at(-1);
		expect(req?.route).toBe('v2.query');
		expect(req?.headers.authorization).toBe(`Bearer ${SIM_KEY_NORMAL}`);
		expect(req?.body).toEqual({ taskId: '1904152026220003329' });
		expect(sim.stats.byRoute['v2.query']).toBe(1);
	});
});

describe('control API', () => {
	it('faults, config, state and reset over HTTP', async () => {
		const add = await client.post(`${sim.baseUrl}/__sim/faults`, {
			route: '^/task/openapi/(status|outputs)$',
			regex: true,
			kind: 'code',
			code: 500,
			times: -1,
		});
		expect(add.data).toMatchObject({ ok: true, faults: 1 });
		expect(
			(await post('/task/openapi/outputs', { apiKey: SIM_KEY_NORMAL, taskId: '1' })).data.code,
		).toBe(500);
		expect(
			(await post('/task/openapi/status', { apiKey: SIM_KEY_NORMAL, taskId: '1' })).data.code,
		).toBe(500);
		await client.delete(`${sim.baseUrl}/__sim/faults`);
		expect(
			(await post('/task/openapi/status', { apiKey: SIM_KEY_NORMAL, taskId: '1' })).data.code,
		).toBe(807);

		const cfg = await client.post(`${sim.baseUrl}/__sim/config`, {
			queuedMs: 5,
			runningMs: 5,
			concurrency: { [SIM_KEY_NORMAL]: 7 },
			nextTaskOutcome: 'fail',
		});
		expect(cfg.data.config).toMatchObject({
			queuedMs: 5,
			runningMs: 5,
			concurrency: { [SIM_KEY_NORMAL]: 7 },
		});
		const created = await v1Create();
		await waitForStatus(created.data.taskId, ['FAILED']);

		const state = await client.get(`${sim.baseUrl}/__sim/state`);
		expect(state.data.tasks).toHaveLength(1);
		expect(state.data.tasks[0]).toMatchObject({
			taskId: created.data.taskId,
			status: 'FAILED',
			kind: 'workflow',
		});
		expect(state.data.stats.tasksCreated).toBe(1);
		expect(state.data.requestsCount).toBe(sim.requests.length);

		await client.post(`${sim.baseUrl}/__sim/reset`);
		expect(sim.tasks.size).toBe(0);
		expect(sim.options.queuedMs).toBe(30);
		expect((await client.post(`${sim.baseUrl}/__sim/faults`, { kind: 'nope' })).status).toBe(400);
	});

	it('unknown paths answer 412 like the real gateway', async () => {
		expect((await post('/task/openapi/nope', {})).data).toMatchObject({
			code: 412,
			msg: 'TOKEN_INVALID',
		});
		expect(sim.requests.at(-1)?.route).toBe('unknown');
	});
});
