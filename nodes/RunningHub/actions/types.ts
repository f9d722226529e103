import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One resource/operation pair: its parameters and what it does for one input item. */
export interface OperationModule {
	description: INodeProperties[];
	/**
	 * Returns the output items for input item `itemIndex`; the router adds pairedItem. It imports
	 * the logic it needs when it runs (`await import(...)`), so loading the node reads only the
	 * descriptions.
	 */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
	/**
	 * Operations that start RunningHub tasks run their items side by side, up to the Max Concurrent
	 * Tasks option (read from item 0); the others run items one after another.
	 */
	runsTasks?: boolean;
}

export type ResourceOperations = Record<string, OperationModule>;
