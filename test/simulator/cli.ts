/**
 * Run the simulator by hand:
 *
 *   npx ts-node --transpile-only test/simulator/cli.ts --port 5700 [--host 0.0.0.0] [--queued-ms 2000]
 *     [--running-ms 5000] [--public-base-url http://host.docker.internal:5700] [--log]
 *     [--v2-failed-reason details|empty]
 *
 * Environment: RH_SIM_PORT, RH_SIM_HOST, RH_SIM_PUBLIC_BASE_URL, RH_SIM_QUEUED_MS, RH_SIM_RUNNING_MS, RH_SIM_LOG=1,
 * RH_SIM_V2_FAILED_REASON.
 * Stops on SIGINT/SIGTERM.
 */

import { SIM_KEYS } from './keys';
import { FIXTURE_APPS, FIXTURE_WORKFLOWS } from './fixtures';
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

function arg(name: string): string | undefined {
	const args = process.argv.slice(2);
	const idx = args.indexOf(`--${name}`);
	if (idx >= 0 && idx + 1 < args.length && !args[idx + 1].startsWith('--')) return args[idx + 1];
	const eq = args.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.slice(name.length + 3) : undefined;
}

function num(value: string | undefined): number | undefined {
	if (value === undefined || value === '') return undefined;
	const n = Number(value);
	if (!Number.isFinite(n)) throw new Error(`not a number: ${value}`);
	return n;
}

async function main(): Promise<void> {
	const options: SimulatorOptions = {
		port: num(arg('port') ?? process.env.RH_SIM_PORT) ?? 5700,
		host: arg('host') ?? process.env.RH_SIM_HOST ?? '127.0.0.1',
		publicBaseUrl: arg('public-base-url') ?? process.env.RH_SIM_PUBLIC_BASE_URL,
		queuedMs: num(arg('queued-ms') ?? process.env.RH_SIM_QUEUED_MS) ?? 1000,
		runningMs: num(arg('running-ms') ?? process.env.RH_SIM_RUNNING_MS) ?? 3000,
		log: process.argv.includes('--log') || process.env.RH_SIM_LOG === '1',
	};
	const v2FailedReason = arg('v2-failed-reason') ?? process.env.RH_SIM_V2_FAILED_REASON;
	if (v2FailedReason === 'details' || v2FailedReason === 'empty')
		options.v2FailedReason = v2FailedReason;
	const sim = await startSimulator(options);
	const lines = [
		`RunningHub simulator listening on ${sim.baseUrl}`,
		`public base URL: ${sim.publicBaseUrl}`,
		'',
		'API keys:',
		...Object.entries(SIM_KEYS).map(
			([key, info]) => `  ${key}  ${info.apiType.padEnd(9)} ${info.description}`,
		),
		'',
		'Workflows:',
		...Object.entries(FIXTURE_WORKFLOWS).map(([id, file]) => `  ${id}  ${file}`),
		'AI apps:',
		...Object.entries(FIXTURE_APPS).map(([id, file]) => `  ${id}  ${file}`),
		'',
		`Control API: GET ${sim.baseUrl}/__sim/state  (see test/simulator/README.md)`,
	];
	process.stdout.write(lines.join('\n') + '\n');

	const shutdown = (signal: string): void => {
		process.stdout.write(`\n${signal} received, stopping simulator\n`);
		sim.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
	process.stderr.write(`simulator failed to start: ${err.message}\n`);
	process.exit(1);
});
