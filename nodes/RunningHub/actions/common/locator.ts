import type { INodeProperties } from 'n8n-workflow';

import { ID_DIGITS, ID_KINDS } from '../../helpers/ids';

const ID_PATTERN = `^\\s*\\d{${ID_DIGITS}}\\s*$`;
const SITE = 'https?://(?:www\\.)?runninghub\\.(?:ai|cn)';

/**
 * A workflow or AI app picker: the 19-digit ID, or the page URL on runninghub.ai / runninghub.cn.
 */
export function idLocatorProperty(kind: 'workflow' | 'webapp', name: string): INodeProperties {
	const info = ID_KINDS[kind];
	const urlPattern = `${SITE}/(?:${info.paths.join('|')})/(\\d{${ID_DIGITS}})`;
	return {
		displayName: info.label,
		name,
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description:
			`The RunningHub ${info.label.toLowerCase()} to run. It must have run ` +
			`successfully once on the RunningHub site.`,
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${info.exampleId}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: ID_PATTERN,
							errorMessage:
								`Enter the 19-digit ${info.label.toLowerCase()} ID, e.g. ` + `${info.exampleId}`,
						},
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. ${info.exampleUrl}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `^\\s*${urlPattern}`,
							errorMessage:
								`Enter the ${info.label.toLowerCase()} page URL on runninghub.ai or ` +
								`runninghub.cn, e.g. ${info.exampleUrl}`,
						},
					},
				],
				extractValue: { type: 'regex', regex: urlPattern },
			},
		],
	};
}

/** The Task ID field of the Task operations. */
export const taskIdProperty: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: `e.g. ${ID_KINDS.task.exampleId}`,
	description: 'The 19-digit ID RunningHub returned when the task was created',
};
