import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	BatchStoppedError,
	TaskSlots,
	resolveConcurrency,
	useTaskSlots,
} from '../helpers/concurrency';
import { MAX_CONCURRENT_LIMIT } from '../helpers/constants';
import { failureItem } from '../helpers/failureItem';
import { maxConcurrentTasks } from '../helpers/run';
import { isToolMode, toolErrorResult } from '../helpers/toolMode';
import { asNodeError, taskIdOf } from '../transport';
import { operationsByResource } from './operations';
import type { OperationModule } from './types';

/**
 * Runs the chosen operation for every input item: one at a time, or up to the operation's
 * concurrency limit. Results keep input order; every output item is paired with its input item;
 * with "Continue On Fail" a failing item becomes an `{error}` item and the others still complete.
 * As an AI agent's tool, a failure is always returned as data: the model reads it and can act on
 * it,
 * whereas a thrown error reaches it empty (AI Agent 2) or without its advice (AI Agent 3).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (!isToolMode(this)) return await runItems.call(this, false);
	try {
		return await runItems.call(this, true);
	} catch (error) {
		if (this.getExecutionCancelSignal?.()?.aborted) throw asNodeError(this.getNode(), error, 0);
		return [[{ json: toolErrorResult(error), pairedItem: { item: 0 } }]];
	}
}

async function runItems(
	this: IExecuteFunctions,
	toolMode: boolean,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const action: OperationModule | undefined = operationsByResource[resource]?.[operation];
	if (!action) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}

	const concurrency = action.runsTasks
		? await resolveConcurrency(this, maxConcurrentTasks(this), items.length, MAX_CONCURRENT_LIMIT)
		: 1;
	// The key's slots, shared by the items of this run (each takes one from its create to its task's
	// end).
	const slots = new TaskSlots(concurrency);
	if (concurrency > 1) useTaskSlots(this, slots);
	const results: INodeExecutionData[][] = new Array(items.length);
	const signal = this.getExecutionCancelSignal?.();

	const failures: Array<{ itemIndex: number; error: unknown }> = [];

	const runItem = async (itemIndex: number): Promise<void> => {
		try {
			const output = await action.execute.call(this, itemIndex);
			results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		} catch (error) {
			// Not a failure of its own: the item was waiting to create its task when another one failed.
			if (error instanceof BatchStoppedError) return;
			if (toolMode && !signal?.aborted) {
				results[itemIndex] = [{ json: toolErrorResult(error), pairedItem: { item: itemIndex } }];
				return;
			}
			if (this.continueOnFail() && !signal?.aborted) {
				results[itemIndex] = [failureItem(this.getNode(), error, itemIndex)];
				return;
			}
			failures.push({ itemIndex, error });
			slots.stop();
		} finally {
			slots.release(itemIndex);
		}
	};

	// Workers take the next item until all are done; after a failure no new item is started, but
	// the ones already running finish (their remote tasks are billed either way).
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length && failures.length === 0) {
			const itemIndex = next++;
			await runItem(itemIndex);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));

	if (failures.length) {
		const first = failures.sort((a, b) => a.itemIndex - b.itemIndex)[0];
		const error = asNodeError(this.getNode(), first.error, first.itemIndex);
		listCreatedTasks(error, results, failures);
		throw error;
	}
	return [results.flat()];
}

/**
 * When a batch stops at a failing item, the tasks other items had already created still run and
 * are billed: the error names them (text and `context.createdTasks`), so they can be collected
 * with Task › Get Outputs instead of being run again.
 */
function listCreatedTasks(
	error: ReturnType<typeof asNodeError>,
	results: INodeExecutionData[][],
	failures: Array<{ itemIndex: number; error: unknown }>,
): void {
	const created: Array<{ item: number; taskId: string }> = [];
	results.forEach((output, itemIndex) => {
		const taskId = output?.[0]?.json?.taskId;
		if (typeof taskId === 'string' && taskId !== '') created.push({ item: itemIndex, taskId });
	});
	for (const failure of failures) {
		const taskId = taskIdOf(failure.error);
		if (taskId) created.push({ item: failure.itemIndex, taskId });
	}
	if (!created.length) return;
	created.sort((a, b) => a.item - b.item);
	error.context = { ...(error.context ?? {}), createdTasks: created };
	const list = created.map(({ item, taskId }) => `item ${item}: task ${taskId}`).join(', ');
	error.description =
		`${error.description ? `${error.description} ` : ''}Tasks this batch had ` +
		`already created (they run and are billed on RunningHub; get their results with Task › Get ` +
		`Outputs instead of running them again): ${list}.`;
}
