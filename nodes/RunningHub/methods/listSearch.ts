import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { normalizeModelEndpoint, searchModels as searchCatalogue } from '../catalogue';

/** Results per page of the model list; the catalogue holds about 300 models. */
export const MODEL_PAGE_SIZE = 50;

/**
 * RunningHub's API documentation in English, where each model has a page under "Standard Model
 * API". A model links to its own page where RunningHub's documentation index lists one (those
 * pages are in the Chinese documentation; the English pages are numbered differently), and here
 * otherwise.
 */
export const MODEL_DOCS_URL = 'https://www.runninghub.ai/runninghub-api-doc-en/';

/**
 * Standard Model API models of the built-in catalogue, matched on name, endpoint, provider and
 * category; the most-used families' flagships first; deprecated ones only when typed exactly.
 * Names say the task ("Kling v3.0 Pro · Text to Video"). The pagination token is the offset of
 * the next page.
 */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string | number,
): Promise<INodeListSearchResult> {
	// Deprecated models stay out of the list (typed by hand, or matched exactly, they still work).
	const typed = normalizeModelEndpoint(filter ?? '').toLowerCase();
	const matches = searchCatalogue(filter).filter(
		(entry) => !entry.deprecated || (typed !== '' && entry.endpoint.toLowerCase() === typed),
	);
	const offset = Math.max(0, Number(paginationToken ?? 0) || 0);
	const page = matches.slice(offset, offset + MODEL_PAGE_SIZE);
	const results: INodeListSearchItems[] = page.map((entry) => {
		const pageTitle = entry.docName ?? entry.endpoint;
		const inEnglish = `in English under Standard Model API as "${pageTitle}"`;
		return {
			name: entry.name,
			value: entry.endpoint,
			url: entry.docUrl ?? MODEL_DOCS_URL,
			description: entry.docUrl
				? `Links to the model's page in RunningHub's API documentation (Chinese); also ` +
					`documented ${inEnglish}`
				: `Documented by RunningHub ${inEnglish}`,
		};
	});
	const next = offset + MODEL_PAGE_SIZE;
	return next < matches.length ? { results, paginationToken: String(next) } : { results };
}
