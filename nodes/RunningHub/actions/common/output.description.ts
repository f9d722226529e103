import type { INodeProperties } from 'n8n-workflow';

/**
 * Options shared by every operation that returns a task's files (defaults match
 * DEFAULT_OUTPUT_OPTIONS).
 */
export const outputOptionFields: INodeProperties[] = [
	{
		displayName: 'Download Outputs',
		name: 'downloadOutputs',
		type: 'boolean',
		default: true,
		description:
			'Whether to download the generated files into binary properties (result links expire ' +
			'after 24 hours). Text outputs always stay in the JSON.',
	},
	{
		displayName: 'Output Items',
		name: 'outputItems',
		type: 'options',
		options: [
			{
				name: 'One Item per File',
				value: 'perFile',
				description:
					'Each file in its own item, in the binary property "data" that file nodes read by ' +
					'default',
			},
			{
				name: 'One Item per Task',
				value: 'perTask',
				description:
					'All files of a task on one item, in data_0, data_1, … (see Binary Property Prefix)',
			},
		],
		default: 'perFile',
		description: 'How the downloaded files leave the node; every item stays paired with its input',
	},
	{
		displayName: 'Binary Property Prefix',
		name: 'binaryPropertyPrefix',
		type: 'string',
		default: 'data_',
		description:
			'With One Item per Task, files are put into binary properties named with this prefix and ' +
			'a number: data_0, data_1, …',
	},
	{
		displayName: 'Allow Partial Results',
		name: 'allowPartialResults',
		type: 'boolean',
		default: false,
		description:
			'Whether to return the task when some output files cannot be downloaded (the failures are ' +
			'listed in downloadFailures) instead of failing the item',
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'maxDownloadSizeMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 500,
		description:
			'Largest file to download. A larger one is not downloaded (the item fails, or with Allow ' +
			'Partial Results keeps its link and lists it in downloadFailures).',
	},
];
