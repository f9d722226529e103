import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One resource/operation pair: its parameters and what it does for one input item. */
export interface OperationModule {
	description: INodeProperties[];
	/** Returns the output items for input item `itemIndex`; the router adds pairedItem. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
	/**
	 * How many input items may run at once (operations that start remote tasks): a number, or
	 * MAX_CONCURRENT_AUTO for the API key's limit. Read from item 0; absent means one after another.
	 */
	maxConcurrency?(this: IExecuteFunctions): number;
}

export type ResourceOperations = Record<string, OperationModule>;
