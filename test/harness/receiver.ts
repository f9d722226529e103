/** A local HTTP server that records what RunningHub (the simulator) posts to a webhook URL. */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

export interface ReceivedCall {
	path: string;
	query: IDataObject;
	/** Parsed JSON body, or {} when the body is not JSON. */
	body: IDataObject;
	raw: string;
}

export interface WebhookReceiver {
	/** http://127.0.0.1:<port> */
	origin: string;
	received: ReceivedCall[];
	/**
	 * HTTP statuses of the next answers, taken in order; 200 once none is left. 409 is what n8n
	 * answers on /webhook-waiting/ for an execution that is still running ("… is running already").
	 */
	nextStatuses: number[];
	close(): Promise<void>;
}

export async function startReceiver(
	responseBody = '{"message":"Webhook call received"}',
): Promise<WebhookReceiver> {
	const received: ReceivedCall[] = [];
	const receiver = { nextStatuses: [] as number[] };
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			let body: IDataObject = {};
			try {
				body = JSON.parse(raw) as IDataObject;
			} catch {
				body = {};
			}
			received.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body, raw });
			res.statusCode = receiver.nextStatuses.shift() ?? 200;
			res.setHeader('content-type', 'application/json');
			res.end(responseBody);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return Object.assign(receiver, {
		origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	});
}
