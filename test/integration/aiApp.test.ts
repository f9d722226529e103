/**
 * AI App › Run over real HTTP against the simulator: inputs typed from the app's API example,
 * overrides as the simulator receives them, binary uploads, waiting, downloads and batches.
 */
import type { IDataObject, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import {
	callNodeMethod,
	prepareBinary,
	resourceMapperValue,
	runNode,
	simulatorCredentials,
} from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { SIM_KEY_NORMAL, WEBAPP_ID_PORTRAIT, WEBAPP_ID_TEXT_TO_VIDEO, makePng } from '../simulator';

const sim = useSimulator();

const credentials = () => simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL);
const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

async function loadFields(webappId: IDataObject): Promise<ResourceMapperField[]> {
	const result = await callNodeMethod<ResourceMapperFields>('resourceMapping', 'getAppInputs', {
		parameters: { resource: 'aiApp', operation: 'run', webappId: webappId as never },
		credentials: credentials(),
	});
	return result.fields;
}

const mapperValue = (fields: ResourceMapperField[], values: IDataObject) =>
	resourceMapperValue(values, fields);

function runParameters(
	webappId: string,
	extra: IDataObject = {},
	options: IDataObject = {},
): IDataObject {
	return {
		resource: 'aiApp',
		operation: 'run',
		webappId: locator(webappId),
		waitMode: 'wait',
		...extra,
		options: { pollIntervalSeconds: 0.1, timeoutSeconds: 20, ...options },
	};
}

const runBodies = () =>
	sim.requests
		.filter((request) => request.path === '/task/openapi/ai-app/run')
		.map((request) => request.body as IDataObject);

describe('AI App inputs (resource mapper)', () => {
	it('types the fields from the app template: media, number with range, options, boolean', async () => {
		const portrait = new Map(
			(await loadFields(locator(WEBAPP_ID_PORTRAIT))).map((field) => [field.id, field]),
		);
		expect(portrait.get('12##image')).toMatchObject({
			type: 'string',
			defaultValue: 'example.png',
		});
		// the app's own description first, then its node
		expect(portrait.get('12##image')!.displayName).toBe('Upload a portrait photo · LoadImage #12');
		expect(portrait.get('3##steps')).toMatchObject({ type: 'number', defaultValue: 20 });
		expect(portrait.get('3##steps')!.displayName).toBe('Sampling steps (1–100) · KSampler #3');
		expect(portrait.get('25##style')).toMatchObject({
			type: 'options',
			defaultValue: 'watercolor',
		});
		expect(portrait.get('25##style')!.options!.map((option) => option.value)).toEqual([
			'watercolor',
			'oil painting',
			'anime',
			'pixel art',
		]);
		expect(sim.requests[0]).toMatchObject({
			method: 'GET',
			path: '/api/webapp/apiCallDemo',
			query: { webappId: WEBAPP_ID_PORTRAIT },
		});

		const video = new Map(
			(
				await loadFields(
					locator(`https://www.runninghub.cn/webapp/${WEBAPP_ID_TEXT_TO_VIDEO}`, 'url'),
				)
			).map((field) => [field.id, field]),
		);
		expect(video.get('40##enable_audio')).toMatchObject({ type: 'boolean', defaultValue: false });
		expect(video.get('27##cfg')).toMatchObject({ type: 'number', defaultValue: 6 });
		expect(video.get('30##aspect_ratio')!.options).toHaveLength(3);
	});
});

