/**
 * The bad-input catalogue: one row per mistake a user can make, each with the message the node
 * must give. Every row must fail with a NodeOperationError that names the field and says how to fix
 * it, before anything billable or any upload is sent (the simulator's counters prove it).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TestCredentials } from '../harness/n8n';
import { prepareBinary, runNode, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import {
	SIM_KEY_NORMAL,
	SIM_KEY_SHARED,
	WEBAPP_ID_PORTRAIT,
	WORKFLOW_ID_IMG2IMG,
	WORKFLOW_ID_TXT2IMG,
	makePng,
} from '../simulator';
import { aiAppRun, failureOf, locator, mapper, modelRun, workflowRun } from './support';

const sim = useSimulator({ options: { queuedMs: 10, runningMs: 40 } });
let bigFile: INodeExecutionData;
let smallImage: INodeExecutionData;
let gifImage: INodeExecutionData;
let imageOverTenMegabytes: INodeExecutionData;

beforeAll(async () => {
	bigFile = {
		json: {},
		binary: {
			data: await prepareBinary(Buffer.alloc(30 * 1024 * 1024 + 1, 7), 'huge.mp4', 'video/mp4'),
		},
	};
	smallImage = {
		json: {},
		binary: { photo: await prepareBinary(makePng('in'), 'in.png', 'image/png') },
	};
	gifImage = {
		json: {},
		binary: { data: await prepareBinary(Buffer.from('GIF89a....'), 'anim.gif', 'image/gif') },
	};
	imageOverTenMegabytes = {
		json: {},
		binary: {
			data: await prepareBinary(Buffer.alloc(10 * 1024 * 1024 + 1, 5), 'big.png', 'image/png'),
		},
	};
});

/** rhart-image-v1/edit: its imageUrls take JPG and PNG files of at most 10 MB. */
const imageEdit = (imageUrls: string) =>
	modelRun('rhart-image-v1/edit', { prompt: 'x', aspectRatio: 'auto', imageUrls });

interface Case {
	name: string;
	parameters: () => IDataObject;
	items?: () => INodeExecutionData[];
	credentials?: () => TestCredentials;
	/** The message: names the field (and the wrong value where useful). */
	message: RegExp;
	/** The fix, in the message or the description. */
	fix: RegExp;
}

const json = (list: unknown) => ({
	inputMode: 'nodeInfoListJson',
	nodeInfoListJson: typeof list === 'string' ? list : JSON.stringify(list),
});

