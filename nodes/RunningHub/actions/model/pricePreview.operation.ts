import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelProperties } from './model.description';

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['pricePreview'] } },
	modelProperties,
);

function numberOrNull(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

function textOrNull(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}

/**
 * POST /openapi/v2/price-preview/<endpoint> with the body a generation would send. Not billed;
 * binary inputs are still uploaded, since the price may depend on the file. RunningHub answers one
 * flat object (`errorCode` beside the price fields, no `data` envelope).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { buildModelBody, getModelEndpoint } = await import('../../helpers/model');
	const { apiRequestV2Flat } = await import('../../transport');
	const model = getModelEndpoint(this, itemIndex);
	const body = await buildModelBody(this, itemIndex, model);
	const answer: IDataObject = await apiRequestV2Flat.call(this, {
		path: `/openapi/v2/price-preview/${model.endpoint}`,
		body,
	});
	return [
		{
			json: {
				model: model.endpoint,
				estimatedPrice: numberOrNull(answer.estimatedPrice),
				currency: textOrNull(answer.currency),
				priceText: textOrNull(answer.priceText),
				priceTextEn: textOrNull(answer.priceTextEn),
				freeLimit: answer.freeLimit === true || answer.freeLimit === 'true',
				freeLimitCount: numberOrNull(answer.freeLimitCount),
				remainingFreeLimitCount: numberOrNull(answer.remainingFreeLimitCount),
				isFreeThisCall: answer.isFreeThisCall === true || answer.isFreeThisCall === 'true',
			},
		},
	];
}
