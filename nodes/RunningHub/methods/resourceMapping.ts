import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { getRunningHubId } from '../actions/common/locator';
import { appInputs, fetchAppTemplate } from '../helpers/aiApp';
import { fetchWorkflowJson, mapperFields, workflowInputs } from '../helpers/nodeInfo';

/** One field per literal input of each node of the workflow, read from its API-format JSON. */
export async function getWorkflowInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const workflowId = getRunningHubId(this, 'workflow', 'workflowId');
	const workflow = await fetchWorkflowJson(this, workflowId);
	const fields = mapperFields(workflowInputs(workflow));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: `Workflow ${workflowId} has no inputs that can be changed` };
}

/** One field per input of the AI app's form, typed from its API example (apiCallDemo). */
export async function getAppInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const webappId = getRunningHubId(this, 'webapp', 'webappId');
	const template = await fetchAppTemplate(this, webappId);
	const fields = mapperFields(appInputs(template));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: `AI app ${webappId} has no inputs that can be changed` };
}
