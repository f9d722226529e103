import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequestV1 } from '../../transport';

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

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const status = (await apiRequestV1.call(this, {
		path: '/uc/openapi/accountStatus',
	})) as AccountStatus | null;
	return [
		{
			json: {
				remainCoins: toNumber(status?.remainCoins),
				remainMoney: toNumber(status?.remainMoney),
				currency: status?.currency ?? null,
				currentTaskCounts: toNumber(status?.currentTaskCounts),
				apiType: status?.apiType ?? null,
			},
		},
	];
}
