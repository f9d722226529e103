import type { INodeProperties } from 'n8n-workflow';

import { BINARY_PREFIX } from '../../helpers/constants';

/** Text added to the description of inputs that take a file. */
export const BINARY_HINT =
	`To send a file from this workflow, enter ${BINARY_PREFIX} and the ` +
	`binary property, e.g. ${BINARY_PREFIX}data: the node uploads it first`;

/** What Workflow › Run and AI App › Run call the thing whose inputs are changed. */
interface RunTarget {
	/** "workflow" or "AI app", as it reads in sentences. */
	noun: string;
	/** Resource locator parameter the inputs depend on. */
	locator: string;
	resourceMapperMethod: string;
	/** Hint under the mapper, after the shared first sentence. */
	mapperHint: string;
	/** Description of the Node Info List (JSON) field. */
	jsonDescription: string;
	/** Input modes beyond the two every run target has. */
	extraModes?: Array<{ name: string; value: string; description: string }>;
}

/**
 * The input parameters a run shares, whatever it runs: choose inputs to change from a loaded
 * list, or give them as nodeInfoList JSON for expressions.
 */
export function runInputProperties(target: RunTarget): INodeProperties[] {
	return [
		{
			displayName: 'Inputs',
			name: 'inputMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Pick Inputs to Change',
					value: 'mapper',
					description: `Choose inputs of the ${target.noun} and set new values`,
				},
				{
					name: 'Node Info List (JSON)',
					value: 'nodeInfoListJson',
					description: 'Give the changes as a JSON array, e.g. from an expression',
				},
				...(target.extraModes ?? []),
			],
			default: 'mapper',
		},
		{
			// n8n shows no hint under a field list, so the advice is a notice above it
			displayName:
				`Add only the inputs to change; the others keep the ${target.noun}'s values. ` +
				`${target.mapperHint}${BINARY_HINT}.`,
			name: 'inputsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { inputMode: ['mapper'] } },
		},
		{
			displayName: 'Inputs to Change',
			name: 'inputs',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: [`${target.locator}.value`],
				resourceMapper: {
					resourceMapperMethod: target.resourceMapperMethod,
					mode: 'add',
					valuesLabel: 'Inputs to Change',
					fieldWords: { singular: 'input', plural: 'inputs' },
					addAllFields: false,
					supportAutoMap: false,
					noFieldsError: `This ${target.noun} has no inputs that can be changed`,
					// a list saved by an older version (other labels) is refreshed quietly, keeping the
					// user's rows, instead of showing "outdated"
					refreshStaleSchemaOnOpen: true,
				},
			},
			displayOptions: { show: { inputMode: ['mapper'] } },
		},
		{
			displayName: 'Node Info List (JSON)',
			name: 'nodeInfoListJson',
			type: 'json',
			default: '[]',
			placeholder: '[{"nodeId": "6", "fieldName": "text", "fieldValue": "a red fox"}]',
			description: [target.jsonDescription, `${BINARY_HINT}.`].join(' '),
			displayOptions: { show: { inputMode: ['nodeInfoListJson'] } },
		},
	];
}
