/**
 * Minimal multipart/form-data parser working on a Buffer.
 *
 * Part bodies are zero-copy `subarray`s of the request buffer and boundaries are located with
 * Buffer.indexOf (native), so a 30 MB binary upload is parsed in a few milliseconds.
 */

export interface MultipartPart {
	name: string;
	filename?: string;
	contentType?: string;
	headers: Record<string, string>;
	data: Buffer;
}

export class MultipartError extends Error {}

/** Extract the boundary from a Content-Type header, or undefined if it is not multipart. */
export function getBoundary(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const boundary = match ? (match[1] ?? match[2]) : undefined;
	return boundary ? boundary.trim() : undefined;
}

function parseHeaders(block: string): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of block.split('\r\n')) {
		const idx = line.indexOf(':');
		if (idx > 0) headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
	}
	return headers;
}

function dispositionParam(disposition: string, param: string): string | undefined {
	// filename*=UTF-8''... (RFC 5987) wins over filename= when both are present.
	if (param === 'filename') {
		const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
		if (star) return decodeURIComponent(star[1].trim());
	}
	const re = new RegExp(`(?:^|;)\\s*${param}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
	const match = re.exec(disposition);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2].trim();
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const delimiter = Buffer.from(`--${boundary}`);
	const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
	const headerEnd = Buffer.from('\r\n\r\n');
	const parts: MultipartPart[] = [];

	let pos = body.indexOf(delimiter);
	if (pos < 0) throw new MultipartError('multipart boundary not found');
	pos += delimiter.length;

	for (;;) {
		// "--" right after a delimiter marks the end of the body.
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
		// Skip transport padding and the CRLF that ends the delimiter line.
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else throw new MultipartError('malformed multipart delimiter line');

		const hEnd = body.indexOf(headerEnd, pos);
		if (hEnd < 0) throw new MultipartError('multipart part headers not terminated');
		const headers = parseHeaders(body.toString('utf8', pos, hEnd));
		const dataStart = hEnd + headerEnd.length;
		const dataEnd = body.indexOf(nextDelimiter, dataStart);
		if (dataEnd < 0) throw new MultipartError('multipart closing boundary not found');

		const disposition = headers['content-disposition'] ?? '';
		parts.push({
			name: dispositionParam(disposition, 'name') ?? '',
			filename: dispositionParam(disposition, 'filename'),
			contentType: headers['content-type'],
			headers,
			data: body.subarray(dataStart, dataEnd),
		});
		pos = dataEnd + nextDelimiter.length;
	}
	return parts;
}
