/**
 * Uploads of binaries n8n keeps on disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem): the item holds
 * only a reference, so the node must read the bytes through n8n's binary helpers. The binary mode
 * is per process, hence this separate file.
 */
import { createHash, randomBytes } from 'crypto';
import type { INodeExecutionData } from 'n8n-workflow';

import { prepareBinary, runNode, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { SIM_KEY_NORMAL } from '../simulator/keys';

const sim = useSimulator({ binaryMode: 'filesystem' });

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function diskItem(
	data: Buffer,
	fileName: string,
	mimeType: string,
): Promise<INodeExecutionData> {
	const binary = await prepareBinary(data, fileName, mimeType);
	// The point of this file: the bytes are not in the item.
	expect(binary.id).toMatch(/^filesystem/);
	expect(binary.data).not.toBe(data.toString('base64'));
	return { json: {}, binary: { data: binary } };
}

function run(items: INodeExecutionData[], parameters: Record<string, unknown>) {
	return runNode({
		parameters: { resource: 'file', binaryPropertyName: 'data', ...parameters },
		credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_NORMAL),
		items,
	});
}

describe('File › Upload from a binary stored on disk', () => {
	it.each(['media', 'legacy'])('streams the file from disk to the %s endpoint', async (target) => {
		// Larger than a stream chunk, so several chunks are read.
		const data = randomBytes(3 * 1024 * 1024 + 11);
		const { output } = await run([await diskItem(data, 'disk clip.mp4', 'video/mp4')], {
			operation: 'upload',
			target,
			fileType: 'video',
		});
		const json = output[0][0].json;
		expect(json.fileName).toBe(
			target === 'media' ? `openapi/${sha256(data)}.mp4` : `api/${sha256(data)}.mp4`,
		);
		expect(json).toMatchObject({
			size: data.length,
			mimeType: 'video/mp4',
			originalFileName: 'disk clip.mp4',
			target,
		});
		const [request] = sim.requests;
		expect((request.body as { files: unknown[] }).files).toEqual([
			{ name: 'file', filename: 'disk clip.mp4', contentType: 'video/mp4', size: data.length },
		]);
		const stored = await fetch(`${sim.baseUrl}/files/input/${json.fileName as string}`);
		expect(Buffer.from(await stored.arrayBuffer())).toEqual(data);
	});

	it('refuses a file over 30 MB for the legacy upload from its stored size, sending nothing', async () => {
		const data = Buffer.alloc(31 * 1024 * 1024, 7);
		const error = await run([await diskItem(data, 'big.mov', 'video/quicktime')], {
			operation: 'upload',
			target: 'legacy',
		}).catch((e: Error) => e);
		expect((error as Error).message).toContain(
			'"big.mov" is 31.0 MB (32505856 bytes), over RunningHub\'s upload limit of 30 MB',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('uploads a LoRA from disk with the right MD5', async () => {
		const data = randomBytes(2 * 1024 * 1024);
		const md5 = createHash('md5').update(data).digest('hex');
		const { output } = await run(
			[await diskItem(data, 'disk-lora.safetensors', 'application/octet-stream')],
			{ operation: 'uploadLora' },
		);
		expect(output[0][0].json).toMatchObject({
			loraName: 'disk-lora',
			md5,
			uploaded: true,
			fileName: `api-lora-cn/${md5}.safetensors`,
		});
		expect(sim.loraUploads.get(md5)?.uploaded).toBe(true);
		expect(sim.stats.credentialLeaks).toBe(0);
	});
});