describe('AI App › Run', () => {
	it('sends the changed fields as strings, waits and returns the image', async () => {
		const fields = await loadFields(locator(WEBAPP_ID_PORTRAIT));
		const { output } = await runNode({
			parameters: runParameters(WEBAPP_ID_PORTRAIT, {
				inputs: mapperValue(fields, {
					'6##text': 'a cat astronaut',
					'3##steps': 30,
					'25##style': 'anime',
				}),
			}) as never,
			credentials: credentials(),
		});
		expect(runBodies()[0]).toMatchObject({
			webappId: WEBAPP_ID_PORTRAIT,
			nodeInfoList: [
				{ nodeId: '6', fieldName: 'text', fieldValue: 'a cat astronaut' },
				{ nodeId: '3', fieldName: 'steps', fieldValue: '30' },
				{ nodeId: '25', fieldName: 'style', fieldValue: 'anime' },
			],
		});
		const item = output[0][0];
		expect(item.json).toMatchObject({ status: 'SUCCESS', webappId: WEBAPP_ID_PORTRAIT });
		expect(item.binary?.data.mimeType).toBe('image/png');
		const task = sim.getTask(String(item.json.taskId))!;
		expect(JSON.stringify(task.inputs)).toContain('a cat astronaut');
	});

	it('uploads a binary input for an IMAGE field', async () => {
		const fields = await loadFields(locator(WEBAPP_ID_PORTRAIT));
		const items = [
			{
				json: {},
				binary: { data: await prepareBinary(makePng('portrait', 24, 24), 'me.png', 'image/png') },
			},
		];
		const { output } = await runNode({
			parameters: runParameters(WEBAPP_ID_PORTRAIT, {
				inputs: mapperValue(fields, { '12##image': 'binary:data' }),
			}) as never,
			credentials: credentials(),
			items,
		});
		expect(sim.stats.uploads).toBe(1);
		const image = (runBodies()[0].nodeInfoList as IDataObject[])[0];
		expect(image).toMatchObject({ nodeId: '12', fieldName: 'image' });
		expect(String(image.fieldValue)).toMatch(/^openapi\/[0-9a-f]+\.png$/);
		expect(output[0][0].json.status).toBe('SUCCESS');
	});

	it('runs the video app with a boolean and a float, returning an mp4', async () => {
		const fields = await loadFields(locator(WEBAPP_ID_TEXT_TO_VIDEO));
		const { output } = await runNode({
			parameters: runParameters(WEBAPP_ID_TEXT_TO_VIDEO, {
				inputs: mapperValue(fields, { '40##enable_audio': true, '27##cfg': 7.5 }),
			}) as never,
			credentials: credentials(),
		});
		expect(runBodies()[0].nodeInfoList).toEqual([
			{ nodeId: '40', fieldName: 'enable_audio', fieldValue: 'true' },
			{ nodeId: '27', fieldName: 'cfg', fieldValue: '7.5' },
		]);
		expect(output[0][0].binary?.data.mimeType).toBe('video/mp4');
	});

	it.each([
		[{ '3##steps': 150 }, /Value 150 of "steps" \(node #3\) must be between 1 and 100/],
		[{ '25##style': 'cubism' }, /Value "cubism" of "style" \(node #25\) is not one of its options/],
		[{ '77##text': 'x' }, /Node ID "77" does not exist in AI app/],
	])('rejects %j before creating a task', async (values, message) => {
		const fields = await loadFields(locator(WEBAPP_ID_PORTRAIT));
		const schema = [
			...fields,
			{ id: '77##text', displayName: 'stale', required: false, defaultMatch: false, display: true },
		] as ResourceMapperField[];
		await expect(
			runNode({
				parameters: runParameters(WEBAPP_ID_PORTRAIT, {
					inputs: mapperValue(schema, values),
				}) as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(message);
		expect(sim.stats.createRequests).toBe(0);
	});

	it('returns the task ID in "Return Task ID" mode and accepts a Node Info List (JSON)', async () => {
		const { output } = await runNode({
			parameters: {
				...runParameters(WEBAPP_ID_PORTRAIT, {
					inputMode: 'nodeInfoListJson',
					nodeInfoListJson: '[{"nodeId":"6","fieldName":"text","fieldValue":"json prompt"}]',
				}),
				webappId: locator(`https://www.runninghub.ai/ai-detail/${WEBAPP_ID_PORTRAIT}`, 'url'),
				waitMode: 'submit',
			} as never,
			credentials: credentials(),
		});
		expect(output[0][0].json).toMatchObject({ webappId: WEBAPP_ID_PORTRAIT });
		expect(output[0][0].json.taskId).toMatch(/^\d{19}$/);
		expect(runBodies()[0].nodeInfoList).toEqual([
			{ nodeId: '6', fieldName: 'text', fieldValue: 'json prompt' },
		]);
		expect(sim.stats.statusRequests).toBe(0);
	});

	it('rejects an app URL of another site', async () => {
		await expect(
			runNode({
				parameters: {
					...runParameters(WEBAPP_ID_PORTRAIT),
					webappId: locator(
						`https://runninghub.example.org/ai-detail/${WEBAPP_ID_PORTRAIT}`,
						'url',
					),
				} as never,
				credentials: credentials(),
			}),
		).rejects.toThrow(/is on runninghub\.example\.org, not on RunningHub/);
		expect(sim.requests).toHaveLength(0);
	});

	it('runs several items concurrently and keeps their order', async () => {
		const fields = await loadFields(locator(WEBAPP_ID_PORTRAIT));
		const items = Array.from({ length: 4 }, (_, index) => ({
			json: { prompt: `app prompt ${index}` },
		}));
		const { output } = await runNode({
			parameters: runParameters(
				WEBAPP_ID_PORTRAIT,
				{ inputs: mapperValue(fields, { '6##text': '={{ $json.prompt }}' }) },
				{ maxConcurrentTasks: 2, downloadOutputs: false },
			) as never,
			credentials: credentials(),
			items,
		});
		output[0].forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(JSON.stringify(sim.getTask(String(item.json.taskId))!.inputs)).toContain(
				`app prompt ${index}`,
			);
		});
		expect(sim.requests.filter((r) => r.path === '/api/webapp/apiCallDemo')).toHaveLength(2);
	});
});
