'use strict';
/** What `npm start` and the end-to-end suite import into n8n: the credential and the demo workflows. */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { REPO, readJson } = require('./paths');

const CREDENTIAL_ID = 'rhDemoCredential1';
const CREDENTIAL_NAME = 'RunningHub account';

/**
 * The credential every example workflow references. Against the simulator unless RUNNINGHUB_API_KEY
 * is set (then the real site from RUNNINGHUB_SITE, default https://www.runninghub.ai).
 */
function credentialFor({ simulatorUrl, simulatorKey }) {
	if (process.env.RUNNINGHUB_API_KEY) {
		const site = (process.env.RUNNINGHUB_SITE || 'https://www.runninghub.ai').replace(/\/+$/, '');
		const known = ['https://www.runninghub.ai', 'https://www.runninghub.cn'];
		return {
			id: CREDENTIAL_ID,
			name: CREDENTIAL_NAME,
			type: 'runningHubApi',
			data: known.includes(site)
				? { apiKey: process.env.RUNNINGHUB_API_KEY, site }
				: { apiKey: process.env.RUNNINGHUB_API_KEY, site: 'custom', customBaseUrl: site },
		};
	}
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: 'runningHubApi',
		data: { apiKey: simulatorKey, site: 'custom', customBaseUrl: simulatorUrl },
	};
}

const EXAMPLES_DIR = path.join(REPO, 'examples');

/** Example workflow files: [{ file, id, name, active, hasManualTrigger, json }]. */
function listWorkflows(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const file = path.join(dir, f);
			const json = readJson(file);
			return {
				file,
				id: json.id,
				name: json.name,
				active: !!json.active,
				hasManualTrigger: (json.nodes || []).some((n) => n.type === 'n8n-nodes-base.manualTrigger'),
				json,
			};
		});
}

function sha1(s) {
	return crypto.createHash('sha1').update(s).digest('hex');
}

module.exports = {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	EXAMPLES_DIR,
	credentialFor,
	listWorkflows,
	sha1,
};
