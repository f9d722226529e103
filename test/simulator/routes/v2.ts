/** v2 routes: Bearer auth only, flat task objects for task endpoints, `{code, message|msg, data}` otherwise. */

import { createAppTask, createModelTask, createWorkflowTask, type CreateResult } from '../tasks';
import { extensionOf, mediaTypeOf } from '../outputs';
import { ok, sha256Hex, v2Error } from '../util';
import { body, taskIdOf, v2Auth, type RouteContext, type RouteDef } from './common';

/** "支持文件类型汇总" of the official media upload page [RHSS 402615348]. */
const MEDIA_UPLOAD_EXTENSIONS = [
	'jpg',
	'png',
	'jpeg',
	'webp',
	'zip',
	'mp3',
	'wav',
	'flac',
	'mp4',
	'avi',
	'mov',
	'mkv',
];

/** Submit answer: the v2 task object as shown in the docs (no failedReason/usage on submit). */
function submitAnswer(result: CreateResult, ctx: RouteContext): ReturnType<typeof ok> {
	if ('error' in result) return ok(v2Error(String(result.error.code), result.error.msg));
	const task = result.task;
	const view = ctx.sim.engine.v2Object(task, false);
	return ok({
		taskId: task.taskId,
		status: view.status,
		errorCode: view.errorCode,
		errorMessage: view.errorMessage,
		results: view.results,
		clientId: task.clientId,
		promptTips: task.promptTips,
	});
}

