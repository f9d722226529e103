import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeProperties,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type LocatorKind = 'workflow' | 'webapp';

const ID_PATTERN = '^\\s*\\d{19}\\s*$';
const SITE = 'https?://(?:www\\.)?runninghub\\.(?:ai|cn)';

const KINDS: Record<
	LocatorKind,
	{ label: string; paths: string[]; exampleUrl: string; exampleId: string; field: string }
> = {
	workflow: {
		label: 'Workflow',
		paths: ['workflow'],
		exampleUrl: 'https://www.runninghub.ai/workflow/1851826914200891393',
		exampleId: '1851826914200891393',
		field: 'Workflow',
	},
	webapp: {
		label: 'AI App',
		paths: ['ai-detail', 'webapp'],
		exampleUrl: 'https://www.runninghub.ai/ai-detail/1877265245566922753',
		exampleId: '1877265245566922753',
		field: 'AI App',
	},
};

/** A workflow or AI app picker: the 19-digit ID, or the page URL on runninghub.ai / runninghub.cn. */
export function idLocatorProperty(
	kind: LocatorKind,
	name: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	const info = KINDS[kind];
	const urlPattern = `${SITE}/(?:${info.paths.join('|')})/(\\d{19})`;
	return {
		displayName: info.label,
		name,
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		displayOptions,
		description: `The RunningHub ${info.label.toLowerCase()} to run. It must have run successfully once on the RunningHub site.`,
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
							errorMessage: `Enter the 19-digit ${info.label.toLowerCase()} ID, e.g. ${info.exampleId}`,
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
							errorMessage: `Enter the ${info.label.toLowerCase()} page URL on runninghub.ai or runninghub.cn, e.g. ${info.exampleUrl}`,
						},
					},
				],
				extractValue: { type: 'regex', regex: urlPattern },
			},
		],
	};
}

/**
 * Turns what the user entered (an ID, a page URL, or an expression result in either form) into
 * the ID string. Parsed here rather than through the locator's extractValue so that a URL of
 * another site gets an error that says so.
 */
export function parseRunningHubId(
	node: INode,
	kind: LocatorKind,
	raw: unknown,
	itemIndex?: number,
): string {
	const info = KINDS[kind];
	const value = String(
		(raw as INodeParameterResourceLocator | undefined)?.value ?? raw ?? '',
	).trim();
	const fail = (message: string): never => {
		throw new NodeOperationError(node, message, {
			itemIndex,
			description: `Use the 19-digit ID (e.g. ${info.exampleId}) or the page URL (e.g. ${info.exampleUrl}). Keep the ID as text: a 19-digit number loses its last digits in JavaScript.`,
		});
	};
	if (value === '') return fail(`${info.field} is empty: enter its ID or URL`);
	if (/^\d+$/.test(value)) {
		if (value.length !== 19)
			return fail(`${info.field} ID must have 19 digits, got "${value}" (${value.length} digits)`);
		if (
			typeof (raw as INodeParameterResourceLocator)?.value === 'number' ||
			typeof raw === 'number'
		) {
			const numeric = Number(value);
			if (!Number.isSafeInteger(numeric))
				return fail(
					`${info.field} ID ${value} arrived as a JavaScript number and has lost its last digits`,
				);
		}
		return value;
	}
	let url: URL | undefined;
	try {
		url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
	} catch {
		url = undefined;
	}
	if (!url || !/\./.test(url.hostname))
		return fail(`${info.field} "${value}" is neither a 19-digit ID nor a URL`);
	if (!/^(?:www\.)?runninghub\.(?:ai|cn)$/i.test(url.hostname)) {
		return fail(
			`${info.field} URL "${value}" is on ${url.hostname}, not on RunningHub (runninghub.ai or runninghub.cn)`,
		);
	}
	const match = new RegExp(`^/(?:${info.paths.join('|')})/(\\d+)(?:/|$)`).exec(url.pathname);
	if (!match) {
		return fail(
			`${info.field} URL "${value}" is not a ${info.label.toLowerCase()} page: expected a path like /${info.paths[0]}/${info.exampleId}`,
		);
	}
	if (match[1].length !== 19)
		return fail(`${info.field} URL "${value}" does not end in a 19-digit ID`);
	return match[1];
}

/** Reads a locator parameter of an execute or load-options context and returns the ID. */
export function getRunningHubId(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	kind: LocatorKind,
	name: string,
	itemIndex?: number,
): string {
	const raw =
		itemIndex === undefined
			? (context as ILoadOptionsFunctions).getNodeParameter(name, undefined, {
					extractValue: false,
				})
			: (context as IExecuteFunctions).getNodeParameter(name, itemIndex, undefined, {
					extractValue: false,
				});
	return parseRunningHubId(context.getNode(), kind, raw, itemIndex);
}
