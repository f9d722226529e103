import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { appInputs, fetchAppTemplate } from '../helpers/aiApp';
import { fetchWorkflowJson, workflowInputs } from '../helpers/comfyWorkflow';
import { getRunningHubId } from '../helpers/ids';
import type { InputDescriptor } from '../helpers/interfaces';
import { fieldIdOf } from '../helpers/overrides';

/**
 * Longest label that reads whole in the editor's parameter panel at its default width (1440 px
 * window: "weight_dtype · Load Diffusion Model #37" fits, 44 characters did not).
 */
export const LABEL_MAX = 40;

function shorten(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/**
 * The node's own title, without the class type when it has one. A title too long for the label
 * keeps the meaning ComfyUI writes in brackets: "CLIP Text Encode (Positive Prompt)" reads
 * "Positive Prompt".
 */
function nodeTitle(input: InputDescriptor, room: number): string {
	const suffix = ` (${input.classType})`;
	const title =
		input.nodeLabel.endsWith(suffix) && input.nodeLabel !== suffix
			? input.nodeLabel.slice(0, -suffix.length)
			: input.nodeLabel;
	const meaning = /^.+\(([^()]+)\)$/.exec(title)?.[1].trim();
	return shorten(title.length > room && meaning ? meaning : title, room);
}

/**
 * "text · Positive Prompt #6", "steps (1–100) · KSampler #3", for apps "Prompt · CLIPTextEncode
 * #6":
 * what the user recognises first (the input, or the app's own description of it), then the node.
 * Long node titles are shortened so the label never gets cut off at the end.
 */
export function inputLabel(input: InputDescriptor): string {
	const range =
		input.min !== undefined || input.max !== undefined
			? ` (${input.min ?? '…'}–${input.max ?? '…'})`
			: '';
	const lead = `${shorten(input.description ?? input.fieldName, 28)}${range}`;
	const id = ` #${input.nodeId}`;
	const room = LABEL_MAX - lead.length - id.length - 3;
	return `${lead} · ${nodeTitle(input, Math.max(room, 6))}${id}`;
}

/**
 * The resource mapper fields for a list of inputs: hidden until added, prefilled with the current
 * value.
 */
export function mapperFields(inputs: InputDescriptor[]): ResourceMapperField[] {
	const labels = inputs.map(inputLabel);
	return inputs.map((input, index) => {
		const twin =
			labels.indexOf(labels[index]) !== index || labels.lastIndexOf(labels[index]) !== index;
		const field: ResourceMapperField = {
			id: fieldIdOf(input.nodeId, input.fieldName),
			displayName: twin ? `${labels[index]} (${input.fieldName})` : labels[index],
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

/** Text for the editor's notice, which renders HTML. */
function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Loads the fields, or says why there are none: the editor drops a thrown error silently (the
 * list just vanishes), so the reason a run would give is shown in place of the list.
 */
async function fieldsOrReason(
	load: () => Promise<ResourceMapperField[]>,
	what: () => string,
): Promise<ResourceMapperFields> {
	let fields: ResourceMapperField[];
	try {
		fields = await load();
	} catch (error) {
		const { message = String(error), description } = error as {
			message?: string;
			description?: string | null;
		};
		// the description usually restates the headline, then says what to do
		const headline = message.replace(/ \(code [^)]*\)/, '').replace(/ \[task \d+\]/, '');
		const reason = description?.startsWith(headline)
			? description
			: [message, description].filter(Boolean).join('. ');
		return { fields: [], emptyFieldsNotice: escapeHtml(`${what()}: ${reason}`) };
	}
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: escapeHtml(`${what()} has no inputs that can be changed`) };
}

/** One field per literal input of each node of the workflow, read from its API-format JSON. */
export async function getWorkflowInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	let workflowId = '';
	return await fieldsOrReason(
		async () => {
			workflowId = getRunningHubId(this, 'workflow', 'workflowId');
			return mapperFields(workflowInputs(await fetchWorkflowJson(this, workflowId)));
		},
		() => `Workflow ${workflowId}`.trim(),
	);
}

/** One field per input of the AI app's form, typed from its API example (apiCallDemo). */
export async function getAppInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	let webappId = '';
	return await fieldsOrReason(
		async () => {
			webappId = getRunningHubId(this, 'webapp', 'webappId');
			return mapperFields(appInputs(await fetchAppTemplate(this, webappId)));
		},
		() => `AI app ${webappId}`.trim(),
	);
}
