'use strict';
/**
 * The package as a user gets it: built, `npm pack`ed, and installed into an n8n user folder the way
 * Settings > Community nodes does.
 */
const fs = require('fs');
const path = require('path');
const { REPO, CACHE, PACKAGE_JSON, readJson } = require('./paths');
const { log, elapsed } = require('./log');
const { runOrThrow } = require('./processes');
const { runtimeEnv } = require('./install');

async function buildPackage({ skip = process.env.RH_SKIP_BUILD === '1' } = {}) {
	if (skip) log('RH_SKIP_BUILD=1: not rebuilding the package');
	else {
		log('building the package (npm run build)');
		const started = Date.now();
		await runOrThrow('npm', ['run', 'build'], { cwd: REPO, env: process.env });
		log(`  build done in ${elapsed(started)}`);
	}
	for (const f of [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO, f))) throw new Error(`${f} is missing after the build`);
	}
}

/** `npm pack` the package into `destDir`; returns the tarball path. */
async function packPackage(
	pkgDir = REPO,
	destDir = path.join(CACHE, 'packs', String(process.pid)),
) {
	fs.mkdirSync(destDir, { recursive: true });
	const r = await runOrThrow(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', destDir],
		{ cwd: pkgDir, env: process.env },
	);
	const json = r.stdout.slice(r.stdout.indexOf('['));
	const info = JSON.parse(json)[0];
	return {
		tgz: path.join(destDir, info.filename),
		name: info.name,
		version: info.version,
		files: info.files.length,
	};
}

/**
 * Install a packed package into <userFolder>/.n8n/nodes like Settings > Community nodes does:
 * untar into nodes/node_modules/<name>, drop dev/peer/optional deps, `npm install` runtime deps.
 */
async function installPackage(userFolder, packed) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dest = path.join(nodesDir, 'node_modules', packed.name);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	await runOrThrow('tar', ['-xzf', packed.tgz, '-C', dest, '--strip-components=1']);
	const pjFile = path.join(dest, 'package.json');
	const pj = readJson(pjFile);
	for (const k of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pj[k];
	fs.writeFileSync(pjFile, JSON.stringify(pj, null, 2));
	if (Object.keys(pj.dependencies || {}).length) {
		await runOrThrow(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dest, env: runtimeEnv() },
		);
	}
	const listFile = path.join(nodesDir, 'package.json');
	let list = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		list = readJson(listFile);
		list.dependencies = list.dependencies || {};
	} catch {
		/* first install */
	}
	list.dependencies[packed.name] = pj.version;
	fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
	// the tarball was packed into a folder of this process (npm start and the e2e run may pack at once)
	if (path.basename(path.dirname(packed.tgz)) === String(process.pid))
		fs.rmSync(path.dirname(packed.tgz), { recursive: true, force: true });
	return dest;
}

module.exports = { buildPackage, packPackage, installPackage };
