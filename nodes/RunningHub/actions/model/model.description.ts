import type { INodeProperties } from 'n8n-workflow';

import { BINARY_PREFIX, ENDPOINT_INPUT_REGEX } from '../../helpers/constants';

/** The model and its parameters, shared by Model › Generate and Model › Price Preview. */
export const modelProperties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'modelEndpoint',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The hosted model to run. The Standard Model API needs an Enterprise-Shared API key.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model…',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'Endpoint Path',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. kling-v2.6-pro/text-to-video',
				hint:
					'The part of the model URL after /openapi/v2/, for models newer than the built-in ' +
					'list',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: ENDPOINT_INPUT_REGEX,
							errorMessage:
								'Enter lowercase path segments like vendor/model/task ' +
								'(the part after /openapi/v2/)',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Model Parameters',
		name: 'modelParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['modelEndpoint.value'],
			resourceMapper: {
				resourceMapperMethod: 'getModelParameters',
				mode: 'add',
				valuesLabel: 'Model Parameters',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError:
					'No parameters are known for this model: put its parameters in Additional Parameters ' +
					'(JSON)',
				// a list saved by an older version (other labels) is refreshed quietly, keeping the
				// user's rows, instead of showing "outdated"
				refreshStaleSchemaOnOpen: true,
			},
		},
	},
	{
		displayName: 'Look Up Parameter Name or ID',
		name: 'modelParameterGuide',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getModelParameterGuide',
			loadOptionsDependsOn: ['modelEndpoint.value'],
		},
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint:
			'Open the list to read what each parameter of this model does and accepts. Nothing ' +
			'chosen here is sent.',
	},
	{
		displayName:
			`Image, video and audio parameters take a public URL, or ` +
			`<code>${BINARY_PREFIX}data</code> to upload the file in the binary property "data" of ` +
			`the input item. Fields taking several files accept a comma-separated list.`,
		name: 'modelMediaNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Additional Parameters (JSON)',
		name: 'additionalParameters',
		type: 'json',
		default: '{}',
		description:
			'A JSON object merged into the request body: parameters the list above does not know, or ' +
			'every parameter of a model typed as an endpoint path. Overrides fields of the same name.',
	},
];
