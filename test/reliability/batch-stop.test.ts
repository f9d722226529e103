/**
 * A batch without Continue On Fail stops at the first failing item; the tasks the items before it
 * had created still run and are billed, so the error lists them (text and data).
 */
import type { IDataObject } from 'n8n-workflow';

import { useBinaryMode } from '../harness/n8n';
import type { RunningHubSimulator } from '../simulator';
import { WORKFLOW_ID_TXT2IMG, startSimulator } from '../simulator';
import { failureOf, run, useFastBudgets, workflowRun } from './support';

let sim: RunningHubSimulator;
let restoreBudgets: () => void;

beforeAll(async () => {
	await useBinaryMode('default');
	sim = await startSimulator({ queuedMs: 10, runningMs: 40 });
	restoreBudgets = useFastBudgets();
});

afterAll(async () => {
	restoreBudgets();
	await sim.stop();
});

it('the error of a stopped batch lists the task IDs already created, by item', async () => {
	const items = ['first ok', 'second [[fail]]', 'third ok'].map((prompt) => ({ json: { prompt } }));
	const { error, text } = await failureOf(
		run(
			sim,
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				{
					inputMode: 'nodeInfoListJson',
					nodeInfoListJson:
						'={{ JSON.stringify([{ nodeId: "6", fieldName: "text", fieldValue: $json.prompt }]) }}',
				},
				{ downloadOutputs: false, maxConcurrentTasks: 1 },
			),
			{ items },
		),
	);
	const created = [...sim.tasks.keys()];
	expect(created).toHaveLength(2);
	expect(text).toMatch(/Tasks this batch had already created/);
	expect(text).toContain(`item 0: task ${created[0]}`);
	expect(text).toContain(`item 1: task ${created[1]}`);
	expect((error.context as IDataObject).createdTasks).toEqual([
		{ item: 0, taskId: created[0] },
		{ item: 1, taskId: created[1] },
	]);
});
