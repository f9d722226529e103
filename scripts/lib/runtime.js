'use strict';
/**
 * Runs the package inside a REAL n8n (2.41.x), the way a user gets it from the Community Nodes panel.
 * One name for everything `npm start`, the end-to-end suites and their helpers use; each part lives
 * in a file of its own:
 *
 *   paths.js           repository, tested versions, the runtime cache (RH_N8N_CACHE) and its layout
 *   log.js             time-stamped log lines, durations, log tails
 *   processes.js       child processes in their own groups, stopped on Ctrl-C or exit
 *   net.js             free loopback ports, HTTP with a timeout
 *   install.js         installing Node 24 (npm package node-linux-<arch>) and n8n into the cache,
 *                      install scripts always on, progress with npm's real phase
 *   readiness.js       "n8n can really run here": Node 24 starts, the SQLite driver loads, a new
 *                      n8n user folder opens its database
 *   ensure-runtime.js  check on every start; install, repair or reinstall; install.ok last
 *   package.js         build, `npm pack`, install into <user folder>/.n8n/nodes like n8n does
 *   n8n.js             one n8n instance: CLI, `n8n start`, REST and public API
 *   simulator.js       the RunningHub simulator as a background service
 *   demo.js            the demo credential and the example workflows
 *
 * Plain CommonJS on purpose: these files run on whatever Node the machine has (20+), while n8n runs
 * on the cached Node 24.
 */
const paths = require('./paths');
const { log, elapsed, sleep, tailFile } = require('./log');
const processes = require('./processes');
const net = require('./net');
const { runtimeEnv, runtimeReady } = require('./install');
const { checkRuntime } = require('./readiness');
const { ensureRuntime } = require('./ensure-runtime');
const { buildPackage, packPackage, installPackage } = require('./package');
const { N8nInstance, parseExecuteOutput } = require('./n8n');
const { startSimulator, simulatorKeys } = require('./simulator');
const demo = require('./demo');

module.exports = {
	REPO: paths.REPO,
	CACHE: paths.CACHE,
	N8N_VERSION: paths.N8N_VERSION,
	NODE_BIN: paths.NODE_BIN,
	N8N_BIN: paths.N8N_BIN,
	PACKAGE_NAME: paths.PACKAGE_NAME,
	CREDENTIAL_ID: demo.CREDENTIAL_ID,
	CREDENTIAL_NAME: demo.CREDENTIAL_NAME,
	EXAMPLES_DIR: demo.EXAMPLES_DIR,
	runtimeLayout: paths.runtimeLayout,
	log,
	elapsed,
	sleep,
	run: processes.run,
	runOrThrow: processes.runOrThrow,
	spawnService: processes.spawnService,
	stopChild: processes.stopChild,
	cleanupAll: processes.cleanupAll,
	installSignalHandlers: processes.installSignalHandlers,
	isPortFree: net.isPortFree,
	findFreePorts: net.findFreePorts,
	ensureRuntime,
	checkRuntime,
	runtimeReady,
	runtimeEnv,
	buildPackage,
	packPackage,
	installPackage,
	N8nInstance,
	parseExecuteOutput,
	fetchText: net.fetchText,
	tailFile,
	startSimulator,
	simulatorKeys,
	credentialFor: demo.credentialFor,
	listWorkflows: demo.listWorkflows,
	sha1: demo.sha1,
};
