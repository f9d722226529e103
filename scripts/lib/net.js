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

/**
 * fetch() with a timeout; resolves { status, headers, text }. A network failure names the request
 * and its cause (fetch itself says only "fetch failed").
 */
async function fetchText(url, { method = 'GET', headers, body, timeoutMs = 30000 } = {}) {
	let res;
	try {
		res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
	} catch (e) {
		const cause = e && e.cause ? ` (${e.cause.code || e.cause.message || e.cause})` : '';
		throw new Error(`${method} ${url}: ${e && e.message ? e.message : e}${cause}`);
	}
	return { status: res.status, headers: res.headers, text: await res.text() };
}

module.exports = { isPortFree, findFreePorts, fetchText };
