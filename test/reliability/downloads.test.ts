/**
 * Result downloads are bounded, against small hostile file hosts over real HTTP: a size cap (Max
 * Download Size, also when the host announces no length or a false one), an overall deadline per
 * file (a host trickling bytes is stopped, not only a silent one), and no retry of errors that no
 * retry can mend. The task comes from a tiny RunningHub stand-in whose query names the host's URL.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';
import { runNode, simulatorCredentials, useBinaryMode } from '../harness/n8n';
import { failureOf, useFastBudgets } from './support';

const KEY = 'downloadsTestKey0123456789abcdef';
const TASK_ID = '1904163390028185602';

interface Host {
	url: string;
	hits: number;
	close: () => Promise<void>;
}

async function serve(handler: http.RequestListener): Promise<Host> {
	const state = { hits: 0 };
	const sockets = new Set<import('net').Socket>();
	const server = http.createServer((request, response) => {
		state.hits++;
		handler(request, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		get hits() {
			return state.hits;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Answers the v2 task query with a finished task whose one output is `fileUrl`. */
async function apiNaming(fileUrl: string): Promise<Host> {
	return await serve((request, response) => {
		request.resume();
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				taskId: TASK_ID,
				status: 'SUCCESS',
				errorCode: '',
				errorMessage: '',
				results: [{ url: fileUrl, outputType: 'png', nodeId: '9' }],
				clientId: '',
				promptTips: '',
			}),
		);
	});
}

async function getOutputs(api: Host, options: IDataObject = {}) {
	return await runNode({
		parameters: {
			resource: 'task',
			operation: 'getOutputs',
			taskId: TASK_ID,
			options: { downloadOutputs: true, ...options },
		} as never,
		credentials: simulatorCredentials(api.url, KEY),
	});
}

const hosts: Host[] = [];
let restoreBudgets: () => void;

beforeAll(async () => {
	await useBinaryMode('default');
	restoreBudgets = useFastBudgets();
});

afterAll(() => restoreBudgets());

afterEach(async () => {
	while (hosts.length) await hosts.pop()!.close();
});

async function setUp(fileHandler: http.RequestListener): Promise<{ api: Host; files: Host }> {
	const files = await serve(fileHandler);
	const api = await apiNaming(`${files.url}/output/ComfyUI_00001_.png`);
	hosts.push(files, api);
	return { api, files };
}

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
		const timers: NodeJS.Timeout[] = [];
		try {
			const { api, files } = await setUp((_request, response) => {
				response.writeHead(200, { 'content-type': 'image/png' });
				const timer = setInterval(() => {
					if (!response.destroyed) response.write(Buffer.from([0x89]));
				}, 150);
				timers.push(timer);
				response.on('close', () => clearInterval(timer));
			});
			const { text } = await failureOf(getOutputs(api));
			expect(text).toMatch(/the transfer took longer than 1\.5 s/);
			expect(files.hits).toBe(1);
		} finally {
			for (const timer of timers) clearInterval(timer);
			Object.assign(TIMEOUT_DEFAULTS, saved);
		}
	});

	it.each([
		['an unsupported protocol', 'ftp://127.0.0.1/output/a.png'],
		['an invalid URL', 'http://exa mple.com/a b.png'],
	])('%s is reported at once, not retried', async (_label, fileUrl) => {
		const api = await apiNaming(fileUrl);
		hosts.push(api);
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
