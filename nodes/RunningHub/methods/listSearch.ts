import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { CatalogueEntry } from '../catalogue';
import { searchModels as searchCatalogue } from '../catalogue';

/** Results per page of the model list; the catalogue holds about 300 models. */
export const MODEL_PAGE_SIZE = 50;

function words(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

/** "Kling v2.6 Pro · Text to Video"; names that do not say what the model does get the category added. */
export function modelListName(entry: CatalogueEntry): string {
	const mentionsTask = words(entry.name).includes(words(entry.category));
	return mentionsTask ? entry.name : `${entry.name} · ${entry.category}`;
}

/**
 * Standard Model API models of the built-in catalogue, matched on name, endpoint, provider and
 * category; deprecated ones last. The pagination token is the offset of the next page.
 */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string | number,
): Promise<INodeListSearchResult> {
	const matches = searchCatalogue(filter);
	const offset = Math.max(0, Number(paginationToken ?? 0) || 0);
	const page = matches.slice(offset, offset + MODEL_PAGE_SIZE);
	const results: INodeListSearchItems[] = page.map((entry) => ({
		name: modelListName(entry),
		value: entry.endpoint,
	}));
	const next = offset + MODEL_PAGE_SIZE;
	return next < matches.length ? { results, paginationToken: String(next) } : { results };
}
