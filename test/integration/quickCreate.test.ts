/**
 * Quick Create over real HTTP against the simulator: the style library loaded from
 * /api/fast/creation/model/params, runs through /task/openapi/quick-ai-app/run with waiting and
 * outputs like every other run, styles put into LORA fields, binary inputs uploaded first.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { callNodeMethod, prepareBinary, runNode, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import {
	QUICK_CREATE_REFERENCE_EDIT,
	QUICK_CREATE_TEXT_TO_IMAGE,
	SIM_KEY_NORMAL,
	makePng,
} from '../simulator';

const sim = useSimulator();

const credentials = () => simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL);

const EDIT_LIST = [
	{
		nodeId: '39',
		nodeName: 'LoadImage',
		fieldName: 'image',
		fieldType: 'IMAGE',
		fieldValue: 'example.png',
		description: '上传图像',
	},
	{
		nodeId: '52',
		nodeName: 'RH_Translator',
		fieldName: 'prompt',
		fieldType: 'STRING',
		fieldValue: 'make it a watercolour',
		description: '图像编辑文本输入框',
	},
];

function runParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'quickCreate',
		operation: 'run',
		webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
		quickCreateCode: QUICK_CREATE_REFERENCE_EDIT.code,
		nodeInfoListJson: JSON.stringify(EDIT_LIST),
		styleId: '',
		waitMode: 'wait',
		options: { pollIntervalSeconds: 0.1, timeoutSeconds: 20 },
		...overrides,
	};
}

function createRequests() {
	return sim.requests.filter((request) => request.route === 'v1.quickCreateRun');
}

describe('Quick Create › Run', () => {
	it('sends webappId, quickCreateCode and the list as given, waits and returns the files', async () => {
		const { output } = await runNode({
			parameters: runParameters() as never,
			credentials: credentials(),
		});
		const [request] = createRequests();
		expect(request.body).toMatchObject({
			apiKey: SIM_KEY_NORMAL,
			webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
			quickCreateCode: '002',
			nodeInfoList: EDIT_LIST,
		});
		const item = output[0][0];
		expect(item.json).toMatchObject({
			status: 'SUCCESS',
			webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
			quickCreateCode: '002',
		});
		expect(item.json.outputs).toEqual([
			expect.objectContaining({ fileType: 'png', nodeId: '115' }),
		]);
		expect(Object.keys(item.binary ?? {})).toHaveLength(1);
	});

	it('"Return Task ID" returns at once with the new task', async () => {
		const { output } = await runNode({
			parameters: runParameters({ waitMode: 'submit' }) as never,
			credentials: credentials(),
		});
		expect(output[0][0].json).toMatchObject({ status: 'QUEUED', quickCreateCode: '002' });
		expect(sim.getTask(String(output[0][0].json.taskId))?.webappId).toBe(
			QUICK_CREATE_REFERENCE_EDIT.webappId,
		);
	});

	it('uploads a binary: input first and sends the returned file name', async () => {
		const items = [
			{
				json: {},
				binary: { data: await prepareBinary(makePng('me', 24, 24), 'me.png', 'image/png') },
			},
		];
		const list = [{ ...EDIT_LIST[0], fieldValue: 'binary:data' }, EDIT_LIST[1]];
		await runNode({
			parameters: runParameters({ nodeInfoListJson: JSON.stringify(list) }) as never,
			credentials: credentials(),
			items,
		});
		const sent = createRequests()[0].body as { nodeInfoList: IDataObject[] };
		expect(String(sent.nodeInfoList[0].fieldValue)).toMatch(/^openapi\/[0-9a-f]{64}\.png$/);
		expect(sim.stats.uploads).toBe(1);
	});

	it('a style from the model library fills the LORA field', async () => {
		const options = await callNodeMethod<INodePropertyOptions[]>(
			'loadOptions',
			'getQuickCreateStyles',
			{
				parameters: {
					...runParameters({ webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId }),
				} as never,
				credentials: credentials(),
			},
		);
		expect(options.map((option) => option.name)).toEqual([
			'No Style',
			'【游戏】美漫画风',
			'【游戏】Q版卡通角色',
		]);
		const list = [
			{
				nodeId: '6',
				nodeName: 'RH_Translator',
				fieldName: 'prompt',
				fieldType: 'STRING',
				fieldValue: 'a knight',
				description: '',
			},
			{
				nodeId: '41',
				nodeName: 'RHLoraLoader',
				fieldName: 'lora_name',
				fieldType: 'LORA',
				fieldValue: '',
				description: '',
			},
		];
		const { output } = await runNode({
			parameters: runParameters({
				webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId,
				quickCreateCode: QUICK_CREATE_TEXT_TO_IMAGE.code,
				nodeInfoListJson: JSON.stringify(list),
				styleId: '2',
			}) as never,
			credentials: credentials(),
		});
		const sent = createRequests()[0].body as { nodeInfoList: IDataObject[] };
		expect(sent.nodeInfoList[1].fieldValue).toBe('chibiflux-v1 lora-000008.TA_trained.safetensors');
		expect(output[0][0].json).toMatchObject({ status: 'SUCCESS', style: '【游戏】Q版卡通角色' });
	});

	it('refuses a style when the list has no LORA field, before creating a task', async () => {
		await expect(
			runNode({
				parameters: runParameters({
					webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId,
					quickCreateCode: QUICK_CREATE_TEXT_TO_IMAGE.code,
					styleId: '1',
				}) as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(/no field with "fieldType": "LORA"/);
		expect(createRequests()).toHaveLength(0);
	});

	it("RunningHub's rejection of a wrong code names the code", async () => {
		await expect(
			runNode({
				parameters: runParameters({ quickCreateCode: '009' }) as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(/301/);
	});

	it('checks the App ID before calling RunningHub', async () => {
		await expect(
			runNode({
				parameters: runParameters({ webappId: 'abc' }) as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(/App ID must be the 19-digit webappId/);
		expect(sim.requests).toHaveLength(0);
	});

	it.each([
		[
			'18 digits',
			'195734625256229683',
			/Quick Create App ID must have 19 digits, got "195734625256229683"/,
		],
		[
			'a number that lost its last digits',
			1957346252562296834,
			/arrived as a JavaScript number and has lost its last digits/,
		],
		['nothing', '  ', /Quick Create App is empty: enter its ID/],
	])(
		'refuses an App ID of %s, saying how to give it, before calling RunningHub',
		async (_case, webappId, message) => {
			const error = await runNode({
				parameters: runParameters({ webappId }) as never,
				credentials: credentials(),
			}).then(
				() => undefined,
				(thrown: Error & { description?: string }) => thrown,
			);
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/click "Call API" and copy "webappId"/);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('trims the App ID, as every other ID', async () => {
		await runNode({
			parameters: runParameters({ webappId: ` ${QUICK_CREATE_REFERENCE_EDIT.webappId} ` }) as never,
			credentials: credentials(),
		});
		expect(createRequests()[0].body).toMatchObject({
			webappId: QUICK_CREATE_REFERENCE_EDIT.webappId,
		});
	});

	it('the style list asks for a valid App ID before calling RunningHub', async () => {
		await expect(
			callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getQuickCreateStyles', {
				parameters: runParameters({ webappId: '' }) as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(/Quick Create App is empty: enter its ID/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Quick Create › Get Styles', () => {
	it('returns one item per style with its LoRA files, trigger words and sample prompt', async () => {
		const { output } = await runNode({
			parameters: {
				resource: 'quickCreate',
				operation: 'getStyles',
				webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId,
				styleType: 2,
			},
			credentials: credentials(),
		});
		expect(output[0]).toHaveLength(2);
		expect(output[0][0].json).toMatchObject({
			id: '1',
			modelName: '【游戏】美漫画风',
			modelTrigger: 'Character concept design，hand painting style',
			loras: [
				{ fileName: 'F.1_陌no_美漫画风_V1.0.safetensors', weight: 0.7 },
				{ fileName: 'F.1_陌no_美漫画风_V1.0.safetensors', weight: 0 },
			],
		});
		expect(output[0][1].json.loras).toEqual([
			{ fileName: 'chibiflux-v1 lora-000008.TA_trained.safetensors', weight: 0.75 },
		]);
		const [request] = sim.requests.filter((r) => r.route === 'v1.quickCreateStyles');
		expect(request.headers.authorization).toBe(`Bearer ${SIM_KEY_NORMAL}`);
		expect(request.body).toMatchObject({ type: 2, webappId: QUICK_CREATE_TEXT_TO_IMAGE.webappId });
	});
});
