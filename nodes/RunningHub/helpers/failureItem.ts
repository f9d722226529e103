import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { taskIdOf } from '../transport';

/*
 * The item a failure becomes when the node continues on fail ("On Error" set to one of the
 * Continue options): the message, the advice and the task ID as data, so the task can be fetched
 * or cancelled without reading them out of the message.
 */

/**
 * Whether the node's "On Error" setting continues (n8n's own test, also where no context offers
 * it).
 */
export function continuesOnFail(node: INode): boolean {
	return (
		node.continueOnFail === true ||
		['continueRegularOutput', 'continueErrorOutput'].includes(node.onError ?? '')
	);
}

/** The advice and the task an error carries, as data. */
export function failureDetails(error: unknown): IDataObject {
	const details: IDataObject = {};
	const description = (error as { description?: unknown } | undefined)?.description;
	if (typeof description === 'string' && description !== '') details.description = description;
	const taskId = taskIdOf(error);
	if (taskId) details.taskId = taskId;
	return details;
}

/**
 * `{error, description, taskId}` on the regular output. n8n moves an item to the error output
 * ("Continue (using error output)") only when its JSON holds nothing but `error`, `message` and
 * `details`, so there the advice and the task ID go under `details`.
 */
export function failureItem(node: INode, error: unknown, itemIndex: number): INodeExecutionData {
	const message = (error as Error | undefined)?.message ?? String(error);
	const details = failureDetails(error);
	const json: IDataObject =
		node.onError === 'continueErrorOutput'
			? { error: message, ...(Object.keys(details).length ? { details } : {}) }
			: { error: message, ...details };
	return { json, pairedItem: { item: itemIndex } };
}
