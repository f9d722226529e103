import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { appInputs, fetchAppTemplate } from '../helpers/aiApp';
import { BINARY_PREFIX } from '../helpers/binaryReferences';
import { fetchWorkflowJson, workflowInputs } from '../helpers/comfyWorkflow';
import { getRunningHubId } from '../helpers/ids';
import type { InputDescriptor } from '../helpers/interfaces';
import { fieldIdOf } from '../helpers/overrides';

function shortValue(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : String(value);
	return text.length > 32 ? `${text.slice(0, 30)}…${typeof value === 'string' ? '"' : ''}` : text;
}

/** The resource mapper fields for a list of inputs: hidden until added, prefilled with the current value. */
export function mapperFields(inputs: InputDescriptor[]): ResourceMapperField[] {
	return inputs.map((input) => {
		const range =
			input.min !== undefined || input.max !== undefined
				? ` [${input.min ?? '…'}–${input.max ?? '…'}]`
				: '';
		const about = input.description ? ` — ${input.description}` : '';
		const file = input.media ? ` — file name or ${BINARY_PREFIX}<binary property>` : '';
		const field: ResourceMapperField = {
			id: fieldIdOf(input.nodeId, input.fieldName),
			displayName: `#${input.nodeId} ${input.nodeLabel} › ${input.fieldName}${about}${range} (now ${shortValue(input.current)})${file}`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			removed: true,
			type: input.type,
			defaultValue: input.current,
		};
		if (input.options) field.options = input.options;
		return field;
	});
}

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
