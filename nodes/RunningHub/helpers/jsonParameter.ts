import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonLossless } from '../transport';

/**
 * Reads a JSON parameter (text typed in the editor, or a value an expression produced). Text is
 * parsed without losing the digits of long integers (19-digit IDs and seeds); empty text gives
 * `undefined`. The caller checks the shape, since only it knows what the parameter must hold.
 */
export function parseJsonParameter(
	node: INode,
	raw: unknown,
	parameter: { label: string; itemIndex: number; fix: string },
): unknown {
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return undefined;
	try {
		return parseJsonLossless(raw.trim());
	} catch (error) {
		throw new NodeOperationError(
			node,
			`${parameter.label} is not valid JSON: ${(error as Error).message}`,
			{ itemIndex: parameter.itemIndex, description: parameter.fix },
		);
	}
}

/** How a JSON value is named in errors: "an array", "a string", "null". */
export function jsonKind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
