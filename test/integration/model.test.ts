/**
 * Model › Generate and Model › Price Preview over real HTTP against the simulator, through n8n-core's
 * real execution, load-options, request and binary helpers. Assertions are on what the simulator
 * received and on the node's output.
 */
import { createHash } from 'crypto';
import type {
	IDataObject,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeParameters,
	ResourceMapperFields,
} from 'n8n-workflow';

import {
	callNodeMethod,
	prepareBinary,
	resourceMapperValue,
	runNode,
	simulatorCredentials,
} from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import type { RecordedRequest } from '../simulator';
import { makePng } from '../simulator';
import { SIM_KEY_NORMAL, SIM_KEY_SHARED } from '../simulator/keys';
import docPages from '../../data/model-doc-pages.json';

const sim = useSimulator();

const DOC_PAGES: Record<string, string | undefined> = docPages.pages;
const mapper = (value: IDataObject): IDataObject => resourceMapperValue(value);

interface GenerateOptions {
	endpoint: string;
	mode?: 'list' | 'id';
	values?: IDataObject;
	additional?: string | IDataObject;
	operation?: 'generate' | 'pricePreview';
	waitMode?: string;
	options?: IDataObject;
	items?: INodeExecutionData[];
	apiKey?: string;
	continueOnFail?: boolean;
}

function parameters(o: GenerateOptions): INodeParameters {
	return {
		resource: 'model',
		operation: o.operation ?? 'generate',
		modelEndpoint: { __rl: true, mode: o.mode ?? 'list', value: o.endpoint },
		modelParameters: mapper(o.values ?? {}),
		additionalParameters: o.additional ?? '{}',
		waitMode: o.waitMode ?? 'wait',
		options: { pollIntervalSeconds: 0.1, timeoutSeconds: 20, ...(o.options ?? {}) },
	} as INodeParameters;
}

async function run(o: GenerateOptions) {
	return await runNode({
		parameters: parameters(o),
		credentials: simulatorCredentials(sim.baseUrl, o.apiKey ?? SIM_KEY_SHARED),
		items: o.items,
		continueOnFail: o.continueOnFail,
	});
}

function requestsOf(route: string): RecordedRequest[] {
	return sim.requests.filter((request) => request.route === route);
}

function modelRequests(): RecordedRequest[] {
	return requestsOf('v2.model');
}

async function imageItem(name = 'photo'): Promise<{ item: INodeExecutionData; bytes: Buffer }> {
	const bytes = makePng(`input-${name}`, 24, 24);
	return {
		item: { json: {}, binary: { [name]: await prepareBinary(bytes, `${name}.png`, 'image/png') } },
		bytes,
	};
}

async function fetchBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

