import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/*
 * RunningHub IDs (workflows, AI apps, Quick Create modules, tasks) are 19-digit snowflakes. They
 * stay strings: a
 * JavaScript number keeps only 15-17 significant digits.
 */

export type IdKind = 'workflow' | 'webapp' | 'quickCreateApp' | 'task';

export const ID_DIGITS = 19;

interface IdKindInfo {
	/** How the thing is named in the editor and in errors. */
	label: string;
	exampleId: string;
	/**
	 * Page paths on runninghub.ai / .cn whose last segment is the ID; none for IDs without a page.
	 */
	paths: string[];
	exampleUrl?: string;
	/** For IDs without a page: what the ID must be, completing "<label> ID must be …". */
	numericId?: string;
}

export const ID_KINDS: Record<IdKind, IdKindInfo> = {
	workflow: {
		label: 'Workflow',
		exampleId: '1851826914200891393',
		paths: ['workflow'],
		exampleUrl: 'https://www.runninghub.ai/workflow/1851826914200891393',
	},
	webapp: {
		label: 'AI App',
		exampleId: '1877265245566922753',
		paths: ['ai-detail', 'webapp'],
		exampleUrl: 'https://www.runninghub.ai/ai-detail/1877265245566922753',
	},
	quickCreateApp: {
		label: 'Quick Create App',
		exampleId: '1957346252562296834',
		paths: [],
		numericId: `the 19-digit webappId from the module's "Call API" example`,
	},
	task: {
		label: 'Task',
		exampleId: '1904152026220003329',
		paths: [],
		numericId: 'the numeric ID RunningHub returned',
	},
};

function howToGiveIt(kind: IdKind): string {
	const info = ID_KINDS[kind];
	if (kind === 'quickCreateApp')
		return (
			'Open the module on RunningHub, click "Call API" and copy "webappId" from the ' +
			'example. Keep the ID as text: a 19-digit number loses its last digits in JavaScript.'
		);
	if (kind === 'task')
		return (
			'Use an expression such as {{ $json.taskId }} to take it from a previous RunningHub ' +
			'node, which keeps it as text (a 19-digit number loses its last digits in JavaScript).'
		);
	return (
		`Use the 19-digit ID (e.g. ${info.exampleId}) or the page URL (e.g. ` +
		`${info.exampleUrl}). Keep the ID as text: a 19-digit number loses its last digits in ` +
		`JavaScript.`
	);
}

/**
 * Turns what the user entered (an ID, a workflow or app page URL, or an expression result in
 * either form) into the ID string, or fails naming the field and the fix. Parsed here rather than
 * through a locator's extractValue so that a URL of another site gets an error that says so.
 */
export function parseRunningHubId(
	node: INode,
	kind: IdKind,
	raw: unknown,
	itemIndex?: number,
): string {
	const info = ID_KINDS[kind];
	const given =
		raw !== null && typeof raw === 'object' && '__rl' in raw
			? (raw as INodeParameterResourceLocator).value
			: raw;
	const fail = (message: string): never => {
		throw new NodeOperationError(node, message, { itemIndex, description: howToGiveIt(kind) });
	};
	if (given !== null && typeof given === 'object') {
		const preview = JSON.stringify(given)?.slice(0, 80) ?? '';
		return fail(
			`${info.label} ID is ${Array.isArray(given) ? 'a list' : 'an object'} (${preview}), not ` +
				`an ID: the expression must pick the field that holds the ID, e.g. {{ ` +
				`$json.${kind === 'task' ? 'taskId' : 'id'} }}`,
		);
	}
	const value = String(given ?? '').trim();
	if (value === '' && kind !== 'task') {
		return fail(`${info.label} is empty: enter its ID${info.paths.length ? ' or URL' : ''}`);
	}
	if (info.numericId !== undefined && !/^\d+$/.test(value)) {
		return fail(
			`${info.label} ID must be ${info.numericId} (e.g. ${info.exampleId}), got "${value}"`,
		);
	}
	if (/^\d+$/.test(value)) {
		if (value.length !== ID_DIGITS)
			return fail(
				`${info.label} ID must have ${ID_DIGITS} digits, got "${value}" (${value.length} digits)`,
			);
		const number =
			typeof raw === 'number' ? raw : (raw as INodeParameterResourceLocator | undefined)?.value;
		if (typeof number === 'number' && !Number.isSafeInteger(number))
			return fail(
				`${info.label} ID ${value} arrived as a JavaScript number and has lost its last digits`,
			);
		return value;
	}
	let url: URL | undefined;
	try {
		url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
	} catch {
		url = undefined;
	}
	if (!url || !/\./.test(url.hostname))
		return fail(`${info.label} "${value}" is neither a 19-digit ID nor a URL`);
	if (!/^(?:www\.)?runninghub\.(?:ai|cn)$/i.test(url.hostname)) {
		return fail(
			`${info.label} URL "${value}" is on ${url.hostname}, not on RunningHub (runninghub.ai or ` +
				`runninghub.cn)`,
		);
	}
	const match = new RegExp(`^/(?:${info.paths.join('|')})/(\\d+)(?:/|$)`).exec(url.pathname);
	if (!match) {
		return fail(
			`${info.label} URL "${value}" is not a ${info.label.toLowerCase()} page: expected a path ` +
				`like /${info.paths[0]}/${info.exampleId}`,
		);
	}
	if (match[1].length !== ID_DIGITS)
		return fail(`${info.label} URL "${value}" does not end in a 19-digit ID`);
	return match[1];
}

/** Reads an ID parameter (a locator or a plain string) of an execute or load-options context. */
export function getRunningHubId(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	kind: IdKind,
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
