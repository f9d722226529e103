/**
 * File › Upload and File › Upload LoRA over real HTTP against the simulator, through n8n-core's
 * real request and binary helpers (binaries kept in the item, n8n's default mode).
 */
import { createHash, randomBytes } from 'crypto';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { prepareBinary, runNode, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { SIM_KEY_INVALID, SIM_KEY_NORMAL } from '../simulator/keys';
import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';

interface Recorded {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string>;
	body: unknown;
}

interface MultipartSummary {
	fields: Record<string, string>;
	files: Array<{ name: string; filename?: string; contentType?: string; size: number }>;
}

const sim = useSimulator();

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function item(
	binaries: Record<string, { data: Buffer; fileName: string; mimeType: string }>,
): Promise<INodeExecutionData> {
	const binary: Record<string, IBinaryData> = {};
	for (const [name, file] of Object.entries(binaries))
		binary[name] = await prepareBinary(file.data, file.fileName, file.mimeType);
	return { json: { source: 'test' }, binary };
}

async function upload(
	items: INodeExecutionData[],
	parameters: Record<string, unknown> = {},
	apiKey = SIM_KEY_NORMAL,
) {
	return await runNode({
		parameters: {
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			...parameters,
		},
		credentials: simulatorCredentials(sim.baseUrl, apiKey),
		items,
	});
}

async function fetchBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

function recorded(): Recorded[] {
	return sim.requests as unknown as Recorded[];
}

const MEDIA = [
	{ kind: 'image', fileName: 'cat photo.png', mimeType: 'image/png', ext: 'png' },
	{ kind: 'video', fileName: 'clip.mp4', mimeType: 'video/mp4', ext: 'mp4' },
	{ kind: 'audio', fileName: 'voice.mp3', mimeType: 'audio/mpeg', ext: 'mp3' },
] as const;

describe('File › Upload, Media (v2)', () => {
	it.each(MEDIA)(
		'uploads $kind bytes, name and MIME type with only the Bearer header',
		async ({ kind, fileName, mimeType, ext }) => {
			const data = randomBytes(64 * 1024 + 7);
			const { output } = await upload([await item({ data: { data, fileName, mimeType } })]);

			const json = output[0][0].json;
			expect(json).toMatchObject({
				fileName: `openapi/${sha256(data)}.${ext}`,
				type: kind,
				size: data.length,
				mimeType,
				originalFileName: fileName,
				target: 'media',
			});
			expect(output[0][0].binary).toBeUndefined();
			expect(output[0][0].pairedItem).toEqual({ item: 0 });
			const requests = [...recorded()];
			expect(requests).toHaveLength(1);
			const [request] = requests;
			expect(await fetchBytes(json.downloadUrl as string)).toEqual(data);
			expect(request.method).toBe('POST');
			expect(request.path).toBe('/openapi/v2/media/upload/binary');
			expect(request.headers.authorization).toBe(`Bearer ${SIM_KEY_NORMAL}`);
			expect(String(request.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=.+/);
			expect(request.query).toEqual({});
			const body = request.body as MultipartSummary;
			expect(body.fields).toEqual({});
			expect(body.files).toEqual([
				{ name: 'file', filename: fileName, contentType: mimeType, size: data.length },
			]);
		},
	);

	it('uploads several items, one request each, outputs paired to their items', async () => {
		const a = randomBytes(1000);
		const b = randomBytes(2000);
		const { output } = await upload([
			await item({ data: { data: a, fileName: 'a.png', mimeType: 'image/png' } }),
			await item({ data: { data: b, fileName: 'b.jpg', mimeType: 'image/jpeg' } }),
		]);
		expect(output[0].map((o) => o.json.fileName)).toEqual([
			`openapi/${sha256(a)}.png`,
			`openapi/${sha256(b)}.jpg`,
		]);
		expect(output[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(recorded()).toHaveLength(2);
	});

	it('uses the binary property named by the parameter', async () => {
		const data = randomBytes(500);
		const { output } = await upload(
			[await item({ photo: { data, fileName: 'p.webp', mimeType: 'image/webp' } })],
			{ binaryPropertyName: 'photo' },
		);
		expect(output[0][0].json.fileName).toBe(`openapi/${sha256(data)}.webp`);
	});

	it('turns a rejected key into an error without the key in it', async () => {
		const data = randomBytes(100);
		const error = await upload(
			[await item({ data: { data, fileName: 'x.png', mimeType: 'image/png' } })],
			{},
			SIM_KEY_INVALID,
		).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		const text = `${(error as Error).message} ${(error as { description?: string }).description ?? ''}`;
		expect(text).toMatch(/401|key/i);
		expect(text).not.toContain(SIM_KEY_INVALID);
	});
});

describe('File › Upload, Legacy', () => {
	it.each(MEDIA)(
		'uploads $kind with apiKey and fileType form fields',
		async ({ kind, fileName, mimeType, ext }) => {
			const data = randomBytes(48 * 1024 + 3);
			const { output } = await upload([await item({ data: { data, fileName, mimeType } })], {
				target: 'legacy',
				fileType: kind,
			});

			const json = output[0][0].json;
			expect(json).toEqual({
				fileName: `api/${sha256(data)}.${ext}`,
				downloadUrl: null,
				type: kind,
				size: data.length,
				mimeType,
				originalFileName: fileName,
				target: 'legacy',
			});
			const requests = [...recorded()];
			expect(requests).toHaveLength(1);
			const [request] = requests;
			expect(await fetchBytes(`${sim.baseUrl}/files/input/${json.fileName as string}`)).toEqual(
				data,
			);
			expect(request.path).toBe('/task/openapi/upload');
			expect(request.query).toEqual({});
			const body = request.body as MultipartSummary;
			expect(body.fields).toEqual({ fileType: kind, apiKey: SIM_KEY_NORMAL });
			expect(body.files).toEqual([
				{ name: 'file', filename: fileName, contentType: mimeType, size: data.length },
			]);
		},
	);

	it('sends the same body again after a 503, with the key field once', async () => {
		const saved = { ...RETRY_DEFAULTS };
		Object.assign(RETRY_DEFAULTS, { baseDelayMs: 1, maxDelayMs: 5 });
		try {
			sim.injectFault({ route: '/task/openapi/upload', kind: 'http', status: 503 });
			const data = randomBytes(3000);
			const { output } = await upload(
				[await item({ data: { data, fileName: 'r.png', mimeType: 'image/png' } })],
				{ target: 'legacy', fileType: 'image' },
			);
			expect(output[0][0].json.fileName).toBe(`api/${sha256(data)}.png`);
			const requests = sim.requests;
			expect(requests.map((r) => r.path)).toEqual(['/task/openapi/upload', '/task/openapi/upload']);
			// A second apiKey field would make the retried body longer.
			expect(requests[1].bodyBytes).toBe(requests[0].bodyBytes);
			expect((requests[1].body as MultipartSummary).fields).toEqual({
				fileType: 'image',
				apiKey: SIM_KEY_NORMAL,
			});
		} finally {
			Object.assign(RETRY_DEFAULTS, saved);
		}
	});

	it('sends fileType "input" by default', async () => {
		const data = randomBytes(10);
		await upload([await item({ data: { data, fileName: 'a.png', mimeType: 'image/png' } })], {
			target: 'legacy',
		});
		expect((recorded()[0].body as MultipartSummary).fields.fileType).toBe('input');
	});
});

describe('File › Upload, refusals before sending', () => {
	it('refuses a file over 30 MB for the legacy upload and sends nothing', async () => {
		const data = Buffer.alloc(30 * 1024 * 1024 + 1, 1);
		const error = await upload(
			[await item({ data: { data, fileName: 'huge.mp4', mimeType: 'video/mp4' } })],
			{ target: 'legacy' },
		).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe(
			`Binary property "data" of item 0: file "huge.mp4" is 30.0 MB (${data.length} bytes), over RunningHub's upload limit of 30 MB (31457280 bytes)`,
		);
		expect(recorded()).toHaveLength(0);
	});

	it('accepts a file of exactly 30 MB for the legacy upload', async () => {
		const data = Buffer.alloc(30 * 1024 * 1024, 2);
		const { output } = await upload(
			[await item({ data: { data, fileName: 'max.mp4', mimeType: 'video/mp4' } })],
			{ target: 'legacy' },
		);
		expect(output[0][0].json.fileName).toMatch(/^api\/[0-9a-f]{64}\.mp4$/);
		expect((recorded()[0].body as MultipartSummary).files[0].size).toBe(data.length);
	});

	it('sends a file over 30 MB to the media upload, whose page states no size limit', async () => {
		const data = Buffer.alloc(31 * 1024 * 1024, 2);
		const { output } = await upload([
			await item({ data: { data, fileName: 'long.mp4', mimeType: 'video/mp4' } }),
		]);
		expect(output[0][0].json.size).toBe(data.length);
		expect(output[0][0].json.fileName).toBe(`openapi/${sha256(data)}.mp4`);
	});

	it("turns the media upload's 1008 into an error that says the file is too large", async () => {
		sim.options.maxMediaUploadBytes = 1000;
		const data = randomBytes(1001);
		const error = await upload([
			await item({ data: { data, fileName: 'a.png', mimeType: 'image/png' } }),
		]).catch((e: Error) => e);
		expect((error as Error).message).toMatch(/1008/);
		expect(JSON.stringify(error)).toMatch(/larger than RunningHub accepts/);
		expect(recorded()).toHaveLength(1);
	});

	it.each([
		['anim.gif', 'image/gif', 'GIF'],
		['scan.bmp', 'image/bmp', 'BMP'],
		['track.m4a', 'audio/mp4', 'M4A'],
	])(
		'refuses %s for the media upload, whose page does not list it, and sends nothing',
		async (fileName, mimeType, format) => {
			const error = await upload([
				await item({ data: { data: randomBytes(20), fileName, mimeType } }),
			]).catch((e: Error) => e);
			expect((error as Error).message).toContain(
				`Binary property "data" of item 0: file "${fileName}"`,
			);
			expect((error as Error).message).toContain(
				`${format} is not taken: RunningHub's file upload (/openapi/v2/media/upload/binary) takes JPG, JPEG, PNG, WEBP, ZIP, MP3, WAV, FLAC, MP4, AVI, MOV, MKV`,
			);
			expect(recorded()).toHaveLength(0);
		},
	);

	it('sends a GIF through the legacy upload, which takes any image', async () => {
		const data = randomBytes(20);
		const { output } = await upload(
			[await item({ data: { data, fileName: 'anim.gif', mimeType: 'image/gif' } })],
			{ target: 'legacy', fileType: 'image' },
		);
		expect(output[0][0].json.fileName).toBe(`api/${sha256(data)}.gif`);
	});

	it('refuses a file of unknown type for the media upload', async () => {
		const error = await upload([
			await item({
				data: { data: randomBytes(20), fileName: 'blob', mimeType: 'application/octet-stream' },
			}),
		]).catch((e: Error) => e);
		expect((error as Error).message).toContain(
			'file "blob" (extension "bin", MIME type "application/octet-stream") cannot be sent: its type is unknown',
		);
		expect(recorded()).toHaveLength(0);
	});

	it('takes a media file known by its MIME type alone', async () => {
		const data = randomBytes(20);
		const { output } = await upload([
			await item({ data: { data, fileName: 'recording', mimeType: 'audio/mpeg' } }),
		]);
		expect(output[0][0].json.type).toBe('audio');
	});

	it('names the missing property and item and lists the ones the item has', async () => {
		const items = [
			await item({ data: { data: randomBytes(5), fileName: 'a.png', mimeType: 'image/png' } }),
			await item({
				image: { data: randomBytes(5), fileName: 'b.png', mimeType: 'image/png' },
				mask: { data: randomBytes(5), fileName: 'm.png', mimeType: 'image/png' },
			}),
		];
		const error = await upload(items).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe(
			'Binary property "data" of item 1 does not exist, so there is no file to upload',
		);
		expect((error as { description?: string }).description).toContain('"image", "mask"');
		// item 0 was uploaded before item 1 failed
		expect(recorded()).toHaveLength(1);
	});

	it('explains an item without any binary data, and continueOnFail keeps going', async () => {
		const { output } = await runNode({
			parameters: { resource: 'file', operation: 'upload', binaryPropertyName: 'data' },
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
			items: [
				{ json: {} },
				await item({ data: { data: randomBytes(9), fileName: 'ok.png', mimeType: 'image/png' } }),
			],
			continueOnFail: true,
		});
		expect(String(output[0][0].json.error)).toContain(
			'Binary property "data" of item 0 does not exist',
		);
		expect(output[0][1].json.fileName).toMatch(/^openapi\/[0-9a-f]{64}\.png$/);
		expect(recorded()).toHaveLength(1);
	});
});

describe('File › Upload LoRA', () => {
	async function uploadLora(
		data: Buffer,
		fileName: string,
		parameters: Record<string, unknown> = {},
	) {
		return await runNode({
			parameters: {
				resource: 'file',
				operation: 'uploadLora',
				binaryPropertyName: 'data',
				...parameters,
			},
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
			items: [await item({ data: { data, fileName, mimeType: 'application/octet-stream' } })],
		});
	}

	it('gets a presigned URL for the MD5 and PUTs the bytes there without credentials', async () => {
		const data = randomBytes(256 * 1024);
		const hash = md5(data);
		const { output } = await uploadLora(data, 'my_style-v2.safetensors');

		expect(output[0][0].json).toEqual({
			loraName: 'my_style-v2',
			fileName: `api-lora-cn/${hash}.safetensors`,
			md5: hash,
			uploaded: true,
			size: data.length,
		});
		expect(sim.loraUploads.get(hash)).toMatchObject({ uploaded: true, loraName: 'my_style-v2' });
		expect(sim.stats.credentialLeaks).toBe(0);

		const [ask, put] = recorded();
		expect(recorded()).toHaveLength(2);
		expect(ask.path).toBe('/api/openapi/getLoraUploadUrl');
		expect(ask.body).toEqual({ loraName: 'my_style-v2', md5Hex: hash, apiKey: SIM_KEY_NORMAL });

		expect(put.method).toBe('PUT');
		expect(put.path).toBe(`/lora-upload/api-lora-cn/${hash}.safetensors`);
		expect(put.headers['content-type']).toBe('application/octet-stream');
		expect(put.headers.authorization).toBeUndefined();
		expect(JSON.stringify(put.headers)).not.toContain(SIM_KEY_NORMAL);
		expect(JSON.stringify(put.query)).not.toContain(SIM_KEY_NORMAL);
		expect(Number(put.headers['content-length'])).toBe(data.length);
	});

	it('skips the PUT when RunningHub already has the file (no url in the answer)', async () => {
		const data = randomBytes(4096);
		await uploadLora(data, 'cached.safetensors');
		sim.loraCacheOmitsUrl = true;
		sim.requests.length = 0;
		const { output } = await uploadLora(data, 'cached.safetensors', { loraName: 'renamed' });
		expect(output[0][0].json).toMatchObject({
			loraName: 'renamed',
			md5: md5(data),
			uploaded: false,
		});
		expect(recorded().map((r) => r.path)).toEqual(['/api/openapi/getLoraUploadUrl']);
	});

	it('derives a valid name from an awkward file name', async () => {
		const { output } = await uploadLora(randomBytes(64), 'My LoRA (v1).final.safetensors');
		expect(output[0][0].json.loraName).toBe('My_LoRA_v1_.final');
	});

	it('rejects a LoRA Name with forbidden characters before calling RunningHub', async () => {
		const error = await uploadLora(randomBytes(64), 'a.safetensors', {
			loraName: 'bad/name',
		}).catch((e: Error) => e);
		expect((error as Error).message).toContain('LoRA Name "bad/name"');
		expect(recorded()).toHaveLength(0);
	});
});
