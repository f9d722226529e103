/**
 * Result downloads with binaries kept on disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem): each file
 * streams from the host into n8n's storage. The bytes arrive unchanged, and the size cap, the
 * per-file deadline and the retry of a dropped transfer still hold while streaming; a cut-off
 * transfer leaves no partial file behind. The binary mode is per process, hence this separate file.
 */
import { createHash, randomBytes } from 'crypto';
import type * as http from 'http';

import { TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';
import { readBinary, storedBinaryFiles } from '../harness/n8n';
import { getOutputs, tricklingFile, useFileHosts } from './fileHosts';
import { failureOf } from './support';

const MB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const hosts = useFileHosts('filesystem');

/** A task with `fileCount` MP4 results, served by `fileHandler`. */
async function setUp(fileHandler: http.RequestListener, fileCount = 1) {
	return await hosts.setUp(fileHandler, (origin) =>
		Array.from({ length: fileCount }, (_, index) => `${origin}/output/clip_${index}.mp4`),
	);
}

/** Writes `data` in 64 KB chunks, respecting back-pressure, without announcing its length. */
function pump(response: http.ServerResponse, data: Buffer, onSent?: (sent: number) => void) {
	let offset = 0;
	const next = () => {
		while (offset < data.length && !response.destroyed) {
			const chunk = data.subarray(offset, offset + 64 * 1024);
			offset += chunk.length;
			onSent?.(offset);
			if (!response.write(chunk)) return void response.once('drain', next);
		}
		response.end();
	};
	next();
}

describe('downloads stream into binary storage on disk', () => {
	it('several files arrive byte for byte, stored on disk, not in the item', async () => {
		const bodies = [randomBytes(3 * MB + 7), randomBytes(5 * MB + 1)];
		const { api } = await setUp((request, response) => {
			const index = Number(/clip_(\d+)/.exec(request.url ?? '')?.[1]);
			response.writeHead(200, { 'content-type': 'video/mp4' });
			pump(response, bodies[index]);
		}, 2);
		const { output } = await getOutputs(api);
		expect(output[0]).toHaveLength(2);
		for (const [index, body] of bodies.entries()) {
			const stored = output[0][index].binary!.data;
			expect(stored.id).toMatch(/^filesystem/);
			expect(stored).toMatchObject({
				fileName: `clip_${index}.mp4`,
				mimeType: 'video/mp4',
				bytes: body.length,
			});
			expect(sha256(await readBinary(stored))).toBe(sha256(body));
		}
	});

	it('a file streamed past Max Download Size is cut off, leaving no partial file', async () => {
		let sent = 0;
		const before = storedBinaryFiles().length;
		const { api, files } = await setUp((_request, response) => {
			response.writeHead(200, { 'content-type': 'video/mp4' });
			pump(response, Buffer.alloc(50 * MB), (count) => (sent = count));
		});
		const { text } = await failureOf(getOutputs(api, { maxDownloadSizeMb: 1 }));
		expect(text).toMatch(/larger than the 1 MB allowed by Max Download Size/);
		expect(files.hits).toBe(1);
		expect(sent).toBeLessThan(50 * MB);
		expect(storedBinaryFiles()).toHaveLength(before);
	});

	it('a host trickling bytes is stopped by the per-file deadline while streaming', async () => {
		const saved = { ...TIMEOUT_DEFAULTS };
		Object.assign(TIMEOUT_DEFAULTS, { fileDeadlineMs: 1500 });
		const trickling = tricklingFile('video/mp4', 0, Buffer.alloc(256 * 1024));
		const before = storedBinaryFiles().length;
		try {
			const { api, files } = await setUp(trickling.handler);
			const { text } = await failureOf(getOutputs(api));
			expect(text).toMatch(/the transfer took longer than 1\.5 s/);
			expect(files.hits).toBe(1);
			expect(storedBinaryFiles()).toHaveLength(before);
		} finally {
			trickling.stop();
			Object.assign(TIMEOUT_DEFAULTS, saved);
		}
	});

	it('a transfer dropped halfway is fetched again from the start', async () => {
		const body = randomBytes(4 * MB);
		let calls = 0;
		const { api, files } = await setUp((_request, response) => {
			calls++;
			response.writeHead(200, { 'content-type': 'video/mp4' });
			if (calls === 1) {
				response.write(body.subarray(0, MB), () => response.socket?.destroy());
				return;
			}
			pump(response, body);
		});
		const { output } = await getOutputs(api);
		expect(files.hits).toBe(2);
		expect(sha256(await readBinary(output[0][0].binary!.data))).toBe(sha256(body));
	});
});
