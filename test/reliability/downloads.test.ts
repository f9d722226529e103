/**
 * Result downloads are bounded, against small hostile file hosts over real HTTP: a size cap (Max
 * Download Size, also when the host announces no length or a false one), an overall deadline per
 * file (a host trickling bytes is stopped, not only a silent one), and no retry of errors that no
 * retry can mend; links (and redirects) to local or private addresses other than the credential's
 * own origin are refused before any connection. The task comes from a tiny RunningHub stand-in
 * whose query names the files it serves itself (`fileHosts.ts`).
 */

import { TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';
import { TASK_ID, getOutputs, localHost, tricklingFile, useFileHosts } from './fileHosts';
import { failureOf } from './support';

const { setUp, track } = useFileHosts('default');

const MB = 1024 * 1024;

describe('downloads are bounded', () => {
	it('a file announced larger than Max Download Size is not downloaded, nor retried', async () => {
		const { api, files } = await setUp((_request, response) => {
			response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(3 * MB) });
			response.end(Buffer.alloc(3 * MB));
		});
		const { text } = await failureOf(getOutputs(api, { maxDownloadSizeMb: 1 }));
		expect(text).toMatch(/the file has 3 MB, more than the 1 MB allowed by Max Download Size/);
		expect(text).toContain(`[task ${TASK_ID}]`);
		expect(files.hits).toBe(1);
	});

	it('a file streamed past the cap without a length is cut off at the cap', async () => {
		let sent = 0;
		const { api, files } = await setUp((_request, response) => {
			response.writeHead(200, { 'content-type': 'image/png' });
			const chunk = Buffer.alloc(64 * 1024);
			const pump = () => {
				while (sent < 50 * MB && !response.destroyed) {
					sent += chunk.length;
					if (!response.write(chunk)) return void response.once('drain', pump);
				}
				response.end();
			};
			pump();
		});
		const { text } = await failureOf(getOutputs(api, { maxDownloadSizeMb: 1 }));
		expect(text).toMatch(/larger than the 1 MB allowed by Max Download Size/);
		expect(files.hits).toBe(1);
		expect(sent).toBeLessThan(50 * MB);
	});

	it('with Allow Partial Results, an oversized file keeps its link and is listed', async () => {
		const { api } = await setUp((_request, response) => {
			response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(2 * MB) });
			response.end(Buffer.alloc(2 * MB));
		});
		const { output } = await getOutputs(api, { maxDownloadSizeMb: 1, allowPartialResults: true });
		const json = output[0][0].json;
		expect(output[0][0].binary).toBeUndefined();
		expect(json.downloadFailures).toEqual([
			expect.objectContaining({ index: 0, error: expect.stringMatching(/Max Download Size/) }),
		]);
	});

	it('a host trickling one byte every 150 ms is stopped by the per-file deadline', async () => {
		const saved = { ...TIMEOUT_DEFAULTS };
		Object.assign(TIMEOUT_DEFAULTS, { fileDeadlineMs: 1500 });
		const trickling = tricklingFile('image/png', 0x89);
		try {
			const { api, files } = await setUp(trickling.handler);
			const { text } = await failureOf(getOutputs(api));
			expect(text).toMatch(/the transfer took longer than 1\.5 s/);
			expect(files.hits).toBe(1);
		} finally {
			trickling.stop();
			Object.assign(TIMEOUT_DEFAULTS, saved);
		}
	});

	it.each([
		['an unsupported protocol', 'ftp://127.0.0.1/output/a.png'],
		['an invalid URL', 'http://exa mple.com/a b.png'],
	])('%s is reported at once, not retried', async (_label, fileUrl) => {
		const { api } = await setUp(
			() => undefined,
			() => fileUrl,
		);
		const { text } = await failureOf(getOutputs(api));
		expect(text).toMatch(/Could not download output 0/);
		expect(text).not.toMatch(/after \d+ attempts/);
	});

	it('a transient failure is still retried', async () => {
		let calls = 0;
		const { api, files } = await setUp((_request, response) => {
			calls++;
			if (calls === 1) return void response.socket?.destroy();
			response.writeHead(200, { 'content-type': 'image/png' });
			response.end(Buffer.from('\x89PNG\r\n'));
		});
		const { output } = await getOutputs(api);
		expect(output[0][0].binary?.data?.mimeType).toBe('image/png');
		expect(files.hits).toBe(2);
	});
});

