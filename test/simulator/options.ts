/** The simulator's starting state: options with their defaults, and zeroed counters. */

import type { ResolvedOptions, SimStats, SimulatorOptions } from './types';

export const MiB = 1024 * 1024;

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
	return {
		port: o.port ?? 0,
		host: o.host ?? '127.0.0.1',
		queuedMs: o.queuedMs ?? 50,
		runningMs: o.runningMs ?? 150,
		pollsBeforeDone: o.pollsBeforeDone,
		webhookRetryDelaysMs: o.webhookRetryDelaysMs ?? [50, 100, 200],
		webhookTimeoutMs: o.webhookTimeoutMs ?? 3000,
		maxUploadBytes: o.maxUploadBytes ?? 30 * MiB,
		maxMediaUploadBytes: o.maxMediaUploadBytes,
		publicBaseUrl: o.publicBaseUrl,
		log: o.log ?? false,
		cancelStatus: o.cancelStatus ?? 'FAILED',
		strictModels: o.strictModels ?? false,
		v2FailedReason: o.v2FailedReason ?? 'details',
		unknownTaskStatus: o.unknownTaskStatus ?? '',
		pricePreviewErrorCode: o.pricePreviewErrorCode ?? 0,
	};
}

export function emptyStats(): SimStats {
	return {
		createRequests: 0,
		tasksCreated: 0,
		statusRequests: 0,
		cancelRequests: 0,
		tasksCancelled: 0,
		uploads: 0,
		webhookAttempts: 0,
		faultsInjected: 0,
		credentialLeaks: 0,
		byRoute: {},
	};
}
