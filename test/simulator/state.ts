/**
 * Task store and lifecycle.
 *
 * A task's status is computed from timestamps (created → +queuedMs RUNNING → +runningMs terminal),
 * or from the number of status views when `pollsBeforeDone` is set. The first time a task is seen in
 * a terminal state, its result files are generated and `onTaskEnd` fires (webhook delivery); a timer
 * makes sure that also happens when nobody polls.
 */

import { makeOutputFile, contentTypeFor } from './outputs';
import type {
	FailedReason,
	PlannedOutput,
	ResolvedOutcome,
	SimTask,
	TaskKind,
	TaskOutcome,
	TaskStatus,
	V2FailedReasonMode,
} from './types';
import { newClientId, newId19, v1 } from './util';

export interface StoredFile {
	contentType: string;
	data: Buffer;
}

export interface EngineDeps {
	durations(): { queuedMs: number; runningMs: number; pollsBeforeDone: number | undefined };
	publicBaseUrl(): string;
	cancelStatus(): 'FAILED' | 'CANCEL';
	v2FailedReason(): V2FailedReasonMode;
	onTaskEnd(task: SimTask): void;
}

/** Who "fails" when a task fails: the node whose input carried [[fail]], or a sensible default. */
export interface FailureContext {
	nodeId: string;
	nodeName: string;
	inputs: Record<string, unknown>;
}

export interface NewTaskInput {
	apiKey: string;
	kind: TaskKind;
	api: 'v1' | 'v2';
	workflowId?: string;
	webappId?: string;
	endpoint?: string;
	webhookUrl?: string;
	instanceType?: string;
	promptTips: string;
	/** Outputs to produce on success (fileName is filled in here). */
	outputs: Array<Omit<PlannedOutput, 'fileName'> & { prefix?: string }>;
	inputs: unknown;
	failure: FailureContext;
	/** Set when promptTips reports node_errors: the task will fail with the first one. */
	validationError?: { nodeId: string; classType: string; message: string };
	markerFail: boolean;
	markerModeration: boolean;
	markerSlow: boolean;
}

/** The official text of errorCode 1015, which the v2 query shows when it carries no details. */
const GENERATION_FAILED = 'Generation failed, please try again.';

const TRACEBACK = [
	'  File "/workspace/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
	'  File "/workspace/ComfyUI/execution.py", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
	'  File "/workspace/ComfyUI/execution.py", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
];

export class TaskEngine {
	readonly tasks = new Map<string, SimTask>();
	/** Served by GET /files/<path>; keys are URL paths like /files/output/<taskId>/ComfyUI_00001_.png. */
	readonly files = new Map<string, StoredFile>();
	private outcomeQueue: TaskOutcome[] = [];

	constructor(private readonly deps: EngineDeps) {}

	queueOutcome(outcome: TaskOutcome): void {
		this.outcomeQueue.push(outcome);
	}

	newTaskId(): string {
		let id = newId19();
		while (this.tasks.has(id)) id = newId19();
		return id;
	}

