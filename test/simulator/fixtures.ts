/**
 * Seeded data: ComfyUI API-format workflows and AI apps, loaded from test/fixtures/.
 * The IDs are fixed so tests and n8n workflows can hard-code them.
 */

import { readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

export type ComfyNode = {
	class_type: string;
	inputs: Record<string, unknown>;
	_meta?: { title?: string };
};
export type ComfyWorkflow = Record<string, ComfyNode>;

export const WORKFLOW_ID_TXT2IMG = '1851826914200891393';
export const WORKFLOW_ID_IMG2IMG = '1904136902449209347';
export const WORKFLOW_ID_VIDEO = '1937284050812276737';
/** Saved but never run on the website: getJsonApiFormat works, create answers 810. */
export const WORKFLOW_ID_NEVER_RUN = '1912345678901234567';

/** workflow id → fixture file (relative to test/fixtures). */
export const FIXTURE_WORKFLOWS: Readonly<Record<string, string>> = {
	[WORKFLOW_ID_TXT2IMG]: 'workflows/txt2img.json',
	[WORKFLOW_ID_IMG2IMG]: 'workflows/img2img.json',
	[WORKFLOW_ID_VIDEO]: 'workflows/video.json',
	[WORKFLOW_ID_NEVER_RUN]: 'workflows/txt2img.json',
};

export const NEVER_RUN_WORKFLOW_IDS: ReadonlySet<string> = new Set([WORKFLOW_ID_NEVER_RUN]);

export const WEBAPP_ID_PORTRAIT = '1877265245566922753';
export const WEBAPP_ID_TEXT_TO_VIDEO = '1994388299756212225';

/** webappId → fixture file (relative to test/fixtures). */
export const FIXTURE_APPS: Readonly<Record<string, string>> = {
	[WEBAPP_ID_PORTRAIT]: 'apps/portrait-style.json',
	[WEBAPP_ID_TEXT_TO_VIDEO]: 'apps/text-to-video.json',
};

/** Input file names that loader nodes accept without an upload (they exist "on the server"). */
export const FIXTURE_INPUT_FILES: readonly string[] = ['example.png'];

export interface AppNodeInfo {
	nodeId: string;
	nodeName: string;
	fieldName: string;
	fieldValue: string;
	fieldData: string;
	fieldType: string;
	description: string;
	descriptionCn: string | null;
	descriptionEn: string;
}

export interface AppFixture {
	webappId: string;
	webappName: string;
	description: string;
	descriptionEn: string;
	accessEncrypted: boolean;
	outputs: Array<{ nodeId: string; fileType: string }>;
	statisticsInfo: Record<string, string>;
	covers: unknown[];
	tags: unknown[];
	nodeInfoList: AppNodeInfo[];
}

function readJson<T>(relative: string): T {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, relative), 'utf8')) as T;
}

export function loadFixtureWorkflows(): Map<string, ComfyWorkflow> {
	const map = new Map<string, ComfyWorkflow>();
	for (const [id, file] of Object.entries(FIXTURE_WORKFLOWS))
		map.set(id, readJson<ComfyWorkflow>(file));
	return map;
}

export function loadFixtureApps(): Map<string, AppFixture> {
	const map = new Map<string, AppFixture>();
	for (const [id, file] of Object.entries(FIXTURE_APPS)) map.set(id, readJson<AppFixture>(file));
	return map;
}
