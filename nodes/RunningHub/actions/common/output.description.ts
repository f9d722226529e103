import type { INodeProperties } from 'n8n-workflow';

/** Options shared by every operation that returns a task's files (defaults match DEFAULT_OUTPUT_OPTIONS). */
export const outputOptionFields: INodeProperties[] = [
	{
		displayName: 'Download Outputs',
		name: 'downloadOutputs',
		type: 'boolean',
		default: true,
		description:
			'Whether to download the generated files into binary properties (result links expire after 24 hours). Text outputs always stay in the JSON.',
	},
	{
		displayName: 'Binary Property Prefix',
		name: 'binaryPropertyPrefix',
		type: 'string',
		default: 'data_',
		description:
			'Files are put into binary properties named with this prefix and a number: data_0, data_1, …',
	},
	{
		displayName: 'Allow Partial Results',
		name: 'allowPartialResults',
		type: 'boolean',
		default: false,
		description:
			'Whether to return the task when some output files cannot be downloaded (the failures are listed in downloadFailures) instead of failing the item',
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'maxDownloadSizeMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 500,
		description:
			'Largest file to download. A larger one is not downloaded (the item fails, or with Allow Partial Results keeps its link and lists it in downloadFailures).',
	},
];