	create(input: NewTaskInput): SimTask {
		const taskId = this.newTaskId();
		const d = this.deps.durations();
		const programmatic = this.outcomeQueue.shift();
		const spec = typeof programmatic === 'string' ? { result: programmatic } : programmatic;
		let queuedMs =
			spec && 'queuedMs' in spec && spec.queuedMs !== undefined ? spec.queuedMs : d.queuedMs;
		let runningMs =
			spec && 'runningMs' in spec && spec.runningMs !== undefined ? spec.runningMs : d.runningMs;
		if (input.markerSlow) {
			queuedMs *= 10;
			runningMs *= 10;
		}

		const outcome = this.resolveOutcome(input, spec);
		// A task rejected by validation never really runs: it fails as soon as it leaves the queue.
		if (input.validationError) runningMs = 0;

		const outputs: PlannedOutput[] = input.outputs.map((o, i) => ({
			nodeId: o.nodeId,
			fileType: o.fileType,
			text: o.text,
			fileName:
				o.text !== undefined
					? ''
					: `${o.prefix ?? 'ComfyUI'}_${String(i + 1).padStart(5, '0')}_.${o.fileType}`,
		}));

		const task: SimTask = {
			taskId,
			apiKey: input.apiKey,
			kind: input.kind,
			api: input.api,
			workflowId: input.workflowId,
			webappId: input.webappId,
			endpoint: input.endpoint,
			createdAt: Date.now(),
			queuedMs,
			runningMs,
			pollsBeforeDone: d.pollsBeforeDone,
			polls: 0,
			clientId: newClientId(),
			promptTips: input.promptTips,
			webhookUrl: input.webhookUrl,
			outcome,
			outputs,
			inputs: input.inputs,
			instanceType: input.instanceType,
			v2FailedReason: spec && 'v2FailedReason' in spec ? spec.v2FailedReason : undefined,
		};
		this.tasks.set(taskId, task);
		if (task.pollsBeforeDone === undefined) {
			task.timer = setTimeout(() => this.status(task, false), queuedMs + runningMs + 5);
			task.timer.unref();
		}
		return task;
	}

	private resolveOutcome(
		input: NewTaskInput,
		spec: Exclude<TaskOutcome, string> | { result: 'success' | 'fail' | 'empty' } | undefined,
	): ResolvedOutcome {
		const isModel = input.kind === 'model';
		const fail = (
			errorCode: string,
			errorMessage: string,
			reason: Partial<FailedReason>,
		): ResolvedOutcome => ({
			result: 'fail',
			errorCode,
			errorMessage,
			failedReason: {
				node_id: reason.node_id ?? input.failure.nodeId,
				node_name: reason.node_name ?? input.failure.nodeName,
				exception_type: reason.exception_type ?? 'RuntimeError',
				exception_message: reason.exception_message ?? errorMessage,
				traceback: TRACEBACK,
				current_inputs: input.failure.inputs,
				current_outputs: {},
			},
		});

		if (input.validationError) {
			const v = input.validationError;
			return fail('805', `Prompt outputs failed validation: ${v.classType}: ${v.message}`, {
				node_id: v.nodeId,
				node_name: v.classType,
				exception_type: 'ValueError',
				exception_message: v.message,
			});
		}
		if (spec && spec.result === 'fail') {
			const full = spec as Exclude<TaskOutcome, string>;
			const code = full.errorCode ?? (isModel ? '1015' : '805');
			const message =
				full.errorMessage ??
				full.exceptionMessage ??
				(isModel ? 'Generation failed, please try again.' : 'Simulated failure');
			return fail(code, message, {
				node_id: full.nodeId,
				exception_type: full.exceptionType,
				exception_message: full.exceptionMessage ?? message,
			});
		}
		if (spec && spec.result === 'empty') return { result: 'success', empty: true };
		if (spec && spec.result === 'success') return { result: 'success', empty: false };
		if (input.markerModeration)
			return fail('1501', 'Content verification failed, please modify your prompt or images', {
				exception_type: 'ContentModerationError',
			});
		if (input.markerFail) {
			return isModel
				? fail('1015', 'Generation failed, please try again.', {
						exception_type: 'GenerationError',
					})
				: fail('805', `${input.failure.nodeName}: simulated failure triggered by [[fail]] marker`, {
						exception_type: 'RuntimeError',
						exception_message: `${input.failure.nodeName}: simulated failure triggered by [[fail]] marker`,
					});
		}
		return { result: 'success', empty: false };
	}

