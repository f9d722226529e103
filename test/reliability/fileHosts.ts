/**
 * Small local servers for the download tests: a RunningHub stand-in whose task query names the
 * result files it also serves (one origin, as the simulator does, so the credential's Base URL
 * vouches for them), and plain hosts on other ports (another origin: a local or private address
 * the node must refuse).
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { runNode, simulatorCredentials, useBinaryMode } from '../harness/n8n';
import { useFastBudgets } from '../harness/simulator';

export const KEY = 'downloadsTestKey0123456789abcdef';
export const TASK_ID = '1904163390028185602';

export interface Host {
	url: string;
	hits: number;
	close: () => Promise<void>;
}

export async function localHost(handler: http.RequestListener): Promise<Host> {
	const state = { hits: 0 };
	const sockets = new Set<Socket>();
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

/** RunningHub's outputType: the file's extension. */
function typeOf(url: string): string {
	return /\.([a-z0-9]+)(?:$|\?)/i.exec(url)?.[1] ?? 'png';
}

/**
 * One server: requests under `/output/` go to `fileHandler` (counted in `files.hits`); any other
 * request is the v2 task query, answered with a finished task whose outputs are `fileUrls(origin)`
 * (by default one PNG on this same origin).
 */
export async function runningHubWithFiles(
	fileHandler: http.RequestListener,
	fileUrls: (origin: string) => string | string[] = (origin) =>
		`${origin}/output/ComfyUI_00001_.png`,
): Promise<{ api: Host; files: { readonly hits: number } }> {
	const files = { hits: 0 };
	let origin = '';
	const api = await localHost((request, response) => {
		if (request.url?.startsWith('/output/')) {
			files.hits++;
			return fileHandler(request, response);
		}
		request.resume();
		const urls = [fileUrls(origin)].flat();
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				taskId: TASK_ID,
				status: 'SUCCESS',
				errorCode: '',
				errorMessage: '',
				results: urls.map((url) => ({ url, outputType: typeOf(url), nodeId: '9' })),
				clientId: '',
				promptTips: '',
			}),
		);
	});
	origin = api.url;
	return {
		api,
		files: {
			get hits() {
				return files.hits;
			},
		},
	};
}

/** Task › Get Outputs with downloads on, against the stand-in `api`. */
export async function getOutputs(api: Host, options: IDataObject = {}) {
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

/**
 * A file handler that sends `head`, then the byte `byte` every 150 ms until the client goes away:
 * a host too slow to finish within any deadline. `stop()` ends every trickle it started.
 */
export function tricklingFile(contentType: string, byte: number, head = Buffer.alloc(0)) {
	const timers: NodeJS.Timeout[] = [];
	const handler: http.RequestListener = (_request, response) => {
		response.writeHead(200, { 'content-type': contentType });
		if (head.length) response.write(head);
		const timer = setInterval(() => {
			if (!response.destroyed) response.write(Buffer.from([byte]));
		}, 150);
		timers.push(timer);
		response.on('close', () => clearInterval(timer));
	};
	return { handler, stop: () => timers.forEach((timer) => clearInterval(timer)) };
}

/**
 * The jest hooks of a download test file: its binary data mode, fast retry budgets, and every host
 * a test starts closed after it. `setUp` starts a RunningHub stand-in with files (see
 * runningHubWithFiles); `track` closes another host after the test.
 */
export function useFileHosts(binaryMode: 'default' | 'filesystem') {
	const hosts: Host[] = [];
	let restoreBudgets: () => void;
	beforeAll(async () => {
		await useBinaryMode(binaryMode);
		restoreBudgets = useFastBudgets();
	});
	afterAll(() => restoreBudgets());
	afterEach(async () => {
		while (hosts.length) await hosts.pop()!.close();
	});
	return {
		async setUp(
			fileHandler: http.RequestListener,
			fileUrls?: (origin: string) => string | string[],
		) {
			const { api, files } = await runningHubWithFiles(fileHandler, fileUrls);
			hosts.push(api);
			return { api, files };
		},
		track<T extends Host>(host: T): T {
			hosts.push(host);
			return host;
		},
	};
}
