import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { QueueStatus } from '../../helpers/concurrency';

export const description: INodeProperties[] = [];

interface AccountStatus {
	remainCoins?: string | number | null;
	currentTaskCounts?: string | number | null;
	remainMoney?: string | number | null;
	currency?: string | null;
	apiType?: string | null;
}

/** RunningHub sends these as strings, numbers or null depending on account and API version. */
function toNumber(value: string | number | null | undefined): number | null {
	if (value === null || value === undefined || value === '') return null;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : null;
}

const NO_QUEUE_STATUS: QueueStatus = {
	apiKeyType: null,
	concurrentLimit: null,
	runningCount: null,
	queuedCount: null,
	totalCurrentTasks: null,
};

/**
 * The balance (v1 account status) and, beside it, the key's queue (v2 queue status: type,
 * concurrency limit, running and queued tasks). A key whose queue cannot be read still gets its
 * balance: the queue fields are null and `queueStatusError` says why.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { readQueueStatus } = await import('../../helpers/concurrency');
	const { apiRequestV1 } = await import('../../transport');
	const [status, queue] = await Promise.all([
		apiRequestV1.call(this, { path: '/uc/openapi/accountStatus' }) as Promise<AccountStatus | null>,
		readQueueStatus(this).then(
			(answer) => ({ answer, error: null }),
			(error: unknown) => ({
				answer: NO_QUEUE_STATUS,
				error: (error as Error)?.message ?? String(error),
			}),
		),
	]);
	return [
		{
			json: {
				remainCoins: toNumber(status?.remainCoins),
				remainMoney: toNumber(status?.remainMoney),
				currency: status?.currency ?? null,
				currentTaskCounts: toNumber(status?.currentTaskCounts),
				apiType: status?.apiType ?? null,
				...queue.answer,
				...(queue.error ? { queueStatusError: queue.error } : {}),
			},
		},
	];
}
