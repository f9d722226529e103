#!/usr/bin/env node
'use strict';
/**
 * `npm run test:runtime`: a runtime cache whose SQLite driver was never built is detected and
 * repaired.
 *
 * It makes a throw-away copy of the runtime cache (RH_N8N_CACHE, installed first if needed) inside
 * that cache folder: hard links for every file (no 3 GB copy), and a real copy of the sqlite3
 * package with its compiled binding removed, which is what a cache looks like when sqlite3's install
 * script never ran. Then:
 *
 *   1. the readiness check names the broken driver;
 *   2. ensureRuntime() on the copy rebuilds sqlite3 and writes install.ok only after n8n has opened
 *      a database in a throw-away user folder;
 *   3. the readiness check on the repaired copy, the n8n CLI check included, finds nothing wrong.
 *
 * The copy is deleted at the end; the cache itself is only read.
 */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const rt = require('../../scripts/lib/runtime');

const source = rt.runtimeLayout(rt.CACHE);

function sqliteBindings(n8nDir) {
	const build = path.join(n8nDir, 'node_modules', 'sqlite3', 'build');
	if (!fs.existsSync(build)) return [];
	return fs
		.readdirSync(build, { recursive: true })
		.filter((file) => file.endsWith('.node'))
		.map((file) => path.join(build, file));
}

/** Runs `fn` and returns the log lines it printed (they are printed as well). */
async function capturingLog(fn) {
	const lines = [];
	const original = console.log;
	console.log = (...args) => {
		lines.push(args.join(' '));
		original(...args);
	};
	try {
		await fn();
	} finally {
		console.log = original;
	}
	return lines;
}

async function main() {
	rt.installSignalHandlers();
	await rt.ensureRuntime();
	assert.ok(sqliteBindings(source.n8nDir).length, 'the runtime cache has a built sqlite3 binding');

	const copyRoot = path.join(source.cache, `repair-test-${process.pid}`);
	const broken = rt.runtimeLayout(copyRoot);
	fs.rmSync(copyRoot, { recursive: true, force: true });
	fs.mkdirSync(copyRoot);
	try {
		const started = Date.now();
		rt.log(`copying the runtime into ${copyRoot} (hard links) and removing sqlite3's binding`);
		await rt.runOrThrow('cp', ['-al', path.join(source.cache, 'node'), copyRoot]);
		await rt.runOrThrow('cp', ['-al', source.n8nDir, copyRoot]);
		const copiedSqlite = path.join(broken.n8nDir, 'node_modules', 'sqlite3');
		fs.rmSync(copiedSqlite, { recursive: true });
		await rt.runOrThrow('cp', [
			'-a',
			path.join(source.n8nDir, 'node_modules', 'sqlite3'),
			copiedSqlite,
		]);
		for (const binding of sqliteBindings(broken.n8nDir)) fs.rmSync(binding);
		fs.copyFileSync(source.installOk, broken.installOk);
		rt.log(`broken copy ready in ${rt.elapsed(started)}`);

		const problems = await rt.checkRuntime(broken);
		assert.deepStrictEqual(
			problems.map((p) => p.part),
			['sqlite3'],
			`expected the broken SQLite driver to be found, got ${JSON.stringify(problems)}`,
		);
		assert.match(problems[0].message, /database driver \(sqlite3\) does not load under Node 24/);
		rt.log(`PASS  detected: ${problems[0].message}`);

		const lines = await capturingLog(() => rt.ensureRuntime(broken));
		const said = lines.join('\n');
		assert.match(said, /runtime problem: n8n's database driver \(sqlite3\) does not load/);
		assert.match(said, /rebuilding sqlite3 for Node 24/);
		assert.match(said, /install scripts on/);
		assert.ok(sqliteBindings(broken.n8nDir).length, 'sqlite3 has a binding again');
		assert.match(fs.readFileSync(broken.installOk, 'utf8'), /n8n opens a new database/);
		rt.log('PASS  repaired: sqlite3 rebuilt, install.ok written after the database check');

		assert.deepStrictEqual(await rt.checkRuntime(broken, { openDatabase: true }), []);
		assert.ok(sqliteBindings(source.n8nDir).length, 'the original cache still has its binding');
		rt.log(`PASS  the repaired copy runs n8n (${rt.elapsed(started)} in all)`);
	} finally {
		fs.rmSync(copyRoot, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	async (error) => {
		console.error(`\nruntime repair test failed: ${error.stack || error.message}`);
		await rt.cleanupAll();
		process.exit(1);
	},
);
