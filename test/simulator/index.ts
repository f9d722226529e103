/**
 * RunningHub simulator - public entry point.
 *
 *   const sim = await startSimulator({ queuedMs: 20, runningMs: 50 });
 *   // point the node's credential at sim.baseUrl (site = custom)
 *   await sim.stop();
 *
 * See README.md in this folder for routes, keys, markers, faults and the /__sim/ control API.
 */

export { RunningHubSimulator, startSimulator, isV1Envelope, type LoraUpload } from './server';
export * from './keys';
export {
	FIXTURE_WORKFLOWS,
	FIXTURE_APPS,
	FIXTURE_INPUT_FILES,
	FIXTURES_DIR,
	WORKFLOW_ID_TXT2IMG,
	WORKFLOW_ID_IMG2IMG,
	WORKFLOW_ID_VIDEO,
	WORKFLOW_ID_NEVER_RUN,
	WEBAPP_ID_PORTRAIT,
	WEBAPP_ID_TEXT_TO_VIDEO,
	WEBAPP_ID_ENCRYPTED,
	ENCRYPTED_APP_PASSWORD,
	QUICK_CREATE_TEXT_TO_IMAGE,
	QUICK_CREATE_REFERENCE_EDIT,
	type AppFixture,
	type AppNodeInfo,
	type ComfyWorkflow,
	type ComfyNode,
} from './fixtures';
export { MODEL_REGISTRY } from './models';
export { makePng } from './outputs';
export { parseMultipart, getBoundary, type MultipartPart } from './multipart';
export type {
	SimulatorOptions,
	TaskOutcome,
	TaskStatus,
	TaskKind,
	SimTask,
	FaultSpec,
	FaultKind,
	RecordedRequest,
	WebhookDelivery,
	WebhookEvent,
	SimStats,
	FailedReason,
} from './types';
