/**
 * Shared by the reliability tests (faults, bad input, secrets, soak) and bench/soak.ts: short
 * retry and timeout budgets, parameter builders for the operations, and a full dump of an error.
 */
import { inspect } from 'util';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { HttpAnswer, NodeRunOptions, NodeRunResult } from '../harness/n8n';
import { resourceMapperValue, runNode, simulatorCredentials } from '../harness/n8n';
import type { RunningHubSimulator } from '../simulator';
import { SIM_KEY_NORMAL } from '../simulator';

export {
	FAST_RETRY,
	FAST_TIMEOUTS,
	SHORT_TIMEOUTS,
	useFastBudgets,
	useShortTimeouts,
} from '../harness/simulator';

export const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

/** Wait-mode options that poll fast. */
export const FAST_WAIT = { pollIntervalSeconds: 0.1, timeoutSeconds: 20 };

export const mapper = (value: IDataObject): IDataObject => resourceMapperValue(value);

export function workflowRun(
	workflowId: string,
	extra: IDataObject = {},
	options: IDataObject = {},
): IDataObject {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: locator(workflowId),
		inputMode: 'nodeInfoListJson',
		nodeInfoListJson: '[]',
		waitMode: 'wait',
		...extra,
		options: { ...FAST_WAIT, ...options },
	};
}

export function aiAppRun(
	webappId: string,
	extra: IDataObject = {},
	options: IDataObject = {},
): IDataObject {
	return {
		resource: 'aiApp',
		operation: 'run',
		webappId: locator(webappId),
		waitMode: 'wait',
		...extra,
		options: { ...FAST_WAIT, ...options },
	};
}

export function modelRun(
	endpoint: string,
	values: IDataObject,
	extra: IDataObject = {},
	options: IDataObject = {},
): IDataObject {
	return {
		resource: 'model',
		operation: 'generate',
		modelEndpoint: locator(endpoint, 'list'),
		modelParameters: mapper(values),
		additionalParameters: '{}',
		waitMode: 'wait',
		...extra,
		options: { ...FAST_WAIT, ...options },
	};
}

export interface RunOptions {
	apiKey?: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	onError?: NodeRunOptions['onError'];
	abortSignal?: AbortSignal;
	onHttpAnswer?: (answer: HttpAnswer) => void;
}

export async function run(
	sim: RunningHubSimulator,
	parameters: IDataObject,
	options: RunOptions = {},
): Promise<NodeRunResult> {
	return await runNode({
		parameters: parameters as never,
		credentials: simulatorCredentials(sim.baseUrl, options.apiKey ?? SIM_KEY_NORMAL),
		items: options.items,
		continueOnFail: options.continueOnFail,
		onError: options.onError,
		abortSignal: options.abortSignal,
		onHttpAnswer: options.onHttpAnswer,
	});
}

export interface Failure {
	error: Error & {
		description?: string | null;
		context?: IDataObject;
		errorResponse?: IDataObject;
		httpCode?: string | null;
	};
	/** Message and description, as the error panel shows them. */
	text: string;
}

/** The error a promise rejected with; fails the test when it resolved. */
export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
	let caught: unknown;
	let resolved = false;
	try {
		await promise;
		resolved = true;
	} catch (error) {
		caught = error;
	}
	if (resolved) throw new Error('Expected the run to fail, but it succeeded');
	const error = caught as Failure['error'];
	return { error, text: `${error.message} ${error.description ?? ''}` };
}

/**
 * Everything an error carries, as n8n could show, log or store it: own and inherited fields,
 * `cause` chains, `errorResponse`, `context`, the JSON n8n saves with the execution, and
 * util.inspect with hidden fields.
 */
export function dumpError(error: unknown): string {
	const parts: string[] = [];
	const seen = new Set<unknown>();
	const visit = (value: unknown, depth: number) => {
		if (value === null || value === undefined || depth > 6 || seen.has(value)) return;
		if (typeof value !== 'object') {
			parts.push(String(value));
			return;
		}
		seen.add(value);
		const error = value as Record<string, unknown> & { toJSON?: () => unknown };
		for (const key of ['message', 'description', 'stack', 'name'])
			if (typeof error[key] === 'string') parts.push(error[key] as string);
		try {
			parts.push(JSON.stringify(value));
		} catch {
			parts.push('<circular>');
		}
		if (typeof error.toJSON === 'function') {
			try {
				parts.push(JSON.stringify(error.toJSON()));
			} catch {
				parts.push('<toJSON failed>');
			}
		}
		for (const key of Object.getOwnPropertyNames(value)) visit(error[key], depth + 1);
		for (const key of [
			'cause',
			'errorResponse',
			'context',
			'functionality',
			'messages',
			'response',
			'config',
			'request',
		])
			visit(error[key], depth + 1);
	};
	visit(error, 0);
	parts.push(inspect(error, { depth: 8, showHidden: true }));
	return parts.join('\n');
}

/** Output items as n8n stores them (JSON and binary metadata, the binary bytes decoded). */
export function dumpItems(items: INodeExecutionData[]): string {
	return items
		.map((item) => {
			const binary = Object.values(item.binary ?? {}).map((data) => ({
				...data,
				bytes: Buffer.from(data.data ?? '', 'base64').toString('latin1'),
			}));
			return JSON.stringify({ json: item.json, binary });
		})
		.join('\n');
}

export function requestsTo(sim: RunningHubSimulator, route: string): number {
	return sim.requests.filter((request) => request.route === route).length;
}