	/** Current status; `countPoll` counts this call as a status view (poll-driven lifecycle). */
	status(task: SimTask, countPoll: boolean): TaskStatus {
		if (task.cancelledAt !== undefined) return 'FAILED';
		if (task.endedAt !== undefined) return task.outcome.result === 'success' ? 'SUCCESS' : 'FAILED';
		let phase: 'QUEUED' | 'RUNNING' | 'DONE';
		if (task.pollsBeforeDone !== undefined) {
			if (countPoll) task.polls++;
			const queuedPolls = Math.floor(task.pollsBeforeDone / 2);
			phase =
				task.polls <= queuedPolls
					? 'QUEUED'
					: task.polls <= task.pollsBeforeDone
						? 'RUNNING'
						: 'DONE';
		} else {
			const elapsed = Date.now() - task.createdAt;
			phase =
				elapsed < task.queuedMs
					? 'QUEUED'
					: elapsed < task.queuedMs + task.runningMs
						? 'RUNNING'
						: 'DONE';
		}
		if (phase !== 'DONE') return phase;
		this.end(task);
		return task.outcome.result === 'success' ? 'SUCCESS' : 'FAILED';
	}

	private end(task: SimTask): void {
		if (task.endedAt !== undefined) return;
		task.endedAt = Date.now();
		if (task.timer) clearTimeout(task.timer);
		task.timer = undefined;
		if (task.outcome.result === 'success' && !task.outcome.empty) {
			for (const out of task.outputs) {
				if (out.text !== undefined) continue;
				this.files.set(this.filePath(task, out), {
					contentType: contentTypeFor(out.fileType),
					data: makeOutputFile(out.fileType, `${task.taskId}/${out.nodeId}/${out.fileName}`),
				});
			}
		}
		this.deps.onTaskEnd(task);
	}

	/** Cancel a QUEUED/RUNNING task (it becomes FAILED); returns false if it had already ended. */
	cancel(task: SimTask): boolean {
		if (this.status(task, false) === 'SUCCESS' || task.endedAt !== undefined) return false;
		const message = 'Task was cancelled by user';
		task.cancelledAt = Date.now();
		task.outcome = {
			result: 'fail',
			errorCode: '805',
			errorMessage: message,
			failedReason: {
				node_id: '',
				node_name: '',
				exception_type: 'InterruptProcessingException',
				exception_message: message,
				traceback: [],
				current_inputs: {},
				current_outputs: {},
			},
		};
		this.end(task);
		return true;
	}

	/** QUEUED and RUNNING tasks of a key (the concurrency count). */
	activeCounts(apiKey: string): { queued: number; running: number } {
		let queued = 0;
		let running = 0;
		for (const task of this.tasks.values()) {
			if (task.apiKey !== apiKey) continue;
			const s = this.status(task, false);
			if (s === 'QUEUED') queued++;
			else if (s === 'RUNNING') running++;
		}
		return { queued, running };
	}

	filePath(task: SimTask, out: PlannedOutput): string {
		return `/files/output/${task.taskId}/${out.fileName}`;
	}

	taskCostTime(task: SimTask): number {
		return Math.max(1, Math.ceil(task.runningMs / 1000));
	}

	/** One item per output, in the shape of /task/openapi/outputs. */
	v1Items(task: SimTask, costAsNumber: boolean): Array<Record<string, unknown>> {
		if (task.outcome.result !== 'success' || task.outcome.empty) return [];
		const base = this.deps.publicBaseUrl();
		const enterprise = task.kind === 'model';
		return task.outputs.map((out) => {
			const itemObj: Record<string, unknown> = {
				fileUrl: out.text !== undefined ? '' : base + this.filePath(task, out),
				fileType: out.fileType,
				taskCostTime: costAsNumber ? this.taskCostTime(task) : String(this.taskCostTime(task)),
				nodeId: out.nodeId,
				thirdPartyConsumeMoney: enterprise ? '0.14' : null,
				consumeMoney: null,
				consumeCoins: enterprise ? null : String(this.taskCostTime(task) * 2),
			};
			if (out.text !== undefined) itemObj.text = out.text;
			return itemObj;
		});
	}

	/** failedReason as v1 shows it: traceback/current_inputs/current_outputs are JSON strings. */
	v1FailedReason(reason: FailedReason): Record<string, string> {
		return {
			current_outputs: JSON.stringify(reason.current_outputs),
			exception_type: reason.exception_type,
			node_name: reason.node_name,
			current_inputs: JSON.stringify(reason.current_inputs),
			traceback: JSON.stringify(reason.traceback),
			node_id: reason.node_id,
			exception_message: reason.exception_message,
		};
	}

