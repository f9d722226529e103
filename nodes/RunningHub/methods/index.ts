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

/** A method whose module `load` imports on its first call, not when the node loads. */
function onFirstUse<Args extends unknown[], Result>(
	load: () => Promise<(this: ILoadOptionsFunctions, ...args: Args) => Promise<Result>>,
): (this: ILoadOptionsFunctions, ...args: Args) => Promise<Result> {
	return async function (this: ILoadOptionsFunctions, ...args: Args) {
		const method = await load();
		return await method.call(this, ...args);
	};
}

export const listSearch: Record<
	string,
	(
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	) => Promise<INodeListSearchResult>
> = {
	searchModels: onFirstUse(async () => (await import('./listSearch')).searchModels),
};

export const loadOptions: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>
> = {
	getModelParameterGuide: onFirstUse(
		async () => (await import('./modelParameters')).getModelParameterGuide,
	),
	getQuickCreateStyles: onFirstUse(
		async () => (await import('./quickCreate')).getQuickCreateStyles,
	),
};

export const resourceMapping: Record<
	string,
	(this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>
> = {
	getAppInputs: onFirstUse(async () => (await import('./resourceMapping')).getAppInputs),
	getModelParameters: onFirstUse(
		async () => (await import('./modelParameters')).getModelParameters,
	),
	getWorkflowInputs: onFirstUse(async () => (await import('./resourceMapping')).getWorkflowInputs),
};
