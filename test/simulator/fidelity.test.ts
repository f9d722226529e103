/**
 * The simulator's answers that follow RunningHub's real shapes where an earlier understanding was
 * wrong: flat price preview, v2 failures without details, unknown tasks, promptTips warnings,
 * encrypted apps with the COMBO list format, and Quick Create. Over real HTTP.
 */

import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import {
	ENCRYPTED_APP_PASSWORD,
	QUICK_CREATE_REFERENCE_EDIT,
	QUICK_CREATE_TEXT_TO_IMAGE,
	SIM_KEY_NORMAL,
	SIM_KEY_SHARED,
	WEBAPP_ID_ENCRYPTED,
	WORKFLOW_ID_TXT2IMG,
} from './index';
import { useSimulator } from '../harness/simulator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Poll-driven lifecycle: a task ends after two status views, so no test waits on a clock.
const sim = useSimulator({ options: { pollsBeforeDone: 2 } });
const client = axios.create({ validateStatus: () => true });

async function post(
	path: string,
	body: unknown,
	config: AxiosRequestConfig = {},
): Promise<AxiosResponse<Json>> {
	return await client.post(sim.baseUrl + path, body, config);
}

const bearer = (key: string): AxiosRequestConfig => ({
	headers: { Authorization: `Bearer ${key}` },
});

async function query(taskId: string): Promise<Json> {
	return (await post('/openapi/v2/query', { taskId }, bearer(SIM_KEY_NORMAL))).data;
}

async function failedWorkflowTask(): Promise<string> {
	const created = await post('/task/openapi/create', {
		apiKey: SIM_KEY_NORMAL,
		workflowId: WORKFLOW_ID_TXT2IMG,
		nodeInfoList: [{ nodeId: '6', fieldName: 'text', fieldValue: 'a cat [[fail]]' }],
	});
	const taskId = created.data.data.taskId as string;
	await query(taskId);
	await query(taskId);
	return taskId;
}

describe('price preview', () => {
	it('answers flat, without a code/data envelope', async () => {
		const res = await post(
			'/openapi/v2/price-preview/seedream-v4/text-to-image',
			{ prompt: 'x' },
			bearer(SIM_KEY_SHARED),
		);
		expect(res.data).toEqual({
			errorCode: 0,
			errorMessage: '',
			estimatedPrice: 0.2,
			currency: 'CNY',
			priceText: '¥0.20/次',
			priceTextEn: 'CNY 0.20/call',
			freeLimit: false,
			freeLimitCount: '0',
			remainingFreeLimitCount: '0',
			isFreeThisCall: false,
		});
	});

	it('can answer errorCode "" instead of 0', async () => {
		sim.options.pricePreviewErrorCode = '';
		const res = await post(
			'/openapi/v2/price-preview/seedream-v4/text-to-image',
			{ prompt: 'x' },
			bearer(SIM_KEY_SHARED),
		);
		expect(res.data.errorCode).toBe('');
		expect(res.data.estimatedPrice).toBe(0.2);
	});
});

describe('v2 failures', () => {
	it("by default carry the failing node in the v2 query's failedReason", async () => {
		const taskId = await failedWorkflowTask();
		const answer = await query(taskId);
		expect(answer).toMatchObject({ status: 'FAILED', errorCode: '805' });
		expect(answer.failedReason).toMatchObject({ node_id: '6', node_name: 'CLIPTextEncode' });
	});

	it('in "empty" mode answer 1015 with an empty failedReason; v1 outputs still name the node', async () => {
		sim.options.v2FailedReason = 'empty';
		const taskId = await failedWorkflowTask();
		const answer = await query(taskId);
		expect(answer).toMatchObject({
			status: 'FAILED',
			errorCode: '1015',
			errorMessage: 'Generation failed, please try again.',
			failedReason: {},
		});
		const v1 = (await post('/task/openapi/outputs', { apiKey: SIM_KEY_NORMAL, taskId })).data;
		expect(v1.code).toBe(805);
		expect(v1.data.failedReason).toMatchObject({ node_id: '6', node_name: 'CLIPTextEncode' });
	});

	it('the mode can be chosen per task', async () => {
		sim.nextTaskOutcome({ result: 'fail', v2FailedReason: 'empty' });
		const created = await post('/task/openapi/create', {
			apiKey: SIM_KEY_NORMAL,
			workflowId: WORKFLOW_ID_TXT2IMG,
		});
		const taskId = created.data.data.taskId as string;
		await query(taskId);
		await query(taskId);
		expect((await query(taskId)).failedReason).toEqual({});
	});
});

describe('unknown tasks', () => {
	it('echo the asked task ID with errorCode 1004 and an empty status', async () => {
		expect(await query('1904152026220003329')).toEqual({
			taskId: '1904152026220003329',
			status: '',
			errorCode: '1004',
			errorMessage: 'Task not found, please check the task ID | 任务不存在或已过期，请检查任务ID',
			results: null,
			failedReason: {},
			usage: null,
		});
	});

	it('can answer status FAILED instead', async () => {
		sim.options.unknownTaskStatus = 'FAILED';
		expect(await query('1904152026220003329')).toMatchObject({
			taskId: '1904152026220003329',
			status: 'FAILED',
			errorCode: '1004',
		});
	});
});

