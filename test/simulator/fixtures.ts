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
/** An access-encrypted app (`accessEncrypted: true`) whose aspect ratio uses the COMBO list format. */
export const WEBAPP_ID_ENCRYPTED = '1978340021565427713';
export const ENCRYPTED_APP_PASSWORD = 'poster-2026';

/** webappId → fixture file (relative to test/fixtures). */
export const FIXTURE_APPS: Readonly<Record<string, string>> = {
	[WEBAPP_ID_PORTRAIT]: 'apps/portrait-style.json',
	[WEBAPP_ID_TEXT_TO_VIDEO]: 'apps/text-to-video.json',
	[WEBAPP_ID_ENCRYPTED]: 'apps/encrypted-poster.json',
};

/** Quick Create modules ("快捷创作"): the official examples' webappIds and codes. */
export const QUICK_CREATE_TEXT_TO_IMAGE = { webappId: '1957344152277151746', code: '001' } as const;
export const QUICK_CREATE_REFERENCE_EDIT = {
	webappId: '1957346252562296834',
	code: '002',
} as const;

export const FIXTURE_QUICK_CREATES: Readonly<Record<string, string>> = {
	[QUICK_CREATE_TEXT_TO_IMAGE.webappId]: 'quick-create/text-to-image.json',
	[QUICK_CREATE_REFERENCE_EDIT.webappId]: 'quick-create/reference-edit.json',
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
	/** Simulator-only: the password an encrypted app wants in `accessPassword`. */
	accessPassword?: string;
	outputs: Array<{ nodeId: string; fileType: string }>;
	statisticsInfo: Record<string, string>;
	covers: unknown[];
	tags: unknown[];
	nodeInfoList: AppNodeInfo[];
}

/** A Quick Create module: an app template plus its code and its model-library styles. */
export interface QuickCreateFixture extends AppFixture {
	quickCreateCode: string;
	styles: Array<Record<string, unknown>>;
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

export function loadFixtureQuickCreates(): Map<string, QuickCreateFixture> {
	const map = new Map<string, QuickCreateFixture>();
	for (const [id, file] of Object.entries(FIXTURE_QUICK_CREATES))
		map.set(id, readJson<QuickCreateFixture>(file));
	return map;
}
