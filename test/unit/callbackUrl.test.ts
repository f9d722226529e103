/**
 * The callback URL of Wait for Callback and the path of the node's restart webhook must agree: n8n
 * resumes the waiting node only when the URL's suffix equals the path its webhook resolves to.
 */
import type { INode } from 'n8n-workflow';

import { callbackWebhooks } from '../../nodes/RunningHub/actions/common/callback.description';
import { callbackUrl } from '../../nodes/RunningHub/helpers/callback';
import { NODE_ID, evaluateForNode } from '../harness/n8n';

const RESUME = 'http://n8n.example.com:5678/webhook-waiting/1234?signature=abc123';
const options = { parameters: { resource: 'workflow', operation: 'run' } };

/** The suffix n8n matches against: the webhook path as n8n evaluates it for `node`. */
function webhookPath(node?: Partial<INode>): string {
	const evaluated = node
		? evaluateForNode(options, String(callbackWebhooks[0].path), {
				name: 'RunningHub',
				type: 'n8n-nodes-runninghub.runningHub',
				typeVersion: 1,
				position: [0, 0],
				parameters: options.parameters,
				...node,
			} as INode)
		: evaluateForNode(options, String(callbackWebhooks[0].path));
	return String(evaluated);
}

/** The suffix of a callback URL, as Express hands it to n8n (decoded), or '' for none. */
function suffixOf(url: string): string {
	const parts = new URL(url).pathname.split('/');
	const index = parts.indexOf('webhook-waiting');
	return decodeURIComponent(parts[index + 2] ?? '');
}

describe('callback URL and restart webhook path', () => {
	it('adds the node ID to the resume URL path and keeps n8n’s signature', () => {
		const url = callbackUrl(RESUME, NODE_ID);
		expect(url).toBe(
			`http://n8n.example.com:5678/webhook-waiting/1234/${NODE_ID}?signature=abc123`,
		);
		expect(suffixOf(url)).toBe(webhookPath());
	});

	it('agrees with the webhook path for an ID that must be encoded in a URL', () => {
		const id = 'a b/ç';
		const url = callbackUrl(RESUME, id);
		expect(url).toContain('/1234/a%20b%2F%C3%A7?signature=abc123');
		expect(suffixOf(url)).toBe(id);
		expect(webhookPath({ id })).toBe(id);
	});

	it('a node without an ID: no suffix, and the webhook path is empty to match', () => {
		expect(callbackUrl(RESUME, undefined)).toBe(RESUME);
		expect(callbackUrl(RESUME, '')).toBe(RESUME);
		expect(webhookPath({ id: undefined })).toBe('');
	});

	it('a resume URL with a trailing slash gets one slash before the ID', () => {
		expect(callbackUrl('https://n8n.example.com/webhook-waiting/77/', 'n1')).toBe(
			'https://n8n.example.com/webhook-waiting/77/n1',
		);
	});

	it('leaves a resume URL that is not http(s) alone, for the node to refuse', () => {
		expect(callbackUrl('', 'n1')).toBe('');
		expect(callbackUrl('/webhook-waiting/5', 'n1')).toBe('/webhook-waiting/5');
	});
});
