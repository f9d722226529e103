#!/usr/bin/env node
/**
 * n8n's community-package verification, run locally: the same ESLint rule set as
 * `npx @n8n/scan-community-package <name>` (its exported `analyzePackage`, so the rules, the file
 * patterns and `allowInlineConfig: false` are n8n's own, not a copy), on
 *
 *   --source   the sources the scanner lints from the provenance-attested commit
 *              (package.json, nodes/**, credentials/**)
 *   --tarball  the package as published: `npm pack`, extracted, compiled `.js` + package.json
 *              (needs `npm run build` first)
 *
 * Both when no flag is given. The published scan also checks npm provenance, which only exists for
 * a release published from CI (see .github/workflows/publish.yml).
 *
 * Because the scanner ignores inline `eslint-disable` comments, one in shipped code would only hide
 * a finding from our own lint; any such comment fails this check too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The scanner's own published-package patterns (scanner.mjs, analyzePackageByName).
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

let scanner;
try {
	scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
} catch (error) {
	if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
	console.error(
		"scan-package: n8n's scanner (@n8n/scan-community-package, a dev dependency) is not installed: run npm install",
	);
	process.exit(1);
}
const { analyzePackage, SOURCE_FILE_PATTERNS } = scanner;

// Importing the scanner creates a temporary folder for its registry downloads; remove it on exit.
createRequire(createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'))(
	'tmp',
).setGracefulCleanup();

function listFiles(dir) {
	return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((entry) => {
		if (!entry.isFile()) return [];
		const full = path.join(entry.parentPath ?? entry.path, entry.name);
		return full.includes(`${path.sep}node_modules${path.sep}`) ? [] : [full];
	});
}

function inlineDisables(dir, roots) {
	return roots
		.map((root) => path.join(dir, root))
		.filter((root) => fs.existsSync(root))
		.flatMap(listFiles)
		.filter((file) => /\.(ts|js|json)$/.test(file))
		.filter((file) => /eslint-disable/.test(fs.readFileSync(file, 'utf8')))
		.map((file) => path.relative(dir, file));
}

async function scan(label, dir, patterns, shippedRoots) {
	const started = Date.now();
	const result = await analyzePackage(dir, patterns);
	const disabled = inlineDisables(dir, shippedRoots);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.passed && disabled.length === 0) {
		console.log(`scan-package: ${label}: no findings (${seconds} s)`);
		return true;
	}
	console.error(`scan-package: ${label}: ${result.message ?? 'inline eslint-disable comments'}`);
	if (result.details) console.error(result.details);
	for (const file of disabled) {
		console.error(`  ${file}: eslint-disable comment (n8n's scanner ignores it; fix the finding)`);
	}
	return false;
}

function packAndExtract() {
	if (!fs.existsSync(path.join(REPO, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` before scanning the tarball');
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-scan-'));
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
			cwd: REPO,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	);
	const packageDir = path.join(work, 'package');
	fs.mkdirSync(packageDir);
	execFileSync('tar', [
		'-xzf',
		path.join(work, filename),
		'-C',
		packageDir,
		'--strip-components=1',
	]);
	return { work, packageDir, filename };
}

const flags = new Set(process.argv.slice(2));
const both = !flags.has('--source') && !flags.has('--tarball');
let passed = true;
if (both || flags.has('--source')) {
	passed = (await scan('sources', REPO, SOURCE_FILE_PATTERNS, ['nodes', 'credentials'])) && passed;
}
if (both || flags.has('--tarball')) {
	const { work, packageDir, filename } = packAndExtract();
	try {
		passed =
			(await scan(`tarball ${filename}`, packageDir, TARBALL_FILE_PATTERNS, ['.'])) && passed;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}
process.exitCode = passed ? 0 : 1;
