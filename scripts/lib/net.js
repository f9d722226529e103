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

/**
 * Ports fetch() refuses to connect to (the Fetch standard's "bad ports", e.g. 6000 for X11): a
 * server there cannot be reached by these scripts, which talk to n8n and the simulator with fetch.
 */
const FETCH_BLOCKED_PORTS = new Set([
	1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
	103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
	512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
	995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
	6669, 6679, 6697, 10080,
]);

/** First `count` consecutive free ports at or above `start` (127.0.0.1) that fetch() can reach. */
async function findFreePorts(start, count) {
	for (let base = start; base < start + 400; base += count) {
		let ok = true;
		for (let p = base; p < base + count; p++) {
			if (FETCH_BLOCKED_PORTS.has(p) || !(await isPortFree(p))) {
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
