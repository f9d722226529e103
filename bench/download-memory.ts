/**
 * Peak memory of downloading a task's result files: Task › Get Outputs of a task with F outputs of
 * S MB each, through n8n-core's real request and binary code, next to a naive buffered download
 * (each file read whole into a Buffer, then handed to prepareBinaryData) as the baseline.
 *
 *   npx ts-node --transpile-only bench/download-memory.ts [all|<mode> <variant>] [files=10] [mb=20]
 *
 * mode: filesystem | default (n8n's binary data mode); variant: node | buffered. `all` runs the
 * four in fresh processes and prints one line each. The file host runs in its own process, so its
 * memory is not counted; rss is sampled every millisecond from a worker thread.
 */
import { spawn } from 'child_process';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import { resolveTypeScriptBeforeJson, spawnAnnouncing, startRssSampler } from './support';

resolveTypeScriptBeforeJson();

const MB = 1024 * 1024;
const TASK_ID = '1904163390028185602';
const KEY = 'benchDownloadKey0123456789abcdef';

/**
 * A RunningHub stand-in in a child process: the v2 query names `files` MP4 outputs of `bytes`
 * each on its own origin, streamed from one reused chunk with their length announced. The first
 * query (the warm-up) names one small file: a full-size warm-up would leave freed pages in rss and
 * hide the cost of the measured run.
 */
async function startFileHost(
	files: number,
	bytes: number,
): Promise<{ url: string; stop: () => void }> {
	const script = `
		const http = require('http');
		const chunk = Buffer.alloc(64 * 1024, 7);
		let queries = 0;
		const server = http.createServer((request, response) => {
			const origin = 'http://127.0.0.1:' + server.address().port;
			if (!request.url.startsWith('/output/')) {
				request.resume();
				const count = queries++ === 0 ? 1 : ${files};
				const results = Array.from({ length: count }, (_, i) => ({ url: origin + '/output/' + (count === 1 ? 'small' : 'clip') + '_' + i + '.mp4', outputType: 'mp4', nodeId: '9' }));
				response.writeHead(200, { 'content-type': 'application/json' });
				return response.end(JSON.stringify({ taskId: '${TASK_ID}', status: 'SUCCESS', errorCode: '', errorMessage: '', results, clientId: '', promptTips: '' }));
			}
			const size = request.url.startsWith('/output/small_') ? chunk.length : ${bytes};
			response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
			let left = size;
			const next = () => {
				while (left > 0) {
					const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
					left -= part.length;
					if (!response.write(part)) return void response.once('drain', next);
				}
				response.end();
			};
			next();
		});
		server.listen(0, '127.0.0.1', () => console.log('HOST http://127.0.0.1:' + server.address().port));`;
	const host = await spawnAnnouncing('file host', ['-e', script], 'HOST');
	return { url: host.value, stop: host.stop };
}

export interface DownloadMemoryResult {
	mode: string;
	variant: string;
	files: number;
	fileBytes: number;
	rssAboveBytes: number;
	ms: number;
}

async function measure(
	mode: 'default' | 'filesystem',
	variant: 'node' | 'buffered',
	files: number,
	fileBytes: number,
): Promise<DownloadMemoryResult> {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { prepareBinary, readBinary, runNode, simulatorCredentials, useBinaryMode } =
		require('../test/harness/n8n') as typeof import('../test/harness/n8n');
	const axios = (require('axios') as typeof import('axios')).default;
	/* eslint-enable @typescript-eslint/no-require-imports */
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	await useBinaryMode(mode);
	const host = await startFileHost(files, fileBytes);
	try {
		const credentials = simulatorCredentials(host.url, KEY);
		const getOutputs = async () =>
			await runNode({
				parameters: {
					resource: 'task',
					operation: 'getOutputs',
					taskId: TASK_ID,
					options: { downloadOutputs: true },
				} as never,
				credentials,
			});
		const buffered = async () => {
			const { data } = await axios.post(`${host.url}/openapi/v2/query`, { taskId: TASK_ID });
			const binaries = [];
			for (const result of (data as { results: Array<{ url: string }> }).results) {
				const response = await axios.get(result.url, { responseType: 'arraybuffer' });
				binaries.push(
					await prepareBinary(Buffer.from(response.data as ArrayBuffer), 'clip.mp4', 'video/mp4'),
				);
			}
			return binaries;
		};
		// Warm-up: loads modules and compiles the code paths before the baseline is taken.
		if (variant === 'node') await getOutputs();
		else await buffered();

		const sampler = await startRssSampler();
		for (let i = 0; i < 3; i++) gc();
		const baseRss = process.memoryUsage.rss();
		sampler.begin();
		const started = Date.now();
		const binaries =
			variant === 'node'
				? (await getOutputs()).output[0].map((item) => item.binary!.data)
				: await buffered();
		const ms = Date.now() - started;
		const peakRss = Math.max(await sampler.stop(), process.memoryUsage.rss());
		if (binaries.length !== files) throw new Error(`${binaries.length} files instead of ${files}`);
		const last = await readBinary(binaries[binaries.length - 1]);
		if (last.length !== fileBytes) throw new Error(`a file has ${last.length} bytes`);
		return { mode, variant, files, fileBytes, rssAboveBytes: peakRss - baseRss, ms };
	} finally {
		host.stop();
	}
}

/** One measurement in a fresh process: memory a first run leaves in rss would skew a second. */
export async function measureInChild(
	mode: string,
	variant: string,
	files: number,
	mb: number,
): Promise<DownloadMemoryResult> {
	const child = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', __filename, mode, variant, String(files), String(mb)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	let out = '';
	child.stdout.on('data', (data: Buffer) => (out += data.toString()));
	const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
	const match = /RESULT (.*)/.exec(out);
	if (code !== 0 || !match) throw new Error(`download-memory ${mode} ${variant} failed: ${out}`);
	return JSON.parse(match[1]) as DownloadMemoryResult;
}

export function describeResult(result: DownloadMemoryResult): string {
	const total = result.files * result.fileBytes;
	return `${(result.rssAboveBytes / MB).toFixed(1)} MB rss above baseline = ${(result.rssAboveBytes / total).toFixed(2)}× the files' ${Math.round(total / MB)} MB (${(result.ms / 1000).toFixed(1)} s)`;
}

async function main(): Promise<void> {
	const [which = 'all', second, third, fourth] = process.argv.slice(2);
	if (which === 'all') {
		const files = Number(second ?? 10);
		const mb = Number(third ?? 20);
		for (const mode of ['filesystem', 'default'])
			for (const variant of ['node', 'buffered']) {
				const result = await measureInChild(mode, variant, files, mb);
				console.log(`${mode.padEnd(10)} ${variant.padEnd(8)} ${describeResult(result)}`);
			}
		return;
	}
	const result = await measure(
		which as 'default' | 'filesystem',
		(second ?? 'node') as 'node' | 'buffered',
		Number(third ?? 10),
		Math.round(Number(fourth ?? 20) * MB),
	);
	console.log(`RESULT ${JSON.stringify(result)}`);
}

if (require.main === module)
	main().catch((error: unknown) => {
		process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
		process.exitCode = 1;
	});
