import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const taskIdField = (operations: string[]): INodeProperties => ({
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1904152026220003329',
	description: 'The 19-digit ID RunningHub returned when the task was created',
	displayOptions: { show: { resource: ['task'], operation: operations } },
});

/** Reads and checks the task ID; keeps it a string (19 digits do not fit a JS number). */
export function getTaskId(
	context: IExecuteFunctions,
	itemIndex: number,
	parameterName = 'taskId',
): string {
	const raw = context.getNodeParameter(parameterName, itemIndex, '') as string | number;
	const taskId = String(raw ?? '').trim();
	if (!/^\d{1,25}$/.test(taskId)) {
		throw new NodeOperationError(
			context.getNode(),
			`Task ID must be the numeric ID RunningHub returned (e.g. 1904152026220003329), got "${taskId}"`,
			{
				itemIndex,
				description:
					'Use an expression such as {{ $json.taskId }} to take it from a previous RunningHub node.',
			},
		);
	}
	if (typeof raw === 'number' && !Number.isSafeInteger(raw)) {
		throw new NodeOperationError(
			context.getNode(),
			`Task ID ${taskId} arrived as a JavaScript number and has lost its last digits`,
			{
				itemIndex,
				description:
					'Pass the task ID as text, e.g. {{ String($json.taskId) }}, or take it from the RunningHub node output, which keeps it as text.',
			},
		);
	}
	return taskId;
}
