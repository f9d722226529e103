import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

/*
 * The node's `methods`: one object per kind, one entry per method. Each entry imports its module
 * when the editor first calls it, so loading the node reads neither these modules nor the model
 * catalogue and task logic they use.
 */

export const listSearch: Record<
	string,
	(
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	) => Promise<INodeListSearchResult>
> = {
	async searchModels(filter, paginationToken) {
		const { searchModels } = await import('./listSearch');
		return await searchModels.call(this, filter, paginationToken);
	},
};

export const loadOptions: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>
> = {
	async getModelParameterGuide() {
		const { getModelParameterGuide } = await import('./modelParameters');
		return await getModelParameterGuide.call(this);
	},
	async getQuickCreateStyles() {
		const { getQuickCreateStyles } = await import('./quickCreate');
		return await getQuickCreateStyles.call(this);
	},
};

export const resourceMapping: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>
> = {
	async getAppInputs() {
		const { getAppInputs } = await import('./resourceMapping');
		return await getAppInputs.call(this);
	},
	async getModelParameters() {
		const { getModelParameters } = await import('./modelParameters');
		return await getModelParameters.call(this);
	},
	async getWorkflowInputs() {
		const { getWorkflowInputs } = await import('./resourceMapping');
		return await getWorkflowInputs.call(this);
	},
};
