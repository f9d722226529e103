'use strict';
/** Loopback networking: free ports for n8n, its task broker and the simulator; HTTP with a timeout. */
const net = require('net');

function isPortFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

/** First `count` consecutive free ports at or above `start` (127.0.0.1). */
async function findFreePorts(start, count) {
	for (let base = start; base < start + 400; base += count) {
		let ok = true;
		for (let p = base; p < base + count; p++) {
			if (!(await isPortFree(p))) {
				ok = false;
				break;
			}
		}
		if (ok) return Array.from({ length: count }, (_, i) => base + i);
	}
	throw new Error(`no ${count} free consecutive ports found from ${start}`);
}

/** fetch() with a timeout; resolves { status, headers, text }. */
async function fetchText(url, { method = 'GET', headers, body, timeoutMs = 30000 } = {}) {
	const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
	return { status: res.status, headers: res.headers, text: await res.text() };
}

module.exports = { isPortFree, findFreePorts, fetchText };
