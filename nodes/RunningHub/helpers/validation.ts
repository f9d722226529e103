import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Accepts an empty value (meaning "none"); otherwise an absolute http(s) URL. */
export function validateWebhookUrl(
	context: IExecuteFunctions,
	value: string,
	itemIndex: number,
	fieldName = 'Webhook URL',
): string {
	if (!value) return '';
	let parsed: URL | undefined;
	try {
		parsed = new URL(value);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new NodeOperationError(
			context.getNode(),
			`${fieldName} must be an http:// or https:// URL, got "${value}"`,
			{
				itemIndex,
				description:
					'RunningHub posts the TASK_END event to this address. Paste the Production URL of a ' +
					'RunningHub Trigger node, or leave it empty.',
			},
		);
	}
	return value;
}

/** Number option inside bounds, with a message naming the field and the allowed range. */
export function validateRange(
	context: IExecuteFunctions,
	fieldName: string,
	value: number,
	min: number,
	max: number,
	itemIndex: number,
): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw new NodeOperationError(
			context.getNode(),
			`${fieldName} must be between ${min} and ${max}, got ${String(value)}`,
			{
				itemIndex,
				description:
					`Set ${fieldName} to a value from ${min} to ${max} in the node's options ` +
					`(an expression there must give a number).`,
			},
		);
	}
	return value;
}
