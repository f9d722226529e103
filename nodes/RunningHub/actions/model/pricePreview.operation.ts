import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { apiRequestV2 } from '../../transport';
import {
	buildModelBody,
	getModelEndpoint,
	modelEndpointField,
	modelParameterFields,
} from './common';

export const description: INodeProperties[] = [
	modelEndpointField(['pricePreview']),
	...modelParameterFields(['pricePreview']),
];

/**
 * POST /openapi/v2/price-preview/<endpoint> with the body a generation would send (§10.5). Not
 * billed; binary inputs are still uploaded, since the price may depend on the file.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const model = getModelEndpoint(this, itemIndex);
	const body = await buildModelBody(this, itemIndex, model);
	const data = await apiRequestV2.call(this, {
		path: `/openapi/v2/price-preview/${model.endpoint}`,
		body,
	});
	const estimate =
		data && typeof data === 'object' && !Array.isArray(data)
			? (data as IDataObject)
			: { estimate: data as IDataObject[keyof IDataObject] };
	return [{ json: { model: model.endpoint, ...estimate } }];
}
