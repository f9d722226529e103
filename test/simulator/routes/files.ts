/**
 * "Object storage" routes: result files and upload download_urls (GET), and the LoRA presigned PUT.
 * They imitate Tencent COS (XML errors, ETag) and need no RunningHub key - the presigned PUT even
 * refuses requests that carry one, so tests can prove the node does not leak credentials there.
 */

import type { SimResponse } from '../types';
import { md5Hex } from '../util';
import type { RouteContext, RouteDef } from './common';
import { signLora } from './v1';

function cosError(status: number, code: string, message: string, resource: string): SimResponse {
	return {
		status,
		headers: { 'content-type': 'application/xml' },
		body: `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${code}</Code>\n\t<Message>${message}</Message>\n\t<Resource>${resource}</Resource>\n\t<RequestId>sim-${Date.now()}</RequestId>\n</Error>`,
	};
}

/** Does this request carry a RunningHub credential in any form? */
function carriesCredentials(ctx: RouteContext): string | undefined {
	if (ctx.headers.authorization !== undefined) return 'Authorization header';
	for (const name of ['apiKey', 'apikey', 'api_key'])
		if (ctx.query.has(name)) return `query parameter ${name}`;
	for (const [name, value] of Object.entries(ctx.headers)) {
		const values = Array.isArray(value) ? value : [value ?? ''];
		if (values.some((v) => ctx.sim.keyInfo(v) !== undefined || /Bearer\s/i.test(v)))
			return `header ${name}`;
	}
	return undefined;
}

export const fileRoutes: RouteDef[] = [
	{
		name: 'files.get',
		method: 'GET',
		pattern: /^\/files\/(.+)$/,
		family: 'files',
		handler(ctx) {
			const file = ctx.sim.engine.files.get(ctx.path);
			if (!file) return cosError(404, 'NoSuchKey', 'The specified key does not exist.', ctx.path);
			return {
				status: 200,
				headers: {
					'content-type': file.contentType,
					etag: `"${md5Hex(file.data)}"`,
					'cache-control': 'max-age=86400',
				},
				body: file.data,
			};
		},
	},
	{
		name: 'files.loraPut',
		method: 'PUT',
		pattern: /^\/lora-upload\/(api-lora-cn\/([0-9a-f]{32})\.safetensors)$/,
		family: 'files',
		largeBody: true,
		handler(ctx) {
			const [fileName, md5] = ctx.params;
			const leaked = carriesCredentials(ctx);
			if (leaked) {
				ctx.sim.stats.credentialLeaks++;
				return cosError(
					403,
					'AccessDenied',
					`Presigned upload must not carry RunningHub credentials (${leaked}).`,
					ctx.path,
				);
			}
			const signTime = ctx.query.get('q-sign-time') ?? '';
			const signature = ctx.query.get('q-signature') ?? '';
			if (signLora(ctx.sim.signingSecret, ctx.path, signTime) !== signature)
				return cosError(
					403,
					'SignatureDoesNotMatch',
					'The calculated signature does not match the provided one.',
					ctx.path,
				);
			const end = Number(signTime.split(';')[1]);
			if (!Number.isFinite(end) || end * 1000 < Date.now())
				return cosError(403, 'AccessDenied', 'Request has expired', ctx.path);
			const pending = ctx.sim.loraUploads.get(md5);
			if (!pending)
				return cosError(403, 'AccessDenied', 'No upload URL was issued for this object.', ctx.path);
			if (ctx.bodyTooLarge)
				return cosError(
					400,
					'EntityTooLarge',
					'Your proposed upload exceeds the maximum allowed object size.',
					ctx.path,
				);
			const actual = md5Hex(ctx.raw);
			if (actual !== md5)
				return cosError(
					400,
					'BadDigest',
					`The Content-MD5 you specified did not match what was received (got ${actual}).`,
					ctx.path,
				);
			pending.uploaded = true;
			pending.size = ctx.raw.length;
			ctx.sim.addInputFile(fileName);
			return { status: 200, headers: { etag: `"${md5}"`, 'content-length': '0' }, body: '' };
		},
	},
];
