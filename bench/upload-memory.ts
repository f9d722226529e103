/**
 * Peak memory of File › Upload for a 25 MB file, through n8n-core's real request and binary code.
 *
 *   npx ts-node --transpile-only bench/upload-memory.ts [both|default|filesystem] [sizeMB]
 *
 * The simulator runs in a child process, so its own copy of the received body is not counted, and
 * each binary mode runs in a fresh process. Memory is sampled every millisecond: rss from a worker
 * thread (rss is per process, so the worker sees peaks even while the main thread is busy), and
 * arrayBuffers / external / heapUsed from the main thread. Target: peak above baseline < 2 x file.
 *
 * Reading the figures: Node's `external` already includes `arrayBuffers`, so "arrayBuffers +
 * external" counts every Buffer twice; `external` is the off-heap memory counted once. rss above
 * baseline stays low because preparing the input binary leaves freed pages the upload reuses.
 * The verdict takes the worse of rss and external.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import { SIM_KEY_NORMAL } from '../test/simulator/keys';

import { resolveTypeScriptBeforeJson, spawnAnnouncing, startRssSampler } from './support';

resolveTypeScriptBeforeJson();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareBinary, runNode, simulatorCredentials, useBinaryMode } =
	require('../test/harness/n8n') as typeof import('../test/harness/n8n');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MB = 1024 * 1024;

async function startSimulatorProcess(): Promise<{ baseUrl: string; stop: () => void }> {
	const root = path.resolve(__dirname, '..');
	const script = `require(${JSON.stringify(path.join(root, 'test/simulator'))}).startSimulator({ maxUploadBytes: 64 * 1024 * 1024 }).then((s) => console.log('SIM ' + s.baseUrl));`;
	const sim = await spawnAnnouncing(
		'simulator',
		['-r', 'ts-node/register/transpile-only', '-e', script],
		'SIM',
		{ cwd: root },
	);
	return { baseUrl: sim.value, stop: sim.stop };
}

interface BufferUsage {
	arrayBuffers: number;
	external: number;
	sum: number;
}

function buffersNow(): BufferUsage {
	const { arrayBuffers, external } = process.memoryUsage();
	return { arrayBuffers, external, sum: arrayBuffers + external };
}

function maxUsage(a: BufferUsage, b: BufferUsage): BufferUsage {
	return {
		arrayBuffers: Math.max(a.arrayBuffers, b.arrayBuffers),
		external: Math.max(a.external, b.external),
		sum: Math.max(a.sum, b.sum),
	};
}

const fmt = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

async function measure(
	mode: 'default' | 'filesystem',
	baseUrl: string,
	sizeBytes: number,
): Promise<boolean> {
	await useBinaryMode(mode);
	const credentials = simulatorCredentials(baseUrl, SIM_KEY_NORMAL);
	const parameters = {
		resource: 'file',
		operation: 'upload',
		binaryPropertyName: 'data',
		target: 'media',
	};

	// Warm-up with a small file: loads modules, compiles the code paths, opens the connection pool.
	// (A full-size warm-up would leave freed pages in rss and hide the cost of the measured run.)
	const warmup = await prepareBinary(Buffer.alloc(1024 * 1024, 1), 'warmup.mp4', 'video/mp4');
	await runNode({ parameters, credentials, items: [{ json: {}, binary: { data: warmup } }] });

	let binary = await prepareBinary(Buffer.alloc(sizeBytes, 3), 'bench.mp4', 'video/mp4');
	// The sampler's own thread costs memory too, so it starts before the baseline is taken.
	const sampler = await startRssSampler();
	for (let i = 0; i < 3; i++) gc();
	const baseRss = process.memoryUsage.rss();
	const baseBuffers = buffersNow();
	const baseHeap = process.memoryUsage().heapUsed;
	sampler.begin();
	let peakBuffers = baseBuffers;
	let peakHeap = baseHeap;
	const timer = setInterval(() => {
		peakBuffers = maxUsage(peakBuffers, buffersNow());
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	}, 1);
	const started = Date.now();
	const { output } = await runNode({
		parameters,
		credentials,
		items: [{ json: {}, binary: { data: binary } }],
	});
	peakBuffers = maxUsage(peakBuffers, buffersNow());
	clearInterval(timer);
	const ms = Date.now() - started;
	const peakRss = Math.max(await sampler.stop(), process.memoryUsage.rss());
	binary = undefined as never;

	const sent = Number(output[0][0].json.size);
	if (sent !== sizeBytes) throw new Error(`uploaded ${sent} bytes instead of ${sizeBytes}`);
	const rssAbove = peakRss - baseRss;
	const ratio = (above: number) => `${(above / sizeBytes).toFixed(2)} x file`;
	const line = (label: string, base: number, peak: number) =>
		console.log(
			`  ${label.padEnd(24)} baseline ${fmt(base).padStart(9)}   peak ${fmt(peak).padStart(9)}   above baseline ${fmt(peak - base).padStart(8)} = ${ratio(peak - base)}`,
		);
	// Node's `external` already includes `arrayBuffers`, so their sum counts Buffers twice; the
	// verdict uses rss (everything the process holds) and external (all off-heap memory, once).
	const worst = Math.max(rssAbove, peakBuffers.external - baseBuffers.external) / sizeBytes;
	console.log(`\nbinary mode: ${mode}   file: ${fmt(sizeBytes)}   upload took ${ms} ms`);
	line('rss', baseRss, peakRss);
	line('external', baseBuffers.external, peakBuffers.external);
	line('arrayBuffers', baseBuffers.arrayBuffers, peakBuffers.arrayBuffers);
	line('arrayBuffers + external', baseBuffers.sum, peakBuffers.sum);
	line('heapUsed (JS objects)', baseHeap, peakHeap);
	console.log(
		`  target < 2.00 x file (rss and external): ${worst < 2 ? 'MET' : 'NOT MET'} (worst ${worst.toFixed(2)} x)`,
	);
	return worst < 2;
}

/** Each mode runs in a fresh process: memory the first run leaves in rss would skew the second. */
function runModeInChild(mode: string, sizeMb: string): Promise<number> {
	const child = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', __filename, mode, sizeMb],
		{ stdio: 'inherit' },
	);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function main() {
	const which = process.argv[2] ?? 'both';
	const sizeMb = process.argv[3] ?? '25';
	if (which === 'both') {
		const codes = [
			await runModeInChild('default', sizeMb),
			await runModeInChild('filesystem', sizeMb),
		];
		process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
		return;
	}
	const sizeBytes = Math.round(Number(sizeMb) * MB);
	const sim = await startSimulatorProcess();
	try {
		process.exitCode = (await measure(
			which === 'filesystem' ? 'filesystem' : 'default',
			sim.baseUrl,
			sizeBytes,
		))
			? 0
			: 1;
	} finally {
		sim.stop();
	}
}

void main();
