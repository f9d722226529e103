import type { WaitMode } from './interfaces';

/*
 * Values the editor shows and the run enforces. The node's descriptions import only this module
 * and ids.ts from helpers/, so loading the node reads no task logic, transport or catalogue: those
 * load when an operation first runs (see the operations' `execute`).
 */

/** Names of the Wait Mode values, as the parameter shows them. */
export const WAIT_MODE_NAMES: Record<WaitMode, string> = {
	wait: 'Wait for Completion',
	submit: 'Return Task ID',
	callback: 'Wait for Callback (Pause Execution)',
};

export const WAIT_LIMITS = {
	pollIntervalSeconds: { min: 0.1, max: 600 },
	timeoutSeconds: { min: 1, max: 86_400 },
};

/** The value of Max Concurrent Tasks that means "as many as the API key allows". */
export const MAX_CONCURRENT_AUTO = 0;
/** Auto: as many tasks at once as the API key allows (its limit, read from RunningHub). */
export const DEFAULT_MAX_CONCURRENT_TASKS = MAX_CONCURRENT_AUTO;
export const MAX_CONCURRENT_LIMIT = 100;

/** The style library the official example asks for (`type: 2`, the text-to-image module). */
export const QUICK_CREATE_STYLE_TYPE = 2;

/** An input value `binary:<property>` names a binary property of the input item. */
export const BINARY_PREFIX = 'binary:';

/**
 * One segment of a model endpoint (`vendor/model/task`): lowercase; a trailing `-[Deprecated]` tag
 * is tolerated because the registry uses it.
 */
export const ENDPOINT_SEGMENT = '[a-z0-9][a-z0-9._-]*(?:-\\[[A-Za-z]+\\])?';
/**
 * Accepted in the editor too: a pasted `/openapi/v2/...` path or full URL, stripped at run time.
 */
export const ENDPOINT_INPUT_REGEX =
	'^\\s*(?:https?://[^/\\s]+)?/?(?:openapi/v2/)?' +
	`${ENDPOINT_SEGMENT}(?:/${ENDPOINT_SEGMENT})*/?\\s*$`;
