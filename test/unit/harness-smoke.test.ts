import * as http from 'http';
import type { AddressInfo } from 'net';

import { runNode } from '../harness/n8n';

describe('harness smoke', () => {
	it('runs account get through n8n-core with the credential authenticate()', async () => {
		const seen: Array<{ url?: string; body: string; auth?: string }> = [];
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				seen.push({ url: req.url, body, auth: req.headers.authorization });
				res.setHeader('content-type', 'application/json');
				res.end(
					req.url === '/openapi/v2/queue/status'
						? '{"code":0,"msg":"success","data":{"apiKeyType":"NORMAL","concurrentLimit":2,"runningCount":"0","queuedCount":"0","totalCurrentTasks":"0"}}'
						: '{"code":0,"msg":"success","data":{"remainCoins":"76600","currentTaskCounts":"0","remainMoney":null,"currency":null,"apiType":"NORMAL"}}',
				);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const port = (server.address() as AddressInfo).port;
		try {
			const { output } = await runNode({
				parameters: { resource: 'account', operation: 'get' },
				credentials: {
					apiKey: 'abcdefghijklmnopqrstuvwxyz012345',
					site: 'custom',
					customBaseUrl: `http://127.0.0.1:${port}/`,
				},
			});
			expect(output[0][0].json).toEqual({
				remainCoins: 76600,
				remainMoney: null,
				currency: null,
				currentTaskCounts: 0,
				apiType: 'NORMAL',
				apiKeyType: 'NORMAL',
				concurrentLimit: 2,
				runningCount: 0,
				queuedCount: 0,
				totalCurrentTasks: 0,
			});
			const accountStatus = seen.find((request) => request.url === '/uc/openapi/accountStatus');
			expect(JSON.parse(accountStatus!.body)).toEqual({
				apikey: 'abcdefghijklmnopqrstuvwxyz012345',
			});
			const queueStatus = seen.find((request) => request.url === '/openapi/v2/queue/status');
			expect(queueStatus?.auth).toBe('Bearer abcdefghijklmnopqrstuvwxyz012345');
		} finally {
			server.close();
		}
	});
});