export const v2Routes: RouteDef[] = [
	{
		name: 'v2.runWorkflow',
		method: 'POST',
		pattern: /^\/openapi\/v2\/run\/workflow\/([^/]+)$/,
		family: 'v2task',
		counts: 'create',
		handler(ctx) {
			const auth = v2Auth(ctx, 'task');
			if ('response' in auth) return auth.response;
			return submitAnswer(
				createWorkflowTask(ctx.sim, auth.key, ctx.params[0], body(ctx), 'v2'),
				ctx,
			);
		},
	},
	{
		name: 'v2.runAiApp',
		method: 'POST',
		pattern: /^\/openapi\/v2\/run\/ai-app\/([^/]+)$/,
		family: 'v2task',
		counts: 'create',
		handler(ctx) {
			const auth = v2Auth(ctx, 'task');
			if ('response' in auth) return auth.response;
			return submitAnswer(createAppTask(ctx.sim, auth.key, ctx.params[0], body(ctx), 'v2'), ctx);
		},
	},
	{
		name: 'v2.query',
		method: 'POST',
		pattern: /^\/openapi\/v2\/query$/,
		family: 'v2task',
		counts: 'status',
		handler(ctx) {
			const auth = v2Auth(ctx, 'task');
			if ('response' in auth) return auth.response;
			const id = taskIdOf(ctx);
			if (id === undefined)
				return ok(
					v2Error('1007', 'Invalid parameters, please check your input: taskId is required'),
				);
			const task = ctx.sim.engine.tasks.get(id);
			// Live capture: the asked ID is echoed back, with errorCode 1004 and nothing else.
			if (!task || task.apiKey !== auth.key)
				return ok({
					taskId: id,
					status: ctx.sim.options.unknownTaskStatus,
					errorCode: '1004',
					errorMessage:
						'Task not found, please check the task ID | 任务不存在或已过期，请检查任务ID',
					results: null,
					failedReason: {},
					usage: null,
				});
			return ok(ctx.sim.engine.v2Object(task, true));
		},
	},
	{
		name: 'v2.upload',
		method: 'POST',
		pattern: /^\/openapi\/v2\/media\/upload\/binary$/,
		family: 'v2upload',
		upload: 'media',
		handler(ctx) {
			const auth = v2Auth(ctx, 'upload');
			if ('response' in auth) return auth.response;
			const tooLarge = { code: 1008, message: 'File size limit exceeded', data: null };
			if (ctx.bodyTooLarge) return ok(tooLarge);
			if (!ctx.parts)
				return ok({
					code: 1007,
					message: ctx.multipartError ?? 'request must be multipart/form-data',
					data: null,
				});
			const file = ctx.parts.find((p) => p.name === 'file');
			if (!file)
				return ok({ code: 1007, message: 'Required part "file" is not present', data: null });
			const maxBytes = ctx.sim.options.maxMediaUploadBytes;
			if (maxBytes !== undefined && file.data.length > maxBytes) return ok(tooLarge);
			const ext = extensionOf(file.filename, file.contentType);
			// The page lists the types it takes; the code of its refusal is not documented.
			if (!MEDIA_UPLOAD_EXTENSIONS.includes(ext))
				return ok({
					code: 1007,
					message: `Invalid parameters, please check your input: file type ${ext} is not supported`,
					data: null,
				});
			const fileName = `openapi/${sha256Hex(file.data)}.${ext}`;
			const downloadPath = ctx.sim.storeUpload(fileName, ext, file.data);
			const start = Math.floor(Date.now() / 1000);
			const signed = new URLSearchParams({
				'q-sign-algorithm': 'sha1',
				'q-ak': 'AKIDsimulator0000000000000000000000',
				'q-sign-time': `${start};${start + 86400}`,
				'q-key-time': `${start};${start + 86400}`,
				'q-header-list': 'host',
				'q-url-param-list': '',
				'q-signature': sha256Hex(fileName + start).slice(0, 40),
			});
			return ok({
				code: 0,
				message: 'success',
				data: {
					type: mediaTypeOf(ext),
					download_url: `${ctx.sim.publicBaseUrl}${downloadPath}?${signed.toString()}`,
					fileName,
					size: String(file.data.length),
				},
			});
		},
	},
	{
		name: 'v2.queueStatus',
		method: 'GET',
		pattern: /^\/openapi\/v2\/queue\/status$/,
		family: 'v2util',
		handler(ctx) {
			const auth = v2Auth(ctx, 'util');
			if ('response' in auth) return auth.response;
			const { queued, running } = ctx.sim.engine.activeCounts(auth.key);
			return ok({
				code: 0,
				msg: 'success',
				data: {
					apiKeyType: auth.info.apiType,
					concurrentLimit: ctx.sim.concurrencyOf(auth.key),
					runningCount: String(running),
					queuedCount: String(queued),
					totalCurrentTasks: String(running + queued),
				},
				errorMessages: null,
			});
		},
	},
	{
		name: 'v2.pricePreview',
		method: 'POST',
		pattern: /^\/openapi\/v2\/price-preview\/(.+)$/,
		family: 'v2util',
		handler(ctx) {
			const auth = v2Auth(ctx, 'task');
			if ('response' in auth) return auth.response;
			if (auth.info.apiType !== 'SHARED') return ok(v2Error('1014'));
			const endpoint = ctx.params[0];
			const price = /video/.test(endpoint) ? 1.2 : /3d/.test(endpoint) ? 0.8 : 0.2;
			const currency = auth.info.currency ?? 'CNY';
			// Flat, without a code/data envelope (official page api-454850620 and live clients).
			return ok({
				errorCode: ctx.sim.options.pricePreviewErrorCode,
				errorMessage: '',
				estimatedPrice: price,
				currency,
				priceText: `¥${price.toFixed(2)}/次`,
				priceTextEn: `${currency} ${price.toFixed(2)}/call`,
				freeLimit: false,
				freeLimitCount: '0',
				remainingFreeLimitCount: '0',
				isFreeThisCall: false,
			});
		},
	},
	{
		// Anything else under /openapi/v2/ is a Standard Model API endpoint. Must stay last.
		name: 'v2.model',
		method: 'POST',
		// Reserved utility paths are excluded so that e.g. POST /queue/status answers 1009 instead of being a "model".
		pattern: /^\/openapi\/v2\/(?!(?:queue|media|run|price-preview)\/|query$)(.+)$/,
		family: 'v2task',
		counts: 'create',
		handler(ctx) {
			const auth = v2Auth(ctx, 'task');
			if ('response' in auth) return auth.response;
			if (ctx.jsonError)
				return ok(
					v2Error('1007', 'Invalid parameters, please check your input: body is not valid JSON'),
				);
			return submitAnswer(createModelTask(ctx.sim, auth.key, ctx.params[0], body(ctx)), ctx);
		},
	},
];