	/** /task/openapi/outputs answer for the task's current state. */
	v1Outputs(task: SimTask, countPoll: boolean): Record<string, unknown> {
		const status = this.status(task, countPoll);
		if (status === 'QUEUED') return v1(813, 'APIKEY_TASK_IS_QUEUED', null);
		if (status === 'RUNNING') return v1(804, 'APIKEY_TASK_IS_RUNNING', { netWssUrl: null });
		if (status === 'SUCCESS') return v1(0, 'success', this.v1Items(task, false));
		return v1(805, 'APIKEY_TASK_STATUS_ERROR', {
			failedReason: this.v1FailedReason(this.failedReasonOf(task)),
		});
	}

	/** eventData of the TASK_END webhook: the outputs envelope (taskCostTime as a number, like the docs show). */
	webhookEventData(task: SimTask): string {
		if (task.outcome.result === 'success')
			return JSON.stringify({ code: 0, msg: 'success', data: this.v1Items(task, true) });
		return JSON.stringify({
			code: 805,
			msg: 'APIKEY_TASK_STATUS_ERROR',
			data: { failedReason: this.v1FailedReason(task.outcome.failedReason) },
		});
	}

	private failedReasonOf(task: SimTask): FailedReason {
		return task.outcome.result === 'fail'
			? task.outcome.failedReason
			: {
					node_id: '',
					node_name: '',
					exception_type: '',
					exception_message: '',
					traceback: [],
					current_inputs: {},
					current_outputs: {},
				};
	}

	/** The flat v2 task object of /openapi/v2/query. */
	v2Object(task: SimTask, countPoll: boolean): Record<string, unknown> {
		const status = this.status(task, countPoll);
		const enterprise = task.kind === 'model';
		const done = status === 'SUCCESS' || status === 'FAILED';
		const cost = done ? String(this.taskCostTime(task)) : '0';
		const obj: Record<string, unknown> = {
			taskId: task.taskId,
			status: task.cancelledAt !== undefined ? this.deps.cancelStatus() : status,
			errorCode: '',
			errorMessage: '',
			results: null,
			clientId: '',
			promptTips: '',
			failedReason: {},
			usage: {
				consumeMoney: null,
				consumeCoins: enterprise || !done ? null : String(this.taskCostTime(task) * 2),
				taskCostTime: cost,
				thirdPartyConsumeMoney: enterprise && done ? '0.14' : null,
			},
		};
		if (status === 'SUCCESS') {
			const base = this.deps.publicBaseUrl();
			obj.results =
				task.outcome.result === 'success' && task.outcome.empty
					? []
					: task.outputs.map((out) =>
							out.text !== undefined
								? {
										outputType: out.fileType,
										...(out.nodeId ? { nodeId: out.nodeId } : {}),
										text: out.text,
									}
								: {
										url: base + this.filePath(task, out),
										outputType: out.fileType,
										...(out.nodeId ? { nodeId: out.nodeId } : {}),
										text: null,
									},
						);
		} else if (status === 'FAILED' && task.outcome.result === 'fail') {
			const mode = task.v2FailedReason ?? this.deps.v2FailedReason();
			if (mode === 'empty' && task.kind !== 'model' && task.cancelledAt === undefined) {
				obj.errorCode = '1015';
				obj.errorMessage = GENERATION_FAILED;
			} else {
				obj.errorCode = task.outcome.errorCode;
				obj.errorMessage = task.outcome.errorMessage;
				obj.failedReason = { ...task.outcome.failedReason };
			}
		}
		return obj;
	}

	stop(): void {
		for (const task of this.tasks.values()) {
			if (task.timer) clearTimeout(task.timer);
			task.timer = undefined;
		}
	}

	clear(): void {
		this.stop();
		this.tasks.clear();
		this.files.clear();
		this.outcomeQueue = [];
	}
}
