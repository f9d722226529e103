/**
 * What several benchmarks need: loading the node's TypeScript sources under ts-node, a child
 * process that announces its address, and the peak rss of a measured stretch.
 */
import type { SpawnOptions } from 'child_process';
import { spawn } from 'child_process';
import { Worker } from 'worker_threads';

/**
 * Node tries ".json" before ts-node's ".ts", so "RunningHub.node" would resolve to the codex file
 * RunningHub.node.json (jest does not have this problem). Call before requiring the node or the
 * test harness.
 */
export function resolveTypeScriptBeforeJson(): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const extensions = require.extensions as Record<string, unknown>;
	const jsonLoader = extensions['.json'];
	delete extensions['.json'];
	extensions['.json'] = jsonLoader;
}

/**
 * Starts `node <args>` (`what`, for errors) and resolves once it prints `<prefix> <value>` on
 * stdout (its address); rejects if it exits first. `stop()` kills it.
 */
export async function spawnAnnouncing(
	what: string,
	args: string[],
	prefix: string,
	options: SpawnOptions = {},
): Promise<{ value: string; stop: () => void }> {
	const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
	const pattern = new RegExp(`${prefix} (\\S+)`);
	const value = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (data: Buffer) => {
			out += data.toString();
			const match = pattern.exec(out);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
	});
	return { value, stop: () => child.kill() };
}

/** Samples rss every millisecond in a worker from `begin()`; `stop()` returns the peak. */
export async function startRssSampler(): Promise<{
	begin: () => void;
	stop: () => Promise<number>;
}> {
	const worker = new Worker(
		`const { parentPort } = require('worker_threads');
		let peak = 0, running = false;
		parentPort.on('message', (m) => {
			if (m === 'begin') { running = true; tick(); }
			else { running = false; parentPort.postMessage(peak); }
		});
		function tick() { const r = process.memoryUsage.rss(); if (r > peak) peak = r; if (running) setTimeout(tick, 1); }
		parentPort.postMessage('ready');`,
		{ eval: true },
	);
	await new Promise((resolve) => worker.once('message', resolve));
	return {
		begin: () => worker.postMessage('begin'),
		stop: async () =>
			await new Promise<number>((resolve) => {
				worker.once('message', (peak: number) => {
					void worker.terminate();
					resolve(peak);
				});
				worker.postMessage('stop');
			}),
	};
}