describe('result links on local or private addresses', () => {
	it('a file on another local origin than the credential is refused, never fetched nor retried', async () => {
		const other = track(await localHost((_request, response) => response.end('secret')));
		const { api } = await setUp(
			() => undefined,
			() => `${other.url}/admin/export.png`,
		);
		const { text } = await failureOf(getOutputs(api));
		expect(text).toContain(`the link points at a local or private address (${other.url})`);
		expect(text).toContain("only when it is the origin of the credential's Base URL");
		expect(text).toContain(`[task ${TASK_ID}]`);
		expect(text).not.toMatch(/after \d+ attempts/);
		expect(other.hits).toBe(0);
	});

	it.each([
		['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/iam.png'],
		['a private network', 'http://10.0.0.7:9000/bucket/a.png'],
		['loopback IPv6', 'http://[::1]:5678/rest/a.png'],
		['localhost by name', 'http://localhost:5678/a.png'],
		['a disguised loopback number', 'http://2130706433/a.png'],
	])('%s is refused', async (_label, fileUrl) => {
		const { api } = await setUp(
			() => undefined,
			() => fileUrl,
		);
		const { text } = await failureOf(getOutputs(api));
		expect(text).toMatch(/the link points at a local or private address/);
	});

	it('with Allow Partial Results, a refused link is listed and the files of the API host still arrive', async () => {
		const { api, files } = await setUp(
			(_request, response) => {
				response.writeHead(200, { 'content-type': 'image/png' });
				response.end(Buffer.from('\x89PNG\r\n'));
			},
			(origin) => ['http://169.254.169.254/a.png', `${origin}/output/ComfyUI_00002_.png`],
		);
		const { output } = await getOutputs(api, { allowPartialResults: true });
		expect(output[0]).toHaveLength(1);
		const [item] = output[0];
		expect(item.json.downloadFailures).toEqual([
			expect.objectContaining({
				index: 0,
				error: expect.stringMatching(/local or private address \(http:\/\/169\.254\.169\.254\)/),
			}),
		]);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		expect(item.json.file).toMatchObject({ fileUrl: expect.stringContaining('ComfyUI_00002_') });
		expect(files.hits).toBe(1);
	});

	it('a redirect from the API host to another local origin is not followed', async () => {
		const other = track(await localHost((_request, response) => response.end('secret')));
		const { api, files } = await setUp((_request, response) => {
			response.writeHead(302, { location: `${other.url}/internal.png` });
			response.end();
		});
		const { text } = await failureOf(getOutputs(api));
		expect(text).toContain(`local or private address (${other.url})`);
		expect(files.hits).toBe(1);
		expect(other.hits).toBe(0);
	});

	it('redirects within the API host are followed, a bounded number of times', async () => {
		const { api } = await setUp((request, response) => {
			if (request.url === '/output/ComfyUI_00001_.png') {
				response.writeHead(307, { location: '/output/moved/final.png' });
				return void response.end();
			}
			response.writeHead(200, { 'content-type': 'image/png' });
			response.end(Buffer.from('PNG moved'));
		});
		const { output } = await getOutputs(api);
		expect(Buffer.from(output[0][0].binary!.data.data, 'base64').toString()).toBe('PNG moved');

		const looping = await setUp((_request, response) => {
			response.writeHead(302, { location: '/output/ComfyUI_00001_.png' });
			response.end();
		});
		const { text } = await failureOf(getOutputs(looping.api));
		expect(text).toMatch(/the host redirected more than 5 times/);
		expect(looping.files.hits).toBe(6);
	});
});
