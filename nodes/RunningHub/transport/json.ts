/**
 * RunningHub IDs are 19-digit snowflakes. Most responses carry them as strings, but schemas declare
 * them int64 and some responses carry bare numbers, which `JSON.parse` would round (a JS number
 * holds
 * 15-17 significant digits). Integers too long to be exact are therefore quoted before parsing.
 */
const MAX_EXACT_INTEGER_DIGITS = 15;

export function quoteLongIntegers(text: string): string {
	let result = '';
	let copiedUpTo = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
			continue;
		}
		if (char === '"') {
			inString = true;
			continue;
		}
		const startsNumber = (char >= '0' && char <= '9') || char === '-';
		if (!startsNumber) continue;
		let end = i + 1;
		while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
		const token = text.slice(i, end);
		const digits = token.replace(/^-/, '');
		if (/^\d+$/.test(digits) && digits.length > MAX_EXACT_INTEGER_DIGITS) {
			result += text.slice(copiedUpTo, i) + '"' + token + '"';
			copiedUpTo = end;
		}
		i = end - 1;
	}
	return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

export function parseJsonLossless(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

/**
 * Parses a field RunningHub sends as a JSON string (eventData, promptTips, traceback); keeps the
 * text if it is not JSON.
 */
export function parseEmbeddedJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
	try {
		return parseJsonLossless(trimmed);
	} catch {
		return value;
	}
}