describe('promptTips', () => {
	it('reports node errors with result true when the other outputs still run', async () => {
		const created = await post('/task/openapi/create', {
			apiKey: SIM_KEY_NORMAL,
			workflowId: WORKFLOW_ID_TXT2IMG,
			nodeInfoList: [{ nodeId: '7', fieldName: 'text', fieldValue: 'blurry [[warn]]' }],
		});
		const tips = JSON.parse(created.data.data.promptTips as string);
		expect(tips.result).toBe(true);
		expect(tips.error).toBeNull();
		expect(Object.keys(tips.node_errors)).toEqual(['7']);
		const taskId = created.data.data.taskId as string;
		await query(taskId);
		await query(taskId);
		expect((await query(taskId)).status).toBe('SUCCESS');
	});
});

describe('encrypted AI app with the COMBO list format', () => {
	it('apiCallDemo reports accessEncrypted and the COMBO fieldData', async () => {
		const demo = await client.get(`${sim.baseUrl}/api/webapp/apiCallDemo`, {
			params: { apiKey: SIM_KEY_NORMAL, webappId: WEBAPP_ID_ENCRYPTED },
		});
		expect(demo.data.data.accessEncrypted).toBe(true);
		const ratio = (demo.data.data.nodeInfoList as Json[]).find(
			(f) => f.fieldName === 'aspectRatio',
		);
		expect(JSON.parse(ratio?.fieldData as string)).toEqual([
			'COMBO',
			{ options: ['1:1', '3:4', '9:16', '16:9'], default: '1:1', tooltip: 'Poster aspect ratio' },
		]);
	});

	it('runs only with the access password, and checks COMBO values', async () => {
		const run = async (extra: Json) =>
			(
				await post('/task/openapi/ai-app/run', {
					apiKey: SIM_KEY_NORMAL,
					webappId: WEBAPP_ID_ENCRYPTED,
					nodeInfoList: [{ nodeId: '24', fieldName: 'aspectRatio', fieldValue: '9:16' }],
					...extra,
				})
			).data;
		expect((await run({})).code).toBe(301);
		expect((await run({ accessPassword: 'wrong' })).code).toBe(301);
		const ok = await run({ accessPassword: ENCRYPTED_APP_PASSWORD });
		expect(ok.code).toBe(0);
		expect(JSON.parse(ok.data.promptTips).result).toBe(true);
		const bad = await run({
			accessPassword: ENCRYPTED_APP_PASSWORD,
			nodeInfoList: [{ nodeId: '24', fieldName: 'aspectRatio', fieldValue: '2:1' }],
		});
		expect(JSON.parse(bad.data.promptTips).node_errors['24'].errors[0].type).toBe(
			'value_not_in_list',
		);
	});
});

describe('Quick Create', () => {
	it('lists the model-library styles of a module (Bearer auth, v1 envelope)', async () => {
		const res = await post(
			'/api/fast/creation/model/params',
			{ type: 2, webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId },
			bearer(SIM_KEY_NORMAL),
		);
		expect(res.data.code).toBe(0);
		expect((res.data.data as Json[]).map((s) => s.modelName)).toEqual([
			'【游戏】美漫画风',
			'【游戏】Q版卡通角色',
		]);
		expect(res.data.data[1]).toMatchObject({ modelLoar2FileName: null, modelLoar1Weight: 0.75 });
		const noBearer = await post('/api/fast/creation/model/params', {
			type: 2,
			webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId,
		});
		expect(noBearer.data).toEqual({ code: 412, msg: 'TOKEN_INVALID' });
	});

	it('runs a module like an AI app and the task ends with outputs', async () => {
		const res = await post('/task/openapi/quick-ai-app/run', {
			apiKey: SIM_KEY_NORMAL,
			webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
			quickCreateCode: QUICK_CREATE_REFERENCE_EDIT.code,
			nodeInfoList: [
				{
					nodeId: '159',
					nodeName: 'ImpactSwitch',
					fieldName: 'select',
					fieldType: 'SWITCH',
					fieldValue: '3',
					description: '设置比例',
				},
			],
		});
		expect(res.data.code).toBe(0);
		expect(res.data.data).toMatchObject({ taskStatus: 'QUEUED', netWssUrl: null });
		const taskId = res.data.data.taskId as string;
		await query(taskId);
		await query(taskId);
		const done = await query(taskId);
		expect(done.status).toBe('SUCCESS');
		expect(done.results[0]).toMatchObject({ outputType: 'png', nodeId: '115' });
	});

	it('rejects a wrong code or an unknown field', async () => {
		const run = async (extra: Json) =>
			(
				await post('/task/openapi/quick-ai-app/run', {
					apiKey: SIM_KEY_NORMAL,
					webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
					quickCreateCode: QUICK_CREATE_REFERENCE_EDIT.code,
					nodeInfoList: [],
					...extra,
				})
			).data;
		expect((await run({ quickCreateCode: '001' })).code).toBe(301);
		expect(
			(await run({ nodeInfoList: [{ nodeId: '999', fieldName: 'x', fieldValue: '1' }] })).code,
		).toBe(803);
		expect((await run({ webappId: '1111111111111111111' })).code).toBe(901);
	});
});
