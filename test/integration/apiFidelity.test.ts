/**
 * Options and answers RunningHub really has, over real HTTP: promptTips node errors that do not stop
 * the prompt (warnings), the "ultra" instance, access-encrypted AI apps and the COMBO list format.
 */
import type { IDataObject, ResourceMapperFields } from 'n8n-workflow';

import { RETRY_DEFAULTS } from '../../nodes/RunningHub/transport';
import { callNodeMethod, runNode, simulatorCredentials } from '../harness/n8n';
import type { RunningHubSimulator } from '../simulator';
import {
	ENCRYPTED_APP_PASSWORD,
	SIM_KEY_NORMAL,
	WEBAPP_ID_ENCRYPTED,
	WORKFLOW_ID_TXT2IMG,
	startSimulator,
} from '../simulator';

let sim: RunningHubSimulator;
const savedRetry = { ...RETRY_DEFAULTS };

beforeAll(async () => {
	sim = await startSimulator({ queuedMs: 20, runningMs: 40 });
	Object.assign(RETRY_DEFAULTS, {
		baseDelayMs: 10,
		maxDelayMs: 40,
		maxAttempts: 3,
		maxTotalMs: 2000,
	});
});

afterAll(async () => {
	Object.assign(RETRY_DEFAULTS, savedRetry);
	await sim.stop();
});

beforeEach(() => sim.reset());

const credentials = () => simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL);
const wait = { pollIntervalSeconds: 0.1, timeoutSeconds: 20, downloadOutputs: false };

function workflowRun(list: IDataObject[], options: IDataObject = {}) {
	return {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID_TXT2IMG },
		inputMode: 'nodeInfoListJson',
		nodeInfoListJson: JSON.stringify(list),
		waitMode: 'wait',
		options: { ...wait, ...options },
	} as never;
}

function appRun(list: IDataObject[], options: IDataObject = {}) {
	return {
		resource: 'aiApp',
		operation: 'run',
		webappId: { __rl: true, mode: 'id', value: WEBAPP_ID_ENCRYPTED },
		inputMode: 'nodeInfoListJson',
		nodeInfoListJson: JSON.stringify(list),
		waitMode: 'wait',
		options: { ...wait, ...options },
	} as never;
}

const createBodies = (route: string) =>
	sim.requests.filter((request) => request.route === route).map((r) => r.body as IDataObject);

describe('promptTips', () => {
	it('node errors with result true are warnings: the task runs and the item lists them', async () => {
		const { output } = await runNode({
			parameters: workflowRun([{ nodeId: '7', fieldName: 'text', fieldValue: 'blurry [[warn]]' }]),
			credentials: credentials(),
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(output[0][0].json.promptWarnings).toEqual([
			expect.stringMatching(/^node #7 \(CLIPTextEncode\): Required input is missing/),
		]);
		expect(sim.stats.cancelRequests).toBe(0);
	});

	it('a clean prompt adds no warnings', async () => {
		const { output } = await runNode({
			parameters: workflowRun([{ nodeId: '6', fieldName: 'text', fieldValue: 'a fox' }]),
			credentials: credentials(),
		});
		expect(output[0][0].json.promptWarnings).toBeUndefined();
	});
});

describe('Instance Type', () => {
	it('"Ultra (84 GB GPU)" is sent as instanceType "ultra"', async () => {
		await runNode({
			parameters: workflowRun([], { instanceType: 'ultra' }),
			credentials: credentials(),
		});
		expect(createBodies('v1.create')[0].instanceType).toBe('ultra');
	});
});

describe('access-encrypted AI app with the COMBO list format', () => {
	const ratio = [{ nodeId: '24', fieldName: 'aspectRatio', fieldValue: '9:16' }];

	it('a COMBO field is a dropdown of its options', async () => {
		const fields = await callNodeMethod<ResourceMapperFields>('resourceMapping', 'getAppInputs', {
			parameters: {
				resource: 'aiApp',
				operation: 'run',
				webappId: { __rl: true, mode: 'id', value: WEBAPP_ID_ENCRYPTED },
			} as never,
			credentials: credentials(),
		});
		const field = fields.fields.find((f) => f.id === '24##aspectRatio');
		expect(field?.type).toBe('options');
		expect(field?.options?.map((o) => o.value)).toEqual(['1:1', '3:4', '9:16', '16:9']);
	});

	it('without a password the node stops before sending, naming the option', async () => {
		await expect(
			runNode({ parameters: appRun(ratio), credentials: credentials() }),
		).rejects.toThrow(/access-encrypted/);
		expect(createBodies('v1.aiAppRun')).toHaveLength(0);
	});

	it('with Access Password the app runs', async () => {
		const { output } = await runNode({
			parameters: appRun(ratio, { accessPassword: ENCRYPTED_APP_PASSWORD }),
			credentials: credentials(),
		});
		expect(createBodies('v1.aiAppRun')[0]).toMatchObject({
			accessPassword: ENCRYPTED_APP_PASSWORD,
			nodeInfoList: [{ nodeId: '24', fieldName: 'aspectRatio', fieldValue: '9:16' }],
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
	});

	it("a wrong password is RunningHub's rejection, reported with its code", async () => {
		await expect(
			runNode({
				parameters: appRun(ratio, { accessPassword: 'nope' }),
				credentials: credentials(),
			}),
		).rejects.toThrow(/301/);
	});
});
