/** v1 "task openapi" routes: key in the body, `{code, msg, data}` envelope, HTTP 200 for errors. */

import { createHmac } from 'crypto';
import type { SimTask } from '../types';
import {
	createAppTask,
	createQuickCreateTask,
	createWorkflowTask,
	type CreateResult,
} from '../tasks';
import { extensionOf } from '../outputs';
import { asString, formatRhTime, ok, sha256Hex, v1 } from '../util';
import { body, taskIdOf, v1Auth, v2Auth, type RouteContext, type RouteDef } from './common';

function createAnswer(result: CreateResult, ctx: RouteContext): ReturnType<typeof ok> {
	if ('error' in result) return ok(v1(Number(result.error.code), result.error.msg, null));
	const task = result.task;
	return ok(
		v1(0, 'success', {
			netWssUrl: null,
			taskId: task.taskId,
			clientId: task.clientId,
			taskStatus: ctx.sim.engine.status(task, false),
			promptTips: task.promptTips,
		}),
	);
}

/** Find a task of this key; tasks of other accounts are invisible (807). */
function findTask(ctx: RouteContext, key: string): SimTask | ReturnType<typeof ok> {
	const id = taskIdOf(ctx);
	if (id === undefined) return ok(v1(301, 'must not be blank', null));
	if (!/^\d+$/.test(id) || /^0+$/.test(id)) return ok(v1(301, 'taskId must be positive', null));
	const task = ctx.sim.engine.tasks.get(id);
	if (!task || task.apiKey !== key) return ok(v1(807, 'APIKEY_TASK_NOT_FOUND', null));
	return task;
}

function isTask(x: SimTask | ReturnType<typeof ok>): x is SimTask {
	return (x as SimTask).taskId !== undefined;
}