const CASES: Case[] = [
	{
		name: 'empty API key',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		credentials: () => simulatorCredentials(sim.baseUrl, ''),
		message: /RunningHub credential has no API key/,
		fix: /paste the key from the RunningHub API console/,
	},
	{
		name: 'API key of blanks',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		credentials: () => simulatorCredentials(sim.baseUrl, '   \n'),
		message: /RunningHub credential has no API key/,
		fix: /paste the key/,
	},
	{
		name: 'API key too short',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		credentials: () => simulatorCredentials(sim.baseUrl, 'abc123'),
		message: /API key in the credential looks malformed/,
		fix: /Copy the whole 32-character key again/,
	},
	{
		name: 'API key with a space inside',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		credentials: () => simulatorCredentials(sim.baseUrl, 'simnormal00000000 0000000000key1'),
		message: /API key in the credential looks malformed/,
		fix: /Copy the whole 32-character key again/,
	},
	{
		name: 'custom base URL that is not http(s)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG),
		credentials: () => simulatorCredentials('ftp://127.0.0.1:1', SIM_KEY_NORMAL),
		message: /credential has no valid base URL \("ftp:\/\/127\.0\.0\.1:1"\)/,
		fix: /Choose a site, or enter a Base URL that starts with http:\/\/ or https:\/\//,
	},
	{
		name: 'workflow ID that is not 19 digits',
		parameters: () => ({ ...workflowRun(WORKFLOW_ID_TXT2IMG), workflowId: locator('12345') }),
		message: /Workflow.*must have 19 digits/i,
		fix: /.{20,}/,
	},
	{
		name: 'workflow ID with letters',
		parameters: () => ({
			...workflowRun(WORKFLOW_ID_TXT2IMG),
			workflowId: locator('18518269142008913x3'),
		}),
		message: /Workflow/i,
		fix: /19 digits|number/i,
	},
	{
		name: 'workflow URL of another site',
		parameters: () => ({
			...workflowRun(WORKFLOW_ID_TXT2IMG),
			workflowId: locator(`https://www.example.com/workflow/${WORKFLOW_ID_TXT2IMG}`, 'url'),
		}),
		message: /on www\.example\.com, not on RunningHub/,
		fix: /runninghub\.(ai|cn)/,
	},
	{
		name: 'AI app URL of another site',
		parameters: () => ({
			...aiAppRun(WEBAPP_ID_PORTRAIT),
			webappId: locator(`https://runninghub.example.org/ai-detail/${WEBAPP_ID_PORTRAIT}`, 'url'),
		}),
		message: /not on RunningHub/,
		fix: /runninghub\.(ai|cn)/,
	},
	{
		name: 'Node Info List (JSON) that does not parse',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, json('[{"nodeId": "6"')),
		message: /Node Info List \(JSON\) is not valid JSON/,
		fix: /nodeId.*fieldName.*fieldValue/,
	},
	{
		name: 'Node Info List (JSON) that is not an array',
		parameters: () =>
			workflowRun(WORKFLOW_ID_TXT2IMG, json({ nodeId: '6', fieldName: 'text', fieldValue: 'x' })),
		message: /Node Info List \(JSON\) must be a JSON array/,
		fix: /nodeId.*fieldName.*fieldValue/,
	},
	{
		name: 'Node Info List (JSON) entry without fieldName',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, json([{ nodeId: '6', fieldValue: 'x' }])),
		message: /Entry 0 of Node Info List \(JSON\) \(node 6\) has no fieldName/,
		fix: /fieldName/,
	},
	{
		name: 'Node Info List (JSON) entry without fieldValue (an expression yielding nothing)',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json(
					'={{ JSON.stringify([{ nodeId: "6", fieldName: "text", fieldValue: $json.missing }]) }}',
				),
			),
		message: /Entry 0 of Node Info List \(JSON\) \(node 6, text\) has no fieldValue/,
		fix: /expression yields a value/,
	},
	{
		name: 'Node Info List (JSON) entry with fieldValue null',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json([{ nodeId: '6', fieldName: 'text', fieldValue: null }]),
			),
		message: /has no fieldValue/,
		fix: /fieldValue/,
	},
	{
		name: 'workflow ID expression yielding an object',
		parameters: () => ({
			...workflowRun(WORKFLOW_ID_TXT2IMG),
			workflowId: locator('={{ $json.workflow }}'),
		}),
		items: () => [{ json: { workflow: { id: WORKFLOW_ID_TXT2IMG } } }],
		message: /Workflow ID is an object \(\{"id":"\d{19}"\}\), not an ID/,
		fix: /pick the field that holds the ID/,
	},
	{
		name: 'task ID expression yielding an object',
		parameters: () => ({ resource: 'task', operation: 'getOutputs', taskId: '={{ $json.task }}' }),
		items: () => [{ json: { task: { taskId: '1904152026220003329' } } }],
		message: /Task ID is an object .*not an ID/,
		fix: /\$json\.taskId/,
	},
	{
		name: 'Additional Parameters (JSON) setting webhookUrl',
		parameters: () => ({
			...modelRun('rhart-image-v1/text-to-image', { prompt: 'x', aspectRatio: '1:1' }),
			additionalParameters: '{"webhookUrl": "http://127.0.0.1:9/collect"}',
		}),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /Additional Parameters \(JSON\) cannot set "webhookUrl"/,
		fix: /Options › Webhook URL/,
	},
	{
		name: 'Workflow JSON that does not parse',
		parameters: () =>
			workflowRun(WORKFLOW_ID_TXT2IMG, { inputMode: 'workflowJson', workflowJson: '{"3": {' }),
		message: /Workflow JSON is not valid JSON/,
		fix: /Save \(API Format\)/,
	},
	{
		name: 'override naming a node the workflow does not have',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json([{ nodeId: '99', fieldName: 'text', fieldValue: 'x' }]),
			),
		message: /Node ID "99" does not exist in workflow 1851826914200891393 \(field "text"\)/,
		fix: /Node IDs that can be changed: 3, 4, 5, 6, 7, 9/,
	},
	{
		name: 'override naming a field the node does not have',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json([{ nodeId: '6', fieldName: 'colour', fieldValue: 'x' }]),
			),
		message: /Field "colour" does not exist on node #6/,
		fix: /Fields of node #6 that can be changed: text/,
	},
	{
		name: 'override of an input wired to another node',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json([{ nodeId: '3', fieldName: 'model', fieldValue: 'x' }]),
			),
		message: /Field "model" of node #3 \(KSampler\) is connected to another node/,
		fix: /Fields of node #3 that can be changed: .*seed/,
	},
	{
		name: 'AI app override naming a field the app does not have',
		parameters: () =>
			aiAppRun(WEBAPP_ID_PORTRAIT, json([{ nodeId: '6', fieldName: 'prompt', fieldValue: 'x' }])),
		message: /Field "prompt" does not exist on node #6 .*AI app 1877265245566922753/,
		fix: /Fields of node #6 that can be changed: text/,
	},
	{
		name: 'AI app value out of the field range',
		parameters: () =>
			aiAppRun(WEBAPP_ID_PORTRAIT, json([{ nodeId: '3', fieldName: 'steps', fieldValue: 500 }])),
		message: /Value 500 of "steps" \(node #3\) must be between 1 and 100/,
		fix: /Change the value of "#3 .* › steps"/,
	},
	{
		name: 'AI app option that is not allowed',
		parameters: () =>
			aiAppRun(
				WEBAPP_ID_PORTRAIT,
				json([{ nodeId: '25', fieldName: 'style', fieldValue: 'cubism' }]),
			),
		message: /Value "cubism" of "style" \(node #25\) is not one of its options/,
		fix: /Allowed: watercolor, oil painting, anime, pixel art/,
	},
	{
		name: 'binary property missing on the item (workflow input)',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_IMG2IMG,
				json([{ nodeId: '10', fieldName: 'image', fieldValue: 'binary:nothing' }]),
			),
		items: () => [smallImage],
		message: /#10 › image.*binary property "nothing" of item 0\) does not exist/,
		fix: /The item has these binary properties: "photo"/,
	},
	{
		name: 'binary property missing on the item (File › Upload)',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'media',
		}),
		items: () => [smallImage],
		message: /Binary property "data" of item 0 does not exist/,
		fix: /Enter one of them as the binary property name/,
	},
	{
		name: 'item without any binary data (File › Upload LoRA)',
		parameters: () => ({ resource: 'file', operation: 'uploadLora', binaryPropertyName: 'data' }),
		items: () => [{ json: {} }],
		message: /Binary property "data" of item 0 does not exist/,
		fix: /Put a node that produces a file/,
	},
	{
		name: 'file over the 30 MB upload limit (File › Upload, legacy)',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'legacy',
		}),
		items: () => [bigFile],
		message:
			/file "huge\.mp4" is 30\.0 MB \(31457281 bytes\), over RunningHub's upload limit of 30 MB/,
		fix: /Make the file smaller/,
	},
	{
		name: 'file type the media upload does not take (File › Upload)',
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			binaryPropertyName: 'data',
			target: 'media',
		}),
		items: () => [gifImage],
		message: /file "anim\.gif".*GIF is not taken: RunningHub's file upload .* takes JPG, JPEG, PNG/,
		fix: /Convert the file/,
	},
	{
		name: 'file type the media upload does not take (workflow input)',
		parameters: () =>
			workflowRun(
				WORKFLOW_ID_IMG2IMG,
				json([{ nodeId: '10', fieldName: 'image', fieldValue: 'binary:data' }]),
			),
		items: () => [gifImage],
		message: /Input "#10 .*image".*GIF is not taken/,
		fix: /Convert the file/,
	},
	{
		name: "model file over the parameter's size limit (binary:)",
		parameters: () => imageEdit('binary:data'),
		items: () => [imageOverTenMegabytes],
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message:
			/Model parameter "imageUrls" .*file "big\.png" is 10\.0 MB \(10485761 bytes\), over the limit of 10 MB that model "rhart-image-v1\/edit" sets for "imageUrls"/,
		fix: /Make the file smaller/,
	},
	{
		name: 'model file of a format the parameter does not take (binary:)',
		parameters: () => imageEdit('binary:data'),
		items: () => [gifImage],
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message:
			/Model parameter "imageUrls" .*GIF is not taken: model "rhart-image-v1\/edit" in "imageUrls" takes JPG, PNG/,
		fix: /Convert the file/,
	},
	{
		name: "model data: URI over the parameter's size limit",
		parameters: () =>
			imageEdit(`data:image/png;base64,${Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64')}`),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message:
			/"imageUrls" got a PNG data: URI of 10\.0 MB \(10485761 bytes\): over the limit of 10 MB/,
		fix: /Fix "imageUrls"/,
	},
	{
		name: 'model URL of a format the parameter does not take',
		parameters: () => imageEdit('https://example.com/anim.gif'),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /"imageUrls" got "https:\/\/example\.com\/anim\.gif" \(GIF\): GIF is not taken/,
		fix: /Fix "imageUrls"/,
	},
	{
		name: 'LoRA Name with forbidden characters',
		parameters: () => ({
			resource: 'file',
			operation: 'uploadLora',
			binaryPropertyName: 'photo',
			loraName: 'my/lora',
		}),
		items: () => [smallImage],
		message: /LoRA Name "my\/lora" contains characters RunningHub cannot store/,
		fix: /letters, digits, "\.", "-" and "_"/,
	},
	{
		name: 'model endpoint unknown',
		parameters: () => modelRun('acme/not-in-catalogue', {}),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /Model "acme\/not-in-catalogue" is not in the built-in model list/,
		fix: /.{20,}/,
	},
	{
		name: 'model endpoint path that is not a model',
		parameters: () => ({ ...modelRun('x', {}), modelEndpoint: locator('media/upload/binary') }),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /Model endpoint path "media\/upload\/binary" is not a model endpoint/,
		fix: /.{20,}/,
	},
	{
		name: 'model enum value not allowed',
		parameters: () =>
			modelRun('kling-v2.6-pro/text-to-video', {
				prompt: 'x',
				sound: 'true',
				aspectRatio: '7:3',
				duration: '5',
			}),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /"aspectRatio" must be one of "1:1", "16:9", "9:16" \(got "7:3"\)/,
		fix: /Nothing was sent to RunningHub/,
	},
	{
		name: 'model number out of bounds',
		parameters: () => modelRun('seedream-v4/text-to-image', { prompt: 'x', width: 100 }),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /"width" must be between 512 and 8192 \(got 100\)/,
		fix: /Nothing was sent to RunningHub/,
	},
	{
		name: 'model binary input missing (nothing uploaded)',
		parameters: () =>
			modelRun('alibaba/wan-2.6/image-to-video', {
				imageUrl: 'binary:nope',
				resolution: '720p',
				duration: '5',
				shotType: 'single',
			}),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		items: () => [smallImage],
		message: /Model parameter "imageUrl" \(binary property "nope" of item 0\) does not exist/,
		fix: /"photo"/,
	},
	{
		name: 'timeout below the minimum',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, {}, { timeoutSeconds: 0 }),
		message: /Timeout \(Seconds\) must be between 1 and 86400, got 0/,
		fix: /Set Timeout \(Seconds\) to a value from 1 to 86400/,
	},
	{
		name: 'timeout above the maximum',
		parameters: () => aiAppRun(WEBAPP_ID_PORTRAIT, {}, { timeoutSeconds: 100_000 }),
		message: /Timeout \(Seconds\) must be between 1 and 86400, got 100000/,
		fix: /Set Timeout \(Seconds\) to a value from 1 to 86400/,
	},
	{
		name: 'poll interval out of range',
		parameters: () =>
			modelRun(
				'rhart-image-v1/text-to-image',
				{ prompt: 'x', aspectRatio: '1:1' },
				{},
				{ pollIntervalSeconds: 0.01 },
			),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /Poll Interval \(Seconds\) must be between 0\.1 and 600, got 0\.01/,
		fix: /Set Poll Interval \(Seconds\) to a value from 0\.1 to 600/,
	},
	{
		name: 'timeout that is not a number (expression result)',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, {}, { timeoutSeconds: '={{ "soon" }}' }),
		message: /Timeout \(Seconds\) must be between 1 and 86400, got NaN/,
		fix: /Set Timeout \(Seconds\)/,
	},
	{
		name: 'max concurrent tasks out of range',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, {}, { maxConcurrentTasks: 101 }),
		message: /Max Concurrent Tasks must be between 0 and 100, got 101/,
		fix: /Set Max Concurrent Tasks to a value from 0 to 100/,
	},
	{
		name: 'retain seconds out of range',
		parameters: () => workflowRun(WORKFLOW_ID_TXT2IMG, {}, { retainSeconds: 5 }),
		message: /Retain Seconds must be between 10 and 180, got 5/,
		fix: /Set Retain Seconds to a value from 10 to 180/,
	},
	{
		name: 'webhook URL that is not http(s)',
		parameters: () =>
			workflowRun(WORKFLOW_ID_TXT2IMG, {}, { webhookUrl: 'ftp://example.com/hook' }),
		message: /Webhook URL must be an http:\/\/ or https:\/\/ URL, got "ftp:\/\/example\.com\/hook"/,
		fix: /Paste the Production URL of a RunningHub Trigger node, or leave it empty/,
	},
	{
		name: 'webhook URL that is not a URL (model)',
		parameters: () =>
			modelRun(
				'rhart-image-v1/text-to-image',
				{ prompt: 'x', aspectRatio: '1:1' },
				{},
				{ webhookUrl: 'my-n8n/webhook' },
			),
		credentials: () => simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		message: /Webhook URL must be an http:\/\/ or https:\/\/ URL, got "my-n8n\/webhook"/,
		fix: /Paste the Production URL/,
	},
	{
		name: 'resend webhook to a URL that is not http(s)',
		parameters: () => ({
			resource: 'task',
			operation: 'resendWebhookEvent',
			taskId: '1904152026220003329',
			webhookUrl: 'javascript:alert(1)',
		}),
		message: /Send To URL must be an http:\/\/ or https:\/\/ URL/,
		fix: /Paste the Production URL/,
	},
	{
		name: 'task ID that is not numeric',
		parameters: () => ({ resource: 'task', operation: 'getOutputs', taskId: 'task-42' }),
		message: /Task ID must be the numeric ID/,
		fix: /.{20,}/,
	},
	{
		name: 'Wait for Callback with several items',
		parameters: () => ({ ...workflowRun(WORKFLOW_ID_TXT2IMG), waitMode: 'callback' }),
		items: () => [{ json: {} }, { json: {} }],
		message: /Wait for Callback/,
		fix: /.{20,}/,
	},
];

