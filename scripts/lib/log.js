'use strict';
/** Time-stamped log lines, durations, and the tail of a log file (for error messages). */
const fs = require('fs');

const t0 = Date.now();
function hhmmss() {
	return new Date().toTimeString().slice(0, 8);
}
function log(...args) {
	console.log(`[${hhmmss()}]`, ...args);
}
function elapsed(since = t0) {
	const s = Math.round((Date.now() - since) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tailFile(file, n) {
	try {
		return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n');
	} catch {
		return '(no log)';
	}
}

module.exports = { log, elapsed, sleep, tailFile };
