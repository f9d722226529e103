import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import { searchModels } from './listSearch';
import { getQuickCreateStyles } from './quickCreate';
import { getModelParameterGuide, getModelParameters } from './modelParameters';
import { getAppInputs, getWorkflowInputs } from './resourceMapping';

/** The node's `methods`: one object per kind, one entry per method. */
export const listSearch: Record<
	string,
	(
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	) => Promise<INodeListSearchResult>
> = {
	searchModels,
};

export const loadOptions: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>
> = {
	getModelParameterGuide,
	getQuickCreateStyles,
};

export const resourceMapping: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>
> = {
	getAppInputs,
	getModelParameters,
	getWorkflowInputs,
};
