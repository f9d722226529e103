/**
 * One simulator per test file, set up the same way everywhere: started before the file's tests
 * (in the file's binary mode, with short retry budgets), forgotten between tests, stopped after.
 *
 *   const sim = useSimulator();                                  // at the top of a test file
 *   const sim = useSimulator({ options: { webhookRetryDelaysMs: [] }, retry: { maxAttempts: 2 } });
 */
import axios from 'axios';

import { RETRY_DEFAULTS, TIMEOUT_DEFAULTS } from '../../nodes/RunningHub/transport';
import {
	RunningHubSimulator,
	SIM_KEY_NORMAL,
	WORKFLOW_ID_TXT2IMG,
	type SimulatorOptions,
} from '../simulator';
import { useBinaryMode } from './n8n';

/**
 * Retries a few times, a few ms apart. The attempt count is the budget that ends retries: the time
 * budget is far away, so how many attempts were made never depends on the machine's speed.
 */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, maxTotalMs: 600_000 };
/** No answer of the simulator comes near these, however loaded the machine: only 'hang' faults do. */
export const FAST_TIMEOUTS = { requestMs: 20_000, fileTransferMs: 20_000 };
/**
 * For tests of the request timeout itself, where a 'hang' fault holds the answer until the node
 * gives up: short, to keep those tests quick, yet far above the few ms an ordinary answer takes.
 */
export const SHORT_TIMEOUTS = { requestMs: 1000, fileTransferMs: 1000 };

/** Shortens the package's budgets; returns a function that restores the previous values. */
export function useFastBudgets(
	retry: Partial<typeof RETRY_DEFAULTS> = {},
	timeouts: Partial<typeof TIMEOUT_DEFAULTS> = {},
): () => void {
	const savedRetry = { ...RETRY_DEFAULTS };
	const savedTimeouts = { ...TIMEOUT_DEFAULTS };
	Object.assign(RETRY_DEFAULTS, FAST_RETRY, retry);
	Object.assign(TIMEOUT_DEFAULTS, FAST_TIMEOUTS, timeouts);
	return () => {
		Object.assign(RETRY_DEFAULTS, savedRetry);
		Object.assign(TIMEOUT_DEFAULTS, savedTimeouts);
	};
}

/** Sets SHORT_TIMEOUTS until the returned function restores the previous ones. */
export function useShortTimeouts(): () => void {
	const saved = { ...TIMEOUT_DEFAULTS };
	Object.assign(TIMEOUT_DEFAULTS, SHORT_TIMEOUTS);
	return () => Object.assign(TIMEOUT_DEFAULTS, saved);
}

export interface SimulatorSetup {
	/** Simulator options; tasks queue 20 ms and run 60 ms unless given. */
	options?: SimulatorOptions;
	/** How n8n keeps binary data in this file (one mode per file). */
	binaryMode?: 'default' | 'filesystem';
	/** Retry budget of the file, over FAST_RETRY; set again before each test. */
	retry?: Partial<typeof RETRY_DEFAULTS>;
	/** Request timeouts of the file, over FAST_TIMEOUTS; set again before each test. */
	timeouts?: Partial<typeof TIMEOUT_DEFAULTS>;
}

/**
 * Registers the file's beforeAll/beforeEach/afterAll hooks and returns the simulator (its `baseUrl`
 * is set once the file's tests run). Before each test the simulator is left to finish the requests
 * it still handles, then reset, and the file's budgets are set again.
 */
export function useSimulator(setup: SimulatorSetup = {}): RunningHubSimulator {
	const sim = new RunningHubSimulator({ queuedMs: 20, runningMs: 60, ...setup.options });
	let restoreBudgets: (() => void) | undefined;
	beforeAll(async () => {
		await useBinaryMode(setup.binaryMode ?? 'default');
		await sim.start();
		restoreBudgets = useFastBudgets(setup.retry, setup.timeouts);
	});
	beforeEach(async () => {
		// A request the last test's node gave up on may still be handled: let it end first (a
		// request still stuck after that is dropped with the rest of the state).
		await sim.idle(10_000).catch(() => undefined);
		sim.reset();
		Object.assign(RETRY_DEFAULTS, FAST_RETRY, setup.retry);
		Object.assign(TIMEOUT_DEFAULTS, FAST_TIMEOUTS, setup.timeouts);
	});
	afterAll(async () => {
		restoreBudgets?.();
		await sim.stop();
	});
	return sim;
}

/** Long enough that no test outlives it: a task that stays QUEUED/RUNNING, a backoff never waited out. */
export const HOUR = 3_600_000;

/** Creates a task straight through the API (v1 create), as another tool or an earlier run would have. */
export async function createTaskDirectly(
	sim: RunningHubSimulator,
	extra: Record<string, unknown> = {},
): Promise<string> {
	const response = await axios.post(`${sim.baseUrl}/task/openapi/create`, {
		apiKey: SIM_KEY_NORMAL,
		workflowId: WORKFLOW_ID_TXT2IMG,
		...extra,
	});
	if (response.data.code !== 0)
		throw new Error(`The simulator refused the task: ${JSON.stringify(response.data)}`);
	return String(response.data.data.taskId);
}

/** Resolves once the task has ended (SUCCESS or FAILED). */
export async function taskEnded(sim: RunningHubSimulator, taskId: string): Promise<void> {
	await sim.waitFor(
		() => ['SUCCESS', 'FAILED'].includes(String(sim.taskStatus(taskId))),
		10_000,
		`task ${taskId} to end`,
	);
}