describe('bad input is refused before anything billable is sent', () => {
	it.each(CASES)('$name', async ({ parameters, items, credentials, message, fix }) => {
		const { error, text } = await failureOf(
			runNode({
				parameters: parameters() as never,
				credentials: credentials
					? credentials()
					: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
				items: items ? items() : undefined,
			}),
		);
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(message);
		expect(text).toMatch(fix);
		expect(sim.stats.createRequests).toBe(0);
		expect(sim.stats.uploads).toBe(0);
		expect(sim.requests.filter((request) => /upload/i.test(request.route))).toHaveLength(0);
		expect(sim.stats.cancelRequests).toBe(0);
	});

	it('the catalogue covers every kind of mistake the package promises to catch', () => {
		const names = CASES.map((entry) => entry.name).join('\n');
		for (const kind of [
			/empty API key/,
			/API key too short/,
			/not 19 digits/,
			/URL of another site/,
			/does not parse/,
			/not an array/,
			/node the workflow does not have/,
			/field the node does not have/,
			/binary property missing/,
			/over the 30 MB/,
			/media upload does not take/,
			/size limit \(binary:\)/,
			/format the parameter does not take \(binary:\)/,
			/data: URI over/,
			/URL of a format/,
			/model endpoint unknown/,
			/enum value not allowed/,
			/timeout below/,
			/poll interval out of range/,
			/webhook URL that is not http/,
			/without fieldValue/,
			/expression yielding an object/,
			/setting webhookUrl/,
		])
			expect(names).toMatch(kind);
	});

	it('a valid run with the same simulator still works (the rows fail for their input, not the setup)', async () => {
		const { output } = await runNode({
			parameters: workflowRun(
				WORKFLOW_ID_TXT2IMG,
				json([{ nodeId: '6', fieldName: 'text', fieldValue: 'ok' }]),
				{ downloadOutputs: false },
			) as never,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
		expect(sim.stats.tasksCreated).toBe(1);
	});

	it('a mapper value for a model field is typed before sending', async () => {
		// Counterpart of the enum row: the same field with an allowed value is accepted.
		const { output } = await runNode({
			parameters: {
				...modelRun('kling-v2.6-pro/text-to-video', {}),
				modelParameters: mapper({ prompt: 'x', sound: 'true', aspectRatio: '16:9', duration: '5' }),
			} as never,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		});
		expect(output[0][0].json.status).toBe('SUCCESS');
	});
});
