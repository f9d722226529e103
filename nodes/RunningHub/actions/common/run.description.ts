import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_CONCURRENT_TASKS,
	MAX_CONCURRENT_LIMIT,
	WAIT_LIMITS,
	WAIT_MODE_NAMES,
} from '../../helpers/constants';
import { outputOptionFields } from './output.description';

/** The Wait Mode of every run (workflow, AI app, model). */
export const waitModeProperty: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: WAIT_MODE_NAMES.wait,
			value: 'wait',
			description: 'Check RunningHub until the task ends, then return its outputs (and files)',
		},
		{
			name: WAIT_MODE_NAMES.submit,
			value: 'submit',
			description:
				'Return as soon as the task is created; get the result later with Task › Get Outputs or ' +
				'a RunningHub Trigger',
		},
		{
			name: WAIT_MODE_NAMES.callback,
			value: 'callback',
			description:
				'Pause the execution until RunningHub reports the end of the task (no worker is held; ' +
				'for long jobs). One item per execution; n8n must be reachable from the internet.',
		},
	],
	default: 'wait',
	description: 'Whether to wait for the generated files or only start the task',
};

/** Fields of the Options collection that tune waiting (defaults match DEFAULT_WAIT_OPTIONS). */
const waitOptionFields: INodeProperties[] = [
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: {
			minValue: WAIT_LIMITS.pollIntervalSeconds.min,
			maxValue: WAIT_LIMITS.pollIntervalSeconds.max,
			numberPrecision: 1,
		},
		default: 5,
		description:
			'How often to ask RunningHub whether the task has finished. The first checks come sooner ' +
			'(1, 2 and 3 s after the start) so short tasks are not held to the interval.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: {
			minValue: WAIT_LIMITS.timeoutSeconds.min,
			maxValue: WAIT_LIMITS.timeoutSeconds.max,
		},
		default: 1800,
		description: 'How long to wait for the task before giving up. Video can take many minutes.',
	},
	{
		displayName: 'Cancel Task on Timeout or Stop',
		name: 'cancelOnTimeout',
		type: 'boolean',
		default: true,
		description:
			'Whether to cancel the RunningHub task when the timeout passes or the execution is ' +
			'stopped, so it stops costing money',
	},
];

/**
 * The Options fields that tune waiting and output files; hidden when only the task ID is returned.
 */
export const waitingOptionFields: INodeProperties[] = [
	...waitOptionFields,
	...outputOptionFields,
].map((field) => ({
	...field,
	displayOptions: { hide: { '/waitMode': ['submit'] } },
}));

export const maxConcurrentTasksField: INodeProperties = {
	displayName: 'Max Concurrent Tasks',
	name: 'maxConcurrentTasks',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_CONCURRENT_LIMIT },
	default: DEFAULT_MAX_CONCURRENT_TASKS,
	hint: '0 = Auto: as many as the API key allows',
	description:
		"How many input items run on RunningHub at the same time. 0 (Auto) reads the API key's own " +
		'limit from RunningHub (2 for a personal account, 50 or more for enterprise keys). When ' +
		"RunningHub's queue is full, items wait until one of the batch's tasks ends.",
};

/** Where RunningHub posts TASK_END; read by readRunSettings for every kind of run. */
export const webhookUrlOptionField: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/webhook/runninghub',
	description:
		'RunningHub posts the TASK_END event here when the task ends, e.g. the Production URL of a ' +
		'RunningHub Trigger node',
};

/** Options of workflow and AI app tasks (the v1 create endpoints). */
const v1SubmitOptionFields: INodeProperties[] = [
	{
		displayName: 'Instance Type',
		name: 'instanceType',
		type: 'options',
		options: [
			{ name: 'Default (24 GB GPU)', value: 'default' },
			{ name: 'Plus (48 GB GPU)', value: 'plus' },
			{ name: 'Ultra (84 GB GPU)', value: 'ultra' },
		],
		default: 'default',
		description: 'GPU memory of the machine that runs the task. Plus and Ultra cost more.',
	},
	{
		displayName: 'Access Password',
		name: 'accessPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Password of an access-encrypted workflow or AI app (its owner gives it out; the app page ' +
			'shows a lock)',
	},
	{
		displayName: 'Use Personal Queue',
		name: 'usePersonalQueue',
		type: 'boolean',
		default: false,
		description:
			'Whether to queue the task when all dedicated machines are busy instead of failing ' +
			'(enterprise-exclusive keys only)',
	},
	webhookUrlOptionField,
	{
		displayName: 'Retain Seconds',
		name: 'retainSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 180 },
		default: 0,
		description:
			'Keep the machine warm for this many seconds (10–180) after the task, so the next task ' +
			'starts faster (enterprise-shared keys, billed). 0 = off.',
	},
];

/**
 * The Options collection of a workflow or AI app run: submit options, concurrency, waiting and
 * outputs, sorted by name.
 */
export function v1RunOptionsProperty(extraFields: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...extraFields,
			...v1SubmitOptionFields,
			maxConcurrentTasksField,
			...waitingOptionFields,
		].sort(byDisplayName),
	};
}

/**
 * Alphabetical order of a collection's fields, as n8n lists them. A plain comparison, not
 * localeCompare: the first localeCompare of a process sets up ICU's collator (~10 ms), which the
 * node's load would pay.
 */
export function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	if (a.displayName === b.displayName) return 0;
	return a.displayName < b.displayName ? -1 : 1;
}
