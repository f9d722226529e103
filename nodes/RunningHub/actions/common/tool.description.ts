import type { INodeProperties } from 'n8n-workflow';

/*
 * The description an AI agent's model reads to choose this tool. n8n's automatic one only says
 * "Run a workflow in RunningHub", so a model cannot tell two RunningHub tools apart; this one is an
 * expression over the node's own parameters, naming the chosen workflow, AI app or model and what
 * comes back. Users may replace it with their own text.
 */

/** A node parameter inside the expression, safe when the parameter is not shown. */
const param = (name: string) => `$parameter[${JSON.stringify(name)}]`;
/**
 * The chosen ID of a resource locator: expressions see the locator's value (its cached display
 * name is not available to them), older saves may hold the whole locator object.
 */
const locatorLabel = (name: string, noun: string) =>
	`${JSON.stringify(`${noun} `)} + (${param(name)} && typeof ${param(name)} === 'object' ? ` +
	`${param(name)}.value : ${param(name)})`;

const WAIT_ANSWER = [
	`${param('waitMode')} === 'submit' ? ' It only starts the task and returns {taskId, status}; ` +
		`the files come later.'`,
	`${param('waitMode')} === 'callback' ? ' It waits until RunningHub reports the end of the ` +
		`task (the workflow pauses meanwhile), then returns JSON: status, taskId, cost and files[] ` +
		`with url (a public link valid about 24 hours), type and expiresAt; text outputs in texts[].'`,
	`' It waits for the task, usually seconds to a few minutes, then returns JSON: status, ` +
		`taskId, cost and files[] with url (a public link valid about 24 hours), type and ` +
		`expiresAt; text outputs in texts[].'`,
].join(' : ');

const ON_ERROR =
	`' If it fails it returns status ERROR with error (what failed) and whatToDo ` +
	`(what to change before calling again).'`;

const WHAT_IT_DOES: Array<[resource: string, operation: string, text: string]> = [
	[
		'workflow',
		'run',
		`'Generates files (images, video, audio) by running the RunningHub ComfyUI ' + ` +
			`${locatorLabel('workflowId', 'workflow')} + ' with the inputs given.' + (${WAIT_ANSWER})`,
	],
	[
		'aiApp',
		'run',
		`'Generates files by running the RunningHub ' + ${locatorLabel('webappId', 'AI app')} + ' ` +
			`with the inputs given.' + (${WAIT_ANSWER})`,
	],
	[
		'model',
		'generate',
		`'Generates files with the RunningHub hosted model ' + ` +
			`${locatorLabel('modelEndpoint', 'endpoint')} + ' from the inputs given.' + (${WAIT_ANSWER})`,
	],
	[
		'quickCreate',
		'run',
		`'Generates files by running the RunningHub Quick Create module ' + ${param('webappId')} + ` +
			`' (code ' + ${param('quickCreateCode')} + ') with the inputs given.' + (${WAIT_ANSWER})`,
	],
	[
		'model',
		'pricePreview',
		`'Tells the price of one generation with the RunningHub hosted model ' + ` +
			`${locatorLabel('modelEndpoint', 'endpoint')} + ', without running it.'`,
	],
	[
		'task',
		'getOutputs',
		`'Returns the status and, once finished, the file links (url, type) of a RunningHub task, ` +
			`given its taskId.'`,
	],
	[
		'task',
		'getStatus',
		`'Returns the status (QUEUED, RUNNING, SUCCESS, FAILED) of a RunningHub task, given its ` +
			`taskId.'`,
	],
	['task', 'cancel', `'Cancels a queued or running RunningHub task, given its taskId.'`],
	[
		'account',
		'get',
		`'Returns the RunningHub account balance (coins, money) and the number of running tasks.'`,
	],
];

function toolDescriptionExpression(): string {
	const cases = WHAT_IT_DOES.map(
		([resource, operation, text]) =>
			`${param('resource')} === ${JSON.stringify(resource)} && ${param('operation')} === ` +
			`${JSON.stringify(operation)} ? ${text}`,
	);
	const fallback =
		`'RunningHub (cloud ComfyUI): ' + ${param('operation')} + ' ' + ` +
		`${param('resource')} + '.'`;
	return `={{ (${[...cases, fallback].join(' : ')}) + ${ON_ERROR} }}`;
}

export const toolDescriptionProperty: INodeProperties = {
	displayName: 'Tool Description',
	name: 'toolDescription',
	type: 'string',
	default: toolDescriptionExpression(),
	typeOptions: { rows: 3 },
	description:
		'What the AI agent reads to decide when to use this tool and what it gets back. The default ' +
		'names the chosen workflow, AI app or model; replace it with your own words to steer the ' +
		'agent.',
	displayOptions: { show: { '@tool': [true] } },
};
