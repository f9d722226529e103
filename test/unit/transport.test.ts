import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { RunningHubApi } from '../../credentials/RunningHubApi.credentials';
import {
	isNoErrorCode,
	RUNNINGHUB_CODES,
	backoffDelay,
	classifyCode,
	parseEmbeddedJson,
	parseJsonLossless,
	privateAddressRefusal,
	quoteLongIntegers,
	runningHubApiError,
	taskIdOf,
} from '../../nodes/RunningHub/transport';

const node: INode = {
	id: '1',
	name: 'RunningHub',
	type: 'n8n-nodes-runninghub.runningHub',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('lossless JSON', () => {
	it('keeps a 19-digit ID sent as a bare number', () => {
		const parsed = parseJsonLossless(
			'{"code":0,"data":{"taskId":1904152026220003329,"count":3,"ratio":0.5}}',
		) as { data: Record<string, unknown> };
		expect(parsed.data.taskId).toBe('1904152026220003329');
		expect(parsed.data.count).toBe(3);
		expect(parsed.data.ratio).toBe(0.5);
	});

	it('does not touch digits inside strings, including escaped quotes', () => {
		const text = '{"msg":"id \\"1904152026220003329\\" done","n":-19041520262200033291}';
		expect(quoteLongIntegers(text)).toBe(
			'{"msg":"id \\"1904152026220003329\\" done","n":"-19041520262200033291"}',
		);
	});

	it('leaves exact integers and floats as numbers', () => {
		expect(parseJsonLossless('[669816362794144, 1.5e3, 12345678901234567.5]')).toEqual([
			669816362794144, 1500, 12345678901234567.5,
		]);
	});

	it('parses fields RunningHub sends as JSON strings and keeps plain text', () => {
		expect(parseEmbeddedJson('{"taskId":1904152026220003329}')).toEqual({
			taskId: '1904152026220003329',
		});
		expect(parseEmbeddedJson('not json')).toBe('not json');
		expect(parseEmbeddedJson('{broken')).toBe('{broken');
	});
});

describe('error mapping', () => {
	it.each([
		['416', /wallet balance is too low/i, /Top up/],
		['803', /node ID or field/i, /Reload the inputs/],
		['810', /never run successfully/i, /run it once/],
		['1014', /Enterprise-Shared/i, /Create an Enterprise-Shared key/],
	])('code %s says what happened and what to do', (code, messagePattern, hintPattern) => {
		const error = runningHubApiError(node, {
			code,
			apiMessage: 'raw',
			taskId: '1904152026220003329',
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(messagePattern);
		expect(error.message).toContain(`code ${code}`);
		expect(error.message).toContain('[task 1904152026220003329]');
		expect(error.description).toMatch(hintPattern);
		expect(taskIdOf(error)).toBe('1904152026220003329');
	});

	it('an error about no task carries no task ID', () => {
		expect(taskIdOf(runningHubApiError(node, { code: '802' }))).toBeUndefined();
		expect(taskIdOf(new Error('Task failed [task 1904152026220003329]'))).toBeUndefined();
	});

	it('every known code has a class and a hint that ends a sentence', () => {
		for (const [code, known] of Object.entries(RUNNINGHUB_CODES)) {
			expect(['transient', 'running', 'taskFailed', 'permanent']).toContain(known.class);
			expect(known.hint).toMatch(/\.$/);
			expect(classifyCode(code)).toBe(known.class);
		}
		expect(['415', '421', '1003', '1005', '1010', '1011'].map(classifyCode)).toEqual(
			Array(6).fill('transient'),
		);
		expect(classifyCode('99999')).toBe('permanent');
	});

	it('never carries the API key, even when RunningHub echoes it', () => {
		const key = 'SECRETKEY0123456789abcdefghijklm';
		const error = runningHubApiError(
			node,
			{ code: '301', apiMessage: `apiKey ${key} is invalid`, context: `sent ${key}` },
			key,
		);
		const everything = JSON.stringify({
			message: error.message,
			description: error.description,
			cause: error.cause,
			context: error.context,
			obj: error,
		});
		expect(everything).not.toContain(key);
		expect(error.description).toContain('***');
	});
});

describe('errorCode', () => {
	it('"", 0, "0", null and a missing field all mean no error', () => {
		for (const none of ['', 0, '0', ' 0 ', null, undefined]) expect(isNoErrorCode(none)).toBe(true);
		for (const code of ['1004', 1015, '805', 'x']) expect(isNoErrorCode(code)).toBe(false);
	});
});

describe('backoff', () => {
	it('grows exponentially with jitter inside the cap', () => {
		const policy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 8000, maxTotalMs: 60000 };
		expect(backoffDelay(1, policy, () => 0)).toBe(500);
		expect(backoffDelay(1, policy, () => 1)).toBe(1000);
		expect(backoffDelay(3, policy, () => 1)).toBe(4000);
		expect(backoffDelay(10, policy, () => 1)).toBe(8000);
		expect(backoffDelay(10, policy, () => 0)).toBe(4000);
	});
});

describe('credential authenticate', () => {
	const credential = new RunningHubApi();
	const credentials = {
		apiKey: 'KEY0123456789abcdefghijklmnopqrs',
		site: 'https://www.runninghub.ai',
	};

	it('v2: Bearer header only, body untouched', async () => {
		const options = await credential.authenticate(credentials, {
			url: '/openapi/v2/query',
			method: 'POST',
			body: { taskId: '1' },
		});
		expect(options.headers?.Authorization).toBe(`Bearer ${credentials.apiKey}`);
		expect(options.body).toEqual({ taskId: '1' });
	});

	it('v1: apiKey in the JSON body; accountStatus spells it apikey', async () => {
		const create = await credential.authenticate(credentials, {
			url: '/task/openapi/create',
			method: 'POST',
			body: { workflowId: '1' },
		});
		expect(create.body).toEqual({ workflowId: '1', apiKey: credentials.apiKey });
		const account = await credential.authenticate(credentials, {
			url: 'https://www.runninghub.ai/uc/openapi/accountStatus',
			method: 'POST',
			body: {},
		});
		expect(account.body).toEqual({ apikey: credentials.apiKey });
	});

	it('v1 GET: apiKey in the query; multipart: appended form field', async () => {
		const demo = await credential.authenticate(credentials, {
			url: '/api/webapp/apiCallDemo',
			method: 'GET',
			qs: { webappId: '1' },
		});
		expect(demo.qs).toEqual({ webappId: '1', apiKey: credentials.apiKey });
		const form = new FormData();
		form.append('fileType', 'image');
		await credential.authenticate(credentials, {
			url: '/task/openapi/upload',
			method: 'POST',
			body: form,
		});
		expect(form.get('apiKey')).toBe(credentials.apiKey);
	});
});

describe('result links on private addresses', () => {
	const trusted = 'http://127.0.0.1:5700';

	it('passes public hosts and the exact origin of the credential', () => {
		expect(privateAddressRefusal('https://rh-images.xiaoyaoyou.com/a/b.png')).toBeUndefined();
		expect(privateAddressRefusal('https://8.8.8.8/a.png', trusted)).toBeUndefined();
		expect(privateAddressRefusal(`${trusted}/files/output/a.png?x=1`, trusted)).toBeUndefined();
	});

	it('refuses every other local or private origin, naming it', () => {
		for (const url of [
			'http://127.0.0.1:5678/rest/a.png',
			'https://127.0.0.1:5700/a.png',
			'http://localhost:5700/a.png',
			'http://169.254.169.254/latest/meta-data/',
			'http://192.168.1.10/a.png',
			'http://[fd00::1]/a.png',
			'http://0x7f000001/a.png',
		])
			expect(privateAddressRefusal(url, trusted)).toContain(
				`local or private address (${new URL(url).origin})`,
			);
	});

	it('refuses what is no http(s) URL', () => {
		expect(privateAddressRefusal('file:///etc/passwd', trusted)).toBe(
			'the link is not an http(s) URL (file:)',
		);
		expect(privateAddressRefusal('not a url', trusted)).toBe('the link is not a valid URL');
	});
});