async function expectFailure(
	promise: Promise<unknown>,
): Promise<{ message: string; description: string }> {
	let caught: unknown;
	try {
		await promise;
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeDefined();
	const error = caught as { message: string; description?: string | null };
	return { message: error.message, description: error.description ?? '' };
}

describe('Model › Generate', () => {
	it('text-to-image: sends the typed body with Bearer auth, waits and downloads the image', async () => {
		const { output } = await run({
			endpoint: 'rhart-image-v1/text-to-image',
			values: { prompt: 'a red fox in snow', aspectRatio: '16:9' },
		});

		const [request] = modelRequests();
		expect(request.path).toBe('/openapi/v2/rhart-image-v1/text-to-image');
		expect(request.headers.authorization).toBe(`Bearer ${SIM_KEY_SHARED}`);
		expect(request.body).toEqual({ prompt: 'a red fox in snow', aspectRatio: '16:9' });

		const item = output[0][0];
		expect(item.json.status).toBe('SUCCESS');
		expect(item.json.model).toBe('rhart-image-v1/text-to-image');
		expect(typeof item.json.taskId).toBe('string');
		expect(item.json.taskId).toMatch(/^\d{19}$/);
		expect(item.binary?.data?.mimeType).toBe('image/png');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(requestsOf('v2.query').length).toBeGreaterThan(0);
	});

	it('image-to-video: uploads the binary input and sends its download URL', async () => {
		const { item, bytes } = await imageItem('photo');
		const { output } = await run({
			endpoint: 'alibaba/wan-2.6/image-to-video',
			values: {
				imageUrl: 'binary:photo',
				prompt: 'the fox starts running',
				resolution: '720p',
				duration: 5,
				shotType: 'single',
			},
			items: [item],
		});

		const [upload] = requestsOf('v2.upload');
		expect(upload.headers.authorization).toBe(`Bearer ${SIM_KEY_SHARED}`);
		const [request] = modelRequests();
		const body = request.body as IDataObject;
		expect(body.duration).toBe('5');
		expect(typeof body.imageUrl).toBe('string');
		const sha = createHash('sha256').update(bytes).digest('hex');
		expect(body.imageUrl as string).toContain(sha);
		expect(body.imageUrl as string).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+q-sign-algorithm=sha1/);
		expect(await fetchBytes(body.imageUrl as string)).toEqual(bytes);
		// Upload before the billable call.
		expect(sim.requests.indexOf(upload)).toBeLessThan(sim.requests.indexOf(request));

		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(output[0][0].binary?.data?.mimeType).toBe('video/mp4');
	});

	it('accepts several files for an array field: binary references and URLs, comma-separated', async () => {
		const first = await imageItem('a');
		const second = await prepareBinary(makePng('b'), 'b.png', 'image/png');
		const item = { json: {}, binary: { ...first.item.binary, b: second } };
		await run({
			endpoint: 'rhart-image-v1/edit',
			values: {
				prompt: 'merge them',
				aspectRatio: 'auto',
				imageUrls: 'binary:a, https://example.com/ref.png,binary:b',
			},
			items: [item],
		});
		expect(requestsOf('v2.upload')).toHaveLength(2);
		const body = modelRequests()[0].body as IDataObject;
		const urls = body.imageUrls as string[];
		expect(Array.isArray(urls)).toBe(true);
		expect(urls).toHaveLength(3);
		expect(urls[0]).toContain(createHash('sha256').update(first.bytes).digest('hex'));
		expect(urls[1]).toBe('https://example.com/ref.png');
		expect(urls[2]).toContain('/openapi/');
	});

	it('text-to-audio: FLOAT/INT as numbers, BOOLEAN as JSON booleans, downloads the audio', async () => {
		const { output } = await run({
			endpoint: 'rhart-audio/text-to-audio/speech-2.8-hd',
			values: {
				text: 'Hello there (laughs)',
				voice_id: 'Wise_Woman',
				speed: '1.5',
				pitch: 2,
				enable_base64_output: false,
				english_normalization: 'true',
				emotion: null,
			},
		});
		const body = modelRequests()[0].body as IDataObject;
		expect(body).toEqual({
			text: 'Hello there (laughs)',
			voice_id: 'Wise_Woman',
			speed: 1.5,
			pitch: 2,
			enable_base64_output: false,
			english_normalization: true,
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(output[0][0].binary?.data?.mimeType).toMatch(/^audio\//);
	});

	it('types the body: LIST as strings even when numeric or boolean-looking, BOOLEAN as booleans', async () => {
		await run({
			endpoint: 'kling-v2.6-pro/text-to-video',
			values: { prompt: 'waves', sound: true, aspectRatio: '16:9', duration: 10 },
		});
		await run({
			endpoint: 'hunyuan3d-v3.1/text-to-3d',
			values: { prompt: 'a chair', enablePbr: 'true', generateType: 'normal', faceCount: '20000' },
		});
		const [kling, hunyuan] = modelRequests().map((request) => request.body as IDataObject);
		expect(kling).toEqual({ prompt: 'waves', sound: 'true', aspectRatio: '16:9', duration: '10' });
		expect(hunyuan).toEqual({
			prompt: 'a chair',
			enablePbr: true,
			generateType: 'Normal',
			faceCount: 20000,
		});
	});

	it('fills required LIST fields left empty with the model default', async () => {
		await run({
			endpoint: 'kling-v2.6-pro/text-to-video',
			values: { prompt: 'waves', sound: null, aspectRatio: '', duration: null },
		});
		expect(modelRequests()[0].body).toEqual({
			prompt: 'waves',
			sound: 'true',
			aspectRatio: '9:16',
			duration: '5',
		});
	});

	it('text model: the answer appears as a text output', async () => {
		const { output } = await run({
			endpoint: 'rhart-text-g-25-flash/text-to-text',
			values: { prompt: 'Say hi' },
		});
		const outputs = output[0][0].json.outputs as IDataObject[];
		expect(outputs[0].text).toContain('Say hi');
		expect(output[0][0].binary).toBeUndefined();
	});

	it('a failing generation surfaces errorCode and errorMessage', async () => {
		sim.nextTaskOutcome({
			result: 'fail',
			errorCode: '1501',
			errorMessage: 'Content moderation rejected the prompt',
		});
		const failure = await expectFailure(
			run({
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1' },
			}),
		);
		// the headline says what went wrong; RunningHub's code is in the details
		expect(failure.message).toContain('Content moderation rejected the prompt');
		expect(failure.message).not.toContain('1501');
		expect(failure.description).toContain('RunningHub code 1501');
		expect(failure.message).toMatch(/\[task \d{19}\]/);

		sim.nextTaskOutcome({
			result: 'fail',
			errorCode: '1015',
			errorMessage: 'Generation failed, please try again.',
		});
		const { output } = await run({
			endpoint: 'rhart-image-v1/text-to-image',
			values: { prompt: 'x', aspectRatio: '1:1' },
			continueOnFail: true,
		});
		expect(output[0][0].json.error).toContain('Generation failed, please try again.');
		expect(output[0][0].json.taskId).toMatch(/^\d{19}$/);
		expect(String(output[0][0].json.description)).toContain('RunningHub code 1015');
	});

	it('runs a hand-typed endpoint path the catalogue does not know, with Additional Parameters (JSON)', async () => {
		const { output } = await run({
			endpoint: '/openapi/v2/acme/brand-new-model/text-to-image',
			mode: 'id',
			values: { aspectRatio: '16:9' },
			additional: '{"prompt": "hello", "steps": 4, "style": "5", "hd": true}',
		});
		const [request] = modelRequests();
		expect(request.path).toBe('/openapi/v2/acme/brand-new-model/text-to-image');
		// Mapper values left over from a catalogue model are not sent: only the JSON is.
		expect(request.body).toEqual({ prompt: 'hello', steps: 4, style: '5', hd: true });
		expect(output[0][0].json.model).toBe('acme/brand-new-model/text-to-image');
		expect(output[0][0].json.status).toBe('SUCCESS');
	});

	it('merges Additional Parameters (JSON) into a catalogue model body, typing known keys', async () => {
		await run({
			endpoint: 'kling-v2.6-pro/text-to-video',
			values: { prompt: 'waves', sound: 'false' },
			additional: { duration: 10, extraFlag: 'x' },
		});
		expect(modelRequests()[0].body).toEqual({
			prompt: 'waves',
			sound: 'false',
			aspectRatio: '9:16',
			duration: '10',
			extraFlag: 'x',
		});
	});

	it('explains the 1014 error of a key that is not enterprise-shared in plain words', async () => {
		const failure = await expectFailure(
			run({
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1' },
				apiKey: SIM_KEY_NORMAL,
			}),
		);
		expect(failure.message).toContain(
			'Standard Model API works only with Enterprise-Shared API keys',
		);
		expect(failure.message).toContain('1014');
		expect(failure.description).toContain('Create an Enterprise-Shared key');
		expect(`${failure.message} ${failure.description}`).not.toContain(SIM_KEY_NORMAL);
		expect(modelRequests()).toHaveLength(1);
	});

	it('returns the task ID at once in "Return Task ID" mode', async () => {
		// Held QUEUED until polled: the status the node returns never depends on how fast it answered.
		sim.setDurations({ pollsBeforeDone: 1_000_000 });
		const { output } = await run({
			endpoint: 'rhart-image-v1/text-to-image',
			values: { prompt: 'x', aspectRatio: '1:1' },
			waitMode: 'submit',
		});
		expect(output[0][0].json).toEqual({
			taskId: expect.stringMatching(/^\d{19}$/),
			status: 'QUEUED',
			model: 'rhart-image-v1/text-to-image',
		});
		expect(requestsOf('v2.query')).toHaveLength(0);
	});

	it('runs a batch of items in parallel, keeping order and pairing', async () => {
		const items = ['one', 'two', 'three'].map((prompt) => ({ json: { prompt } }));
		const { output } = await runNode({
			parameters: {
				...parameters({
					endpoint: 'rhart-image-v1/text-to-image',
					options: { maxConcurrentTasks: 3, downloadOutputs: false },
				}),
				modelParameters: mapper({ prompt: '={{ $json.prompt }}', aspectRatio: '1:1' }),
			} as INodeParameters,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
			items,
		});
		expect(output[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(
			modelRequests()
				.map((request) => (request.body as IDataObject).prompt)
				.sort(),
		).toEqual(['one', 'three', 'two']);
		expect(output[0].every((item) => item.json.status === 'SUCCESS')).toBe(true);
	});
});

describe('Model › Generate validation (nothing billable is sent)', () => {
	const cases: Array<{ name: string; options: GenerateOptions; message: RegExp }> = [
		{
			name: 'enum value not allowed',
			options: {
				endpoint: 'kling-v2.6-pro/text-to-video',
				values: { prompt: 'x', sound: 'true', aspectRatio: '7:3', duration: '5' },
			},
			message: /"aspectRatio" must be one of "1:1", "16:9", "9:16" \(got "7:3"\)/,
		},
		{
			name: 'number out of bounds',
			options: { endpoint: 'seedream-v4/text-to-image', values: { prompt: 'x', width: 100 } },
			message: /"width" must be between 512 and 8192 \(got 100\)/,
		},
		{
			name: 'required field missing',
			options: { endpoint: 'rhart-image-v1/text-to-image', values: { aspectRatio: '1:1' } },
			message: /"prompt" is required/,
		},
		{
			name: 'required media missing',
			options: { endpoint: 'alibaba/wan-2.6/image-to-video', values: { prompt: 'x' } },
			message: /"imageUrl" is required: provide an image URL/,
		},
		{
			name: 'unknown endpoint in list mode',
			options: { endpoint: 'acme/not-in-catalogue', values: {} },
			message: /Model "acme\/not-in-catalogue" is not in the built-in model list/,
		},
		{
			name: 'malformed endpoint path',
			options: { endpoint: 'Not A Path!', mode: 'id' },
			message: /Model endpoint path "Not A Path!" is not a model endpoint/,
		},
		{
			name: 'endpoint path of a non-model route',
			options: { endpoint: 'media/upload/binary', mode: 'id' },
			message: /is not a model endpoint/,
		},
		{
			name: 'invalid Additional Parameters (JSON)',
			options: {
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1' },
				additional: '{"seed": 1,}',
			},
			message: /Additional Parameters \(JSON\) is not valid JSON/,
		},
		{
			name: 'Additional Parameters (JSON) not an object',
			options: {
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1' },
				additional: '[1, 2]',
			},
			message: /Additional Parameters \(JSON\) must be a JSON object, got an array/,
		},
		{
			name: 'binary property missing',
			options: {
				endpoint: 'alibaba/wan-2.6/image-to-video',
				values: { imageUrl: 'binary:nope', resolution: '720p', duration: '5', shotType: 'single' },
			},
			message: /Model parameter "imageUrl" \(binary property "nope" of item 0\) does not exist/,
		},
		{
			name: 'a local path instead of a URL',
			options: {
				endpoint: 'alibaba/wan-2.6/image-to-video',
				values: {
					imageUrl: '/tmp/photo.png',
					resolution: '720p',
					duration: '5',
					shotType: 'single',
				},
			},
			message: /"imageUrl" must be a public http\(s\) URL/,
		},
		{
			name: 'a field of another model left in the mapper',
			options: {
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1', duration: '5' },
			},
			message: /"duration", which model "rhart-image-v1\/text-to-image" does not have/,
		},
	];

	it.each(cases)('$name', async ({ options, message }) => {
		const failure = await expectFailure(run(options));
		expect(failure.message).toMatch(message);
		expect(failure.description.length).toBeGreaterThan(10);
		expect(modelRequests()).toHaveLength(0);
		expect(requestsOf('v2.upload')).toHaveLength(0);
	});

	it('names the field and the fix in the description', async () => {
		const failure = await expectFailure(run(cases[0].options));
		expect(failure.description).toContain('"aspectRatio"');
		expect(failure.description).toContain('Nothing was sent to RunningHub');
	});
});

describe("Model › Generate, media inputs checked against the parameter's formats and size", () => {
	const MiB = 1024 * 1024;
	// rhart-image-v1/edit: imageUrls takes JPG and PNG files of at most 10 MB (registry accept/maxSize).
	const EDIT = 'rhart-image-v1/edit';
	const editValues = (imageUrls: string): IDataObject => ({
		prompt: 'merge them',
		aspectRatio: 'auto',
		imageUrls,
	});

	async function fileItem(name: string, bytes: Buffer, fileName: string, mimeType?: string) {
		return { json: {}, binary: { [name]: await prepareBinary(bytes, fileName, mimeType) } };
	}

	async function refusal(o: GenerateOptions): Promise<{ message: string; description: string }> {
		const failure = await expectFailure(run(o));
		expect(requestsOf('v2.upload')).toHaveLength(0);
		expect(modelRequests()).toHaveLength(0);
		expect(sim.stats.createRequests).toBe(0);
		return failure;
	}

	it("a file of exactly the parameter's maximum size is uploaded and sent", async () => {
		const bytes = Buffer.alloc(10 * MiB, 3);
		const item = await fileItem('photo', bytes, 'max.png', 'image/png');
		const { output } = await run({
			endpoint: EDIT,
			values: editValues('binary:photo'),
			items: [item],
		});
		const [upload] = requestsOf('v2.upload');
		expect((upload.body as { files: Array<{ size: number }> }).files[0].size).toBe(bytes.length);
		const urls = (modelRequests()[0].body as IDataObject).imageUrls as string[];
		expect(urls[0]).toContain(createHash('sha256').update(bytes).digest('hex'));
		expect(output[0][0].json.status).toBe('SUCCESS');
	});

	it('refuses a file one byte over the maximum, naming the parameter, the file and the limit', async () => {
		const item = await fileItem('photo', Buffer.alloc(10 * MiB + 1, 3), 'big.png', 'image/png');
		const { message, description } = await refusal({
			endpoint: EDIT,
			values: editValues('binary:photo'),
			items: [item],
		});
		expect(message).toBe(
			'Model parameter "imageUrls" (binary property "photo" of item 0): file "big.png" is 10.0 MB (10485761 bytes), over the limit of 10 MB that model "rhart-image-v1/edit" sets for "imageUrls" (10485760 bytes)',
		);
		expect(description).toMatch(/Make the file smaller/);
	});

	it('refuses a second file over the limit before uploading the first', async () => {
		const small = await prepareBinary(makePng('ok'), 'ok.png', 'image/png');
		const item = await fileItem('big', Buffer.alloc(10 * MiB + 1, 3), 'big.png', 'image/png');
		item.binary = { ok: small, ...item.binary };
		const { message } = await refusal({
			endpoint: EDIT,
			values: editValues('binary:ok, binary:big'),
			items: [item],
		});
		expect(message).toContain('binary property "big"');
	});

	it('refuses a format the parameter does not take, with what it takes', async () => {
		const item = await fileItem(
			'photo',
			Buffer.from('RIFF....WEBPVP8 '),
			'photo.webp',
			'image/webp',
		);
		const { message, description } = await refusal({
			endpoint: EDIT,
			values: editValues('binary:photo'),
			items: [item],
		});
		expect(message).toBe(
			'Model parameter "imageUrls" (binary property "photo" of item 0): file "photo.webp" (extension "webp", MIME type "image/webp") cannot be sent: WEBP is not taken: model "rhart-image-v1/edit" in "imageUrls" takes JPG, PNG',
		);
		expect(description).toMatch(/Convert the file/);
	});

	it('takes a .jpeg file where the parameter lists JPG', async () => {
		const item = await fileItem(
			'photo',
			Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
			'p.jpeg',
			'image/jpeg',
		);
		const { output } = await run({
			endpoint: EDIT,
			values: editValues('binary:photo'),
			items: [item],
		});
		expect(requestsOf('v2.upload')).toHaveLength(1);
		expect(output[0][0].json.status).toBe('SUCCESS');
	});

	it("a format the model takes but RunningHub's upload does not is refused before uploading", async () => {
		// HappyHorse takes BMP first frames; the media upload page lists no BMP.
		const item = await fileItem('frame', Buffer.from('BM......'), 'frame.bmp', 'image/bmp');
		const { message } = await refusal({
			endpoint: 'alibaba/happyhorse-1.0/image-to-video',
			values: { imageUrl: 'binary:frame', resolution: '720p', duration: '5' },
			items: [item],
		});
		expect(message).toContain(
			"BMP is not taken: RunningHub's file upload (/openapi/v2/media/upload/binary) takes JPG, JPEG, PNG, WEBP",
		);
	});

	it('refuses a data: URI over the size limit or of another type, and a link to another type', async () => {
		const bigData = `data:image/png;base64,${Buffer.alloc(10 * MiB + 1).toString('base64')}`;
		const big = await refusal({ endpoint: EDIT, values: editValues(bigData) });
		expect(big.message).toBe(
			'Parameter "imageUrls" got a PNG data: URI of 10.0 MB (10485761 bytes): over the limit of 10 MB that model "rhart-image-v1/edit" sets for "imageUrls" (10485760 bytes)',
		);
		expect(big.description).toContain('Nothing was sent to RunningHub');

		const gif = await refusal({
			endpoint: EDIT,
			values: editValues('data:image/gif;base64,R0lGODlhAQABAAAAACw='),
		});
		expect(gif.message).toMatch(
			/"imageUrls" got a GIF data: URI of \d+ B \(\d+ bytes\): GIF is not taken: .* takes JPG, PNG/,
		);

		const link = await refusal({
			endpoint: EDIT,
			values: editValues('https://example.com/clip.mp4?sig=1'),
		});
		expect(link.message).toBe(
			'Parameter "imageUrls" got "https://example.com/clip.mp4?sig=1" (MP4): MP4 is not taken: model "rhart-image-v1/edit" in "imageUrls" takes JPG, PNG',
		);
	});

	it('sends links that do not show their type, and data: URIs within the limits', async () => {
		const png = `data:image/png;base64,${makePng('inline').toString('base64')}`;
		const { output } = await run({
			endpoint: EDIT,
			values: editValues(`https://example.com/image?id=42, ${png}, https://example.com/a.JPEG`),
		});
		const urls = (modelRequests()[0].body as IDataObject).imageUrls as string[];
		expect(urls).toEqual(['https://example.com/image?id=42', png, 'https://example.com/a.JPEG']);
		expect(output[0][0].json.status).toBe('SUCCESS');
	});
});

describe('Model › Price Preview', () => {
	it('posts the same body to /openapi/v2/price-preview/<endpoint> and returns the estimate', async () => {
		const { output } = await run({
			operation: 'pricePreview',
			endpoint: 'kling-v2.6-pro/text-to-video',
			values: { prompt: 'waves', sound: true, aspectRatio: '16:9', duration: 10 },
		});
		const [request] = requestsOf('v2.pricePreview');
		expect(request.path).toBe('/openapi/v2/price-preview/kling-v2.6-pro/text-to-video');
		expect(request.headers.authorization).toBe(`Bearer ${SIM_KEY_SHARED}`);
		expect(request.body).toEqual({
			prompt: 'waves',
			sound: 'true',
			aspectRatio: '16:9',
			duration: '10',
		});
		expect(output[0][0].json).toEqual({
			model: 'kling-v2.6-pro/text-to-video',
			estimatedPrice: 1.2,
			currency: 'CNY',
			priceText: '¥1.20/次',
			priceTextEn: 'CNY 1.20/call',
			freeLimit: false,
			freeLimitCount: 0,
			remainingFreeLimitCount: 0,
			isFreeThisCall: false,
		});
		expect(modelRequests()).toHaveLength(0);
	});

	it('reads the flat answer whether errorCode is 0 or ""', async () => {
		sim.options.pricePreviewErrorCode = '';
		const { output } = await run({
			operation: 'pricePreview',
			endpoint: 'rhart-image-v1/text-to-image',
			values: { prompt: 'x', aspectRatio: '1:1' },
		});
		expect(output[0][0].json).toMatchObject({ estimatedPrice: 0.2, currency: 'CNY' });
	});

	it('explains 1014 for a key that is not enterprise-shared', async () => {
		const failure = await expectFailure(
			run({
				operation: 'pricePreview',
				endpoint: 'rhart-image-v1/text-to-image',
				values: { prompt: 'x', aspectRatio: '1:1' },
				apiKey: SIM_KEY_NORMAL,
			}),
		);
		expect(failure.message).toContain('Enterprise-Shared');
	});
});

describe('Model list search and parameter mapping', () => {
	const loadOptions = (endpoint: string, mode = 'list') => ({
		parameters: {
			resource: 'model',
			operation: 'generate',
			modelEndpoint: { __rl: true, mode, value: endpoint },
		} as INodeParameters,
		credentials: simulatorCredentials('http://127.0.0.1:1', SIM_KEY_SHARED),
	});

	it('searchModels finds models by name, endpoint, provider and category', async () => {
		const byName = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['kling v2.6 pro'],
		);
		const kling = byName.results.find((result) => result.value === 'kling-v2.6-pro/text-to-video');
		expect(kling?.name).toBe('Kling v2.6 Pro · Text to Video');
		// a model links to its own page of RunningHub's API documentation (data/model-doc-pages.json)
		expect(kling?.url).toBe(
			`https://www.runninghub.cn/runninghub-api-doc-cn/api-${DOC_PAGES['kling-v2.6-pro/text-to-video']}`,
		);
		expect(kling?.description).toMatch(
			/^Links to the model's page in RunningHub's API documentation/,
		);
		for (const result of byName.results) {
			const pageId = DOC_PAGES[String(result.value)];
			expect(result.url).toBe(
				pageId
					? `https://www.runninghub.cn/runninghub-api-doc-cn/api-${pageId}`
					: 'https://www.runninghub.ai/runninghub-api-doc-en/',
			);
		}

		// a model the documentation index does not list links to the English start page and names
		// its page there
		const pixverse = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['pixverse-v5.5/text-to-video'],
		);
		const unlisted = pixverse.results.find(
			(result) => result.value === 'pixverse-v5.5/text-to-video',
		);
		expect(DOC_PAGES['pixverse-v5.5/text-to-video']).toBeUndefined();
		expect(unlisted?.url).toBe('https://www.runninghub.ai/runninghub-api-doc-en/');
		expect(unlisted?.description).toMatch(
			/^Documented by RunningHub in English under Standard Model API as "/,
		);

		const byEndpoint = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['alibaba/wan-2.6/image-to-video'],
		);
		expect(byEndpoint.results[0].value).toBe('alibaba/wan-2.6/image-to-video');

		const byProvider = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['bytedance'],
		);
		expect(byProvider.results.length).toBeGreaterThan(3);
		expect(byProvider.results.some((result) => String(result.value).startsWith('seedream'))).toBe(
			true,
		);

		const byCategory = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['text-to-audio'],
		);
		expect(byCategory.results.map((result) => result.value)).toContain(
			'rhart-audio/text-to-audio/speech-2.8-hd',
		);

		const none = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['zzzz-no-such-model'],
		);
		expect(none.results).toEqual([]);
	});

	it('searchModels hides deprecated models unless their endpoint is typed exactly; they still run', async () => {
		const sora = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['sora 2 text to video pro'],
		);
		expect(sora.results.map((result) => result.value)).not.toContain(
			'rhart-video-s/text-to-video-pro-deprecated',
		);
		const typed = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['rhart-video-s/text-to-video-pro-deprecated'],
		);
		expect(typed.results.map((result) => result.value)).toEqual([
			'rhart-video-s/text-to-video-pro-deprecated',
		]);
		const { output } = await run({
			endpoint: 'rhart-video-s/text-to-video-pro-deprecated',
			mode: 'id',
			values: { prompt: 'waves', duration: '15', aspectRatio: '16:9' },
			options: { downloadOutputs: false },
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(modelRequests()[0].path).toBe('/openapi/v2/rhart-video-s/text-to-video-pro-deprecated');
	});

	it('a multi-select parameter is an array field and is sent as a JSON array', async () => {
		const fields = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('bytedance/seedance-2.0-global/image-to-video'),
		);
		const slots = fields.fields.find((field) => field.id === 'conversionSlots');
		expect(slots).toMatchObject({ type: 'array', defaultValue: '["all"]' });
		expect(slots?.displayName).toContain('one or more of: all, firstFrameUrl, lastFrameUrl');
		await run({
			endpoint: 'bytedance/seedance-2.0-global/image-to-video',
			values: {
				firstFrameUrl: 'https://example.com/a.png',
				conversionSlots: '["firstFrameUrl","lastFrameUrl"]',
			},
			options: { downloadOutputs: false },
		});
		expect(modelRequests()[0].body).toMatchObject({
			conversionSlots: ['firstFrameUrl', 'lastFrameUrl'],
		});
	});

	it('searchModels pages through the whole catalogue', async () => {
		const first = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			[],
		);
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const seen = new Set(first.results.map((result) => result.value));
		let token = first.paginationToken;
		while (token !== undefined) {
			const page = await callNodeMethod<INodeListSearchResult>(
				'listSearch',
				'searchModels',
				loadOptions(''),
				[undefined, token],
			);
			for (const result of page.results) seen.add(result.value);
			token = page.paginationToken as string | undefined;
		}
		expect(seen.size).toBeGreaterThan(285);
	});

	it('getModelParameters: required first, LIST as options, BOOLEAN as boolean, bounds in the label', async () => {
		const kling = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('kling-v2.6-pro/text-to-video'),
		);
		expect(kling.fields.map((field) => [field.id, field.required])).toEqual([
			['prompt', true],
			['sound', true],
			['aspectRatio', true],
			['duration', true],
			['negativePrompt', false],
		]);
		const sound = kling.fields.find((field) => field.id === 'sound');
		expect(sound).toMatchObject({
			type: 'options',
			defaultValue: 'true',
			options: [
				{ name: 'true', value: 'true' },
				{ name: 'false', value: 'false' },
			],
		});
		expect(
			kling.fields.find((field) => field.id === 'duration')?.options?.map((option) => option.value),
		).toEqual(['5', '10']);

		const seedream = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('seedream-v4/text-to-image'),
		);
		const width = seedream.fields.find((field) => field.id === 'width');
		expect(width).toMatchObject({
			type: 'number',
			displayName: 'Width (512–8192)',
			required: false,
		});

		const video = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('kling-v3.0-std/image-to-video'),
		);
		expect(video.fields.find((field) => field.id === 'sound')).toMatchObject({
			type: 'boolean',
			required: true,
		});
		expect(video.fields.find((field) => field.id === 'cfgScale')).toMatchObject({
			type: 'number',
			displayName: 'CFG Scale (0–1)',
		});
		expect(video.fields.find((field) => field.id === 'firstImageUrl')).toMatchObject({
			type: 'string',
			required: true,
			displayName: 'First Image URL (URL or binary:property)',
		});

		const edit = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('rhart-image-v1/edit'),
		);
		expect(edit.fields.find((field) => field.id === 'imageUrls')?.displayName).toBe(
			'Image URLs (URLs or binary:property, comma-separated, max 5)',
		);
	});

	it('getModelParameters offers no fields for an endpoint the catalogue does not know', async () => {
		const unknown = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('acme/new-model/text-to-image', 'id'),
		);
		expect(unknown.fields).toEqual([]);
		expect(unknown.emptyFieldsNotice).toContain('Additional Parameters (JSON)');
	});

	it('the list opens with the most-used models, each name saying its task once', async () => {
		const first = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			[],
		);
		expect(first.results.slice(0, 3).map((result) => result.value)).toEqual([
			'rhart-image-n-pro/text-to-image',
			'rhart-image-n-pro/edit',
			'seedream-v4.5/text-to-image',
		]);
		const flux = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['flux'],
		);
		expect(flux.results.map((result) => result.name)).toContain('FLUX.1 Dev · Text to Image');
		const horse = await callNodeMethod<INodeListSearchResult>(
			'listSearch',
			'searchModels',
			loadOptions(''),
			['alibaba/happyhorse-1.0/reference-to-video'],
		);
		expect(horse.results[0].name).toBe('HappyHorse 1.0 · Reference to Video');
	});

	it('short keys get readable labels and listed voice IDs a dropdown', async () => {
		const mj = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('youchuan/text-to-image-niji6'),
		);
		const labels = Object.fromEntries(mj.fields.map((field) => [field.id, field.displayName]));
		expect(labels).toMatchObject({
			iw: expect.stringMatching(/^Image Weight/),
			cw: expect.stringMatching(/^Character Weight/),
			sw: expect.stringMatching(/^Style Weight/),
			sv: expect.stringMatching(/^Style Version/),
		});
		const speech = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getModelParameters',
			loadOptions('rhart-audio/text-to-audio/speech-2.8-hd'),
		);
		const voice = speech.fields.find((field) => field.id === 'voice_id');
		expect(voice?.type).toBe('options');
		expect(voice?.options?.map((option) => option.value)).toContain('Wise_Woman');
	});

	it('the parameter guide explains every parameter of the model in English', async () => {
		const guide = await callNodeMethod<INodePropertyOptions[]>(
			'loadOptions',
			'getModelParameterGuide',
			loadOptions('alibaba/wan-2.5-preview/image-to-image'),
		);
		const count = guide.find((option) => option.value === 'n');
		expect(count?.name).toBe('Number of Images (required)');
		expect(count?.description).toMatch(/^Number of images to generate \(1 to 4\)/);
		expect(guide.every((option) => !/[\u3400-\u9fff]/.test(String(option.description)))).toBe(true);
		const images = guide.find((option) => option.value === 'imageUrls');
		expect(images?.description).toContain(
			'Several URLs, at most 3. Files: JPG, JPEG, PNG, BMP, WEBP; at most 10 MB each.',
		);
		const none = await callNodeMethod<INodePropertyOptions[]>(
			'loadOptions',
			'getModelParameterGuide',
			loadOptions('acme/new-model/text-to-image', 'id'),
		);
		expect(none).toEqual([]);
	});
});
