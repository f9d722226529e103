/**
 * A result link on a private address is compared with the credential's own origin. When a
 * configured credential cannot be read at that moment (n8n's database busy in queue mode), the
 * refusal says so instead of blaming the link alone; with no credential at all it stays plain.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { downloadOutputs } from '../../nodes/RunningHub/helpers/download';

function contextWith(credentials: INode['credentials'], readError?: Error) {
	const requests: string[] = [];
	const node = { name: 'RunningHub', type: 'runningHub', credentials } as unknown as INode;
	const context = {
		getNode: () => node,
		getCredentials: async () => {
			if (readError) throw readError;
			return { site: 'custom', customBaseUrl: 'http://127.0.0.1:9' };
		},
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequest: async (options: { url: string }) => {
				requests.push(options.url);
				throw new Error('no request may be sent');
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, requests };
}

const privateLink = [{ fileUrl: 'http://10.0.0.7:9000/bucket/a.png', fileType: 'png' }];
const options = { prefix: 'data_', allowPartial: true };

describe('a private result link while the credential cannot be read', () => {
	it('names the unreadable credential and its reason, and sends nothing', async () => {
		const { context, requests } = contextWith(
			{ runningHubApi: { id: '1', name: 'RunningHub' } },
			new Error('remaining connection slots are reserved'),
		);
		const result = await downloadOutputs(
			context,
			privateLink as never,
			options,
			'1234567890123456789',
		);
		expect(result.failures).toHaveLength(1);
		expect(result.failures[0].error).toContain('the link points at a local or private address');
		expect(result.failures[0].error).toContain(
			'the RunningHub API credential could not be read to compare (remaining connection slots are reserved)',
		);
		expect(requests).toEqual([]);
	});

	it('without any credential on the node, the refusal stays plain', async () => {
		const { context } = contextWith(undefined, new Error('Node does not have any credentials'));
		const result = await downloadOutputs(
			context,
			privateLink as never,
			options,
			'1234567890123456789',
		);
		expect(result.failures[0].error).toContain('the link points at a local or private address');
		expect(result.failures[0].error).not.toContain('could not be read');
	});

	it("a link on the credential's own origin is fetched", async () => {
		const { context, requests } = contextWith({ runningHubApi: { id: '1', name: 'RunningHub' } });
		await downloadOutputs(
			context,
			[{ fileUrl: 'http://127.0.0.1:9/files/a.png', fileType: 'png' }] as never,
			options,
			'1234567890123456789',
		);
		expect(requests).toEqual(['http://127.0.0.1:9/files/a.png']);
	});
});
