import type {
	FieldType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { V2TaskObject } from '../transport';
import type { FileLimits } from './fileLimits';

/*
 * Types shared by several helpers and operations. Types used by one module only stay in it.
 */

// ----- Tasks and their results -----

export interface TaskOutput extends IDataObject {
	fileUrl: string | null;
	fileType: string | null;
	nodeId: string | null;
	text: string | null;
}

export interface TaskFailure extends IDataObject {
	errorCode: string | null;
	errorMessage: string | null;
	nodeId: string | null;
	nodeName: string | null;
	exceptionType: string | null;
	exceptionMessage: string | null;
	traceback: string[] | null;
}

/**
 * The item every task-returning operation emits, whichever of RunningHub's answers it came from.
 */
export interface TaskResult extends IDataObject {
	taskId: string;
	status: string;
	outputs: TaskOutput[];
	usage: IDataObject | null;
	failure: TaskFailure | null;
}

/** A TASK_END callback, parsed. `result` is what the event itself claims about the task. */
export interface TaskEndEvent {
	event: string;
	taskId: string;
	result: TaskResult;
	/** Whether the event reports a finished task (RunningHub only sends TASK_END, but be strict). */
	terminal: boolean;
}

/** Why a body cannot be a RunningHub callback; the text is safe to send back to the caller. */
export interface MalformedEvent {
	malformed: string;
}

// ----- Running a task: submit, then wait or not -----

export type WaitMode = 'wait' | 'submit' | 'callback';

export interface WaitOptions {
	pollIntervalSeconds: number;
	timeoutSeconds: number;
	cancelOnTimeout: boolean;
}

/**
 * How a finished task's downloaded files leave the node: one item per file in the binary property
 * `data` (what n8n's file nodes read by default), or all on one item as data_0, data_1, …
 */
export type OutputItems = 'perFile' | 'perTask';

export interface OutputOptions {
	downloadOutputs: boolean;
	outputItems: OutputItems;
	binaryPropertyPrefix: string;
	allowPartialResults: boolean;
	/** Largest file downloaded, in MB (default DEFAULT_MAX_DOWNLOAD_MB). */
	maxDownloadSizeMb?: number;
}

export interface RunSettings {
	waitMode: WaitMode;
	wait: WaitOptions;
	output: OutputOptions;
	/** Webhook URL of the options (validated), '' when none. */
	webhookUrl: string;
}

/**
 * What a submit call reports: the new task, and fields to put on the item in "Return Task ID" mode.
 */
export interface SubmittedTask {
	taskId: string;
	/** Status at creation (QUEUED, RUNNING, or already SUCCESS for fast model endpoints). */
	status: string;
	/** The v2 submit answer, which may already hold the result (model endpoints). */
	initial?: V2TaskObject;
	/** Extra fields for the output item, e.g. `{ workflowId }`. */
	json?: IDataObject;
	/** Tells the batch the task has ended, so its slot on the key can take the next item. */
	ended?: () => void;
}

/**
 * Creates the task. `webhookUrl`, when given, replaces the one from the options: the callback mode
 * passes its resume URL this way.
 */
export type SubmitTask = (overrides?: { webhookUrl?: string }) => Promise<SubmittedTask>;

/** What one Wait Mode does with a task it may submit. */
export type WaitModeHandler = (
	context: IExecuteFunctions,
	itemIndex: number,
	submit: SubmitTask,
	settings: RunSettings,
) => Promise<INodeExecutionData[]>;

// ----- Workflow and AI app inputs -----

/** One override RunningHub applies before running: `inputs[fieldName]` of node `nodeId`. */
export interface NodeInfo extends IDataObject {
	nodeId: string;
	fieldName: string;
	fieldValue: string | number | boolean | null;
}

export interface ComfyNode {
	class_type: string;
	inputs: IDataObject;
	_meta?: { title?: string };
}

/** API-format ComfyUI workflow: node ID → node. */
export type ComfyWorkflow = Record<string, ComfyNode>;

/** An input the user may change: a workflow node's literal input, or an AI app form field. */
export interface InputDescriptor {
	nodeId: string;
	fieldName: string;
	/** Label of the node: `_meta.title`, class type, or the app's node name. */
	nodeLabel: string;
	classType: string;
	type: FieldType;
	current: string | number | boolean | null;
	description?: string;
	options?: INodePropertyOptions[];
	min?: number;
	max?: number;
	/** Takes a file: LoadImage/LoadVideo/LoadAudio-style inputs and IMAGE/VIDEO/AUDIO app fields. */
	media: boolean;
}

// ----- Files -----

/**
 * `media`: POST /openapi/v2/media/upload/binary (Bearer). `legacy`: POST /task/openapi/upload
 * (apiKey form field).
 */
export type UploadTarget = 'media' | 'legacy';

export type LegacyFileType = 'input' | 'image' | 'video' | 'audio' | 'zip';

export interface UploadedFile {
	/**
	 * Server-side name (`openapi/<sha256>.png`, `api/<hash>.png`): the value ComfyUI loader nodes
	 * take.
	 */
	fileName: string;
	/**
	 * Signed link valid about a day (media target only): the value Standard Model API URL inputs
	 * take.
	 */
	downloadUrl: string | null;
	/**
	 * `image` / `video` / `audio` / `zip` as RunningHub classified it (legacy: the `fileType` it
	 * echoes).
	 */
	type: string | null;
	/** Bytes sent. */
	size: number;
	mimeType: string;
	originalFileName: string | null;
	target: UploadTarget;
}

export interface UploadOptions {
	target?: UploadTarget;
	/** `fileType` form field of the legacy endpoint (default `input`). */
	legacyFileType?: LegacyFileType;
	/** How errors name the source of the file, e.g. `Input "#10 LoadImage › image"`. */
	fieldLabel?: string;
	/** Rules beyond the endpoint's own, e.g. the formats and size a model parameter takes. */
	limits?: FileLimits[];
}