export const v1Routes: RouteDef[] = [
	{
		name: 'v1.create',
		method: 'POST',
		pattern: /^\/task\/openapi\/create$/,
		family: 'v1',
		counts: 'create',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const b = body(ctx);
			return createAnswer(
				createWorkflowTask(ctx.sim, auth.key, asString(b.workflowId), b, 'v1'),
				ctx,
			);
		},
	},
	{
		name: 'v1.aiAppRun',
		method: 'POST',
		pattern: /^\/task\/openapi\/ai-app\/run$/,
		family: 'v1',
		counts: 'create',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const b = body(ctx);
			return createAnswer(createAppTask(ctx.sim, auth.key, asString(b.webappId), b, 'v1'), ctx);
		},
	},
	{
		// Official page "发起快捷创作任务": body apiKey, webappId, quickCreateCode, nodeInfoList; the
		// answer is the create answer of ai-app/run.
		name: 'v1.quickCreateRun',
		method: 'POST',
		pattern: /^\/task\/openapi\/quick-ai-app\/run$/,
		family: 'v1',
		counts: 'create',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			return createAnswer(createQuickCreateTask(ctx.sim, auth.key, body(ctx)), ctx);
		},
	},
	{
		// Official page "获取快捷创作-模型库风格参数数据": Bearer header, body {type, webappId}.
		name: 'v1.quickCreateStyles',
		method: 'POST',
		pattern: /^\/api\/fast\/creation\/model\/params$/,
		family: 'v1',
		handler(ctx) {
			const auth = v2Auth(ctx, 'util');
			if ('response' in auth) return auth.response;
			const b = body(ctx);
			const webappId = asString(b.webappId);
			if (!webappId || b.type === undefined || b.type === null || b.type === '')
				return ok(v1(301, 'must not be blank', null));
			const module = ctx.sim.quickCreates.get(webappId);
			const styles = (module?.styles ?? []).filter(
				(style) => String(style.type) === String(b.type),
			);
			return ok(v1(0, 'success', styles));
		},
	},
	{
		name: 'v1.getJsonApiFormat',
		method: 'POST',
		pattern: /^\/api\/openapi\/getJsonApiFormat$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const id = asString(body(ctx).workflowId);
			if (!id) return ok(v1(301, 'workflowId must not be blank', null));
			const graph = ctx.sim.workflows.get(id);
			if (!graph) return ok(v1(380, 'WORKFLOW_NOT_EXISTS', null));
			// data.prompt is the API-format graph serialised as a string; msg is upper-case here.
			return ok(v1(0, 'SUCCESS', { prompt: JSON.stringify(graph) }));
		},
	},
	{
		name: 'v1.apiCallDemo',
		method: 'GET',
		pattern: /^\/api\/webapp\/apiCallDemo$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'query');
			if ('response' in auth) return auth.response;
			const id = ctx.query.get('webappId');
			if (!id) return ok(v1(301, 'webappId must not be blank', null));
			const app = ctx.sim.apps.get(id);
			if (!app) return ok(v1(901, 'WEBAPP_NOT_EXISTS', null));
			const demoList = app.nodeInfoList.map((n) => ({
				nodeId: n.nodeId,
				fieldName: n.fieldName,
				fieldValue: n.fieldValue,
				description: n.description,
			}));
			const curl =
				`curl --location --request POST '${ctx.sim.publicBaseUrl}/task/openapi/ai-app/run' \\\n` +
				`--header 'Host: ${new URL(ctx.sim.publicBaseUrl).host}' \\\n` +
				`--header 'Content-Type: application/json' \\\n` +
				`--data-raw '${JSON.stringify({ webappId: app.webappId, apiKey: '<RUNNINGHUB_API_KEY>', nodeInfoList: demoList }, null, 4)}'`;
			return ok(
				v1(0, 'success', {
					curl,
					webappName: app.webappName,
					description: app.description,
					descriptionEn: app.descriptionEn,
					accessEncrypted: app.accessEncrypted,
					statisticsInfo: app.statisticsInfo,
					nodeInfoList: app.nodeInfoList,
					covers: app.covers,
					tags: app.tags,
				}),
			);
		},
	},
	{
		name: 'v1.status',
		method: 'POST',
		pattern: /^\/task\/openapi\/status$/,
		family: 'v1',
		counts: 'status',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const task = findTask(ctx, auth.key);
			if (!isTask(task)) return task;
			return ok(v1(0, '', ctx.sim.engine.status(task, true)));
		},
	},
	{
		name: 'v1.outputs',
		method: 'POST',
		pattern: /^\/task\/openapi\/outputs$/,
		family: 'v1',
		counts: 'status',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const task = findTask(ctx, auth.key);
			if (!isTask(task)) return task;
			return ok(ctx.sim.engine.v1Outputs(task, true));
		},
	},
	{
		name: 'v1.cancel',
		method: 'POST',
		pattern: /^\/task\/openapi\/cancel$/,
		family: 'v1',
		handler(ctx) {
			ctx.sim.stats.cancelRequests++;
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const task = findTask(ctx, auth.key);
			if (!isTask(task)) return task;
			// Cancelling a finished task is a no-op that still answers success.
			if (ctx.sim.engine.cancel(task)) ctx.sim.stats.tasksCancelled++;
			return ok(v1(0, 'success', null));
		},
	},
	{
		name: 'v1.getWebhookDetail',
		method: 'POST',
		pattern: /^\/task\/openapi\/getWebhookDetail$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const id = taskIdOf(ctx);
			if (id === undefined) return ok(v1(301, 'must not be blank', null));
			const eventId = ctx.sim.webhooks.byTask.get(id);
			const event = eventId ? ctx.sim.webhooks.events.get(eventId) : undefined;
			if (!event || event.apiKey !== auth.key)
				return ok({ code: 1, msg: 'webhook event not exists', data: null, errorMessages: null });
			return ok(
				v1(0, 'success', {
					id: event.id,
					userApiKey: '******************',
					taskId: event.taskId,
					webhookUrl: event.webhookUrl,
					eventData: event.eventData,
					callbackStatus: event.callbackStatus,
					callbackResponse: event.callbackResponse,
					retryCount: event.retryCount,
					createTime: formatRhTime(event.createTime),
					updateTime: formatRhTime(event.updateTime),
				}),
			);
		},
	},
	{
		name: 'v1.retryWebhook',
		method: 'POST',
		pattern: /^\/task\/openapi\/retryWebhook$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const b = body(ctx);
			const webhookId = asString(b.webhookId);
			if (!webhookId) return ok(v1(301, 'webhookId must not be blank', null));
			const event = ctx.sim.webhooks.events.get(webhookId);
			if (!event || event.apiKey !== auth.key)
				return ok({ code: 1, msg: 'webhook event not exists', data: null, errorMessages: null });
			const url =
				typeof b.webhookUrl === 'string' && b.webhookUrl.trim() !== ''
					? b.webhookUrl.trim()
					: undefined;
			ctx.sim.webhooks.resend(event, url);
			return ok(v1(0, '', null));
		},
	},
	{
		name: 'v1.upload',
		method: 'POST',
		pattern: /^\/task\/openapi\/upload$/,
		family: 'v1',
		upload: 'legacy',
		handler(ctx) {
			if (ctx.bodyTooLarge) return ok(v1(809, 'APIKEY_FILE_SIZE_EXCEEDED', null));
			if (!ctx.parts)
				return ok(v1(301, ctx.multipartError ?? 'request must be multipart/form-data', null));
			const auth = v1Auth(ctx, 'multipart');
			if ('response' in auth) return auth.response;
			const file =
				ctx.parts.find((p) => p.name === 'file' && p.filename !== undefined) ??
				ctx.parts.find((p) => p.name === 'file');
			if (!file) return ok(v1(301, 'file must not be null', null));
			if (file.data.length > ctx.sim.options.maxUploadBytes)
				return ok(v1(809, 'APIKEY_FILE_SIZE_EXCEEDED', null));
			const fileType =
				ctx.parts.find((p) => p.name === 'fileType')?.data.toString('utf8') || 'input';
			const ext = extensionOf(file.filename, file.contentType);
			const hash = sha256Hex(file.data);
			// ZIP uploads come back as a bare hash (no "api/" prefix, no extension), as documented.
			const fileName = ext === 'zip' ? hash : `api/${hash}.${ext}`;
			ctx.sim.storeUpload(fileName, ext, file.data);
			return ok(v1(0, 'success', { fileName, fileType }));
		},
	},
	{
		name: 'v1.getLoraUploadUrl',
		method: 'POST',
		pattern: /^\/api\/openapi\/getLoraUploadUrl$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'body');
			if ('response' in auth) return auth.response;
			const b = body(ctx);
			const loraName = asString(b.loraName);
			const md5 = asString(b.md5Hex)?.toLowerCase();
			if (!loraName) return ok(v1(301, 'loraName must not be blank', null));
			if (!md5 || !/^[0-9a-f]{32}$/.test(md5))
				return ok(v1(301, 'md5Hex must be a 32-character hex MD5', null));
			const fileName = `api-lora-cn/${md5}.safetensors`;
			const existing = ctx.sim.loraUploads.get(md5);
			if (existing?.uploaded && ctx.sim.loraCacheOmitsUrl)
				return ok(v1(0, 'success', { fileName }));
			ctx.sim.loraUploads.set(md5, {
				fileName,
				loraName,
				apiKey: auth.key,
				uploaded: existing?.uploaded ?? false,
			});
			return ok(v1(0, 'success', { fileName, url: presignLoraUrl(ctx, fileName) }));
		},
	},
	{
		name: 'v1.accountStatus',
		method: 'POST',
		pattern: /^\/uc\/openapi\/accountStatus$/,
		family: 'v1',
		handler(ctx) {
			const auth = v1Auth(ctx, 'bodyLower');
			if ('response' in auth) return auth.response;
			const { queued, running } = ctx.sim.engine.activeCounts(auth.key);
			return ok(
				v1(0, 'success', {
					remainCoins: auth.info.remainCoins,
					currentTaskCounts: String(queued + running),
					remainMoney: auth.info.remainMoney,
					currency: auth.info.currency,
					apiType: auth.info.apiType,
				}),
			);
		},
	},
];

/** COS-style presigned URL on the simulator, valid for one hour. */
function presignLoraUrl(ctx: RouteContext, fileName: string): string {
	const start = Math.floor(Date.now() / 1000);
	const signTime = `${start};${start + 3600}`;
	const path = `/lora-upload/${fileName}`;
	const signature = signLora(ctx.sim.signingSecret, path, signTime);
	const q = new URLSearchParams({
		'q-sign-algorithm': 'sha1',
		'q-ak': 'AKIDsimulator0000000000000000000000',
		'q-sign-time': signTime,
		'q-key-time': signTime,
		'q-header-list': 'host',
		'q-url-param-list': '',
		'q-signature': signature,
	});
	return `${ctx.sim.publicBaseUrl}${path}?${q.toString()}`;
}

export function signLora(secret: string, path: string, signTime: string): string {
	return createHmac('sha1', secret).update(`put\n${path}\n${signTime}`).digest('hex');
}
