'use strict';
/**
 * Where things are: the repository, the versions of Node and n8n the package is tested with, and
 * the runtime cache (RH_N8N_CACHE, default ~/.cache/n8n-runninghub) with its layout.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
const NODE_RUNTIME_VERSION = process.env.NODE_RUNTIME_VERSION || '24.21.0';
const NODE_PKG = `node-linux-${process.arch}`;

const PACKAGE_JSON = require(path.join(REPO, 'package.json'));
const PACKAGE_NAME = PACKAGE_JSON.name;

/** The files of one runtime cache folder (a folder of its own can be checked or repaired too). */
function runtimeLayout(cache) {
	const root = path.resolve(cache);
	const nodeDir = path.join(root, 'node', 'node_modules', NODE_PKG);
	const n8nDir = path.join(root, 'n8n');
	return {
		cache: root,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nDir,
		n8nPackageDir: path.join(n8nDir, 'node_modules', 'n8n'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		installOk: path.join(root, 'install.ok'),
		installLock: path.join(root, 'install.lock'),
		n8nInstallLog: path.join(root, 'n8n-install.log'),
		nodeInstallLog: path.join(root, 'node-install.log'),
		repairLog: path.join(root, 'repair.log'),
	};
}

const CACHE = path.resolve(
	process.env.RH_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-runninghub'),
);
const DEFAULT_LAYOUT = runtimeLayout(CACHE);

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

module.exports = {
	REPO,
	N8N_VERSION,
	NODE_RUNTIME_VERSION,
	NODE_PKG,
	PACKAGE_JSON,
	PACKAGE_NAME,
	CACHE,
	DEFAULT_LAYOUT,
	NODE_DIR: DEFAULT_LAYOUT.nodeDir,
	NODE_BIN: DEFAULT_LAYOUT.nodeBin,
	N8N_DIR: DEFAULT_LAYOUT.n8nDir,
	N8N_BIN: DEFAULT_LAYOUT.n8nBin,
	runtimeLayout,
	readJson,
};
