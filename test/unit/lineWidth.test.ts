/**
 * The shipped code keeps to n8n's Prettier width (100 columns, a tab counting 2, as Prettier counts
 * it). Prettier cannot break a long string, comment or regular expression, so this test holds them
 * to it. models.generated.ts is left out: it is data written by scripts/build-model-catalogue.js,
 * one registry entry a line, and Prettier ignores it too.
 *
 * The files below keep one long line each that cannot be broken: a description n8n's lint wants
 * as one literal, a regular expression.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const WIDTH = 100;
const GENERATED = new Set(['nodes/RunningHub/catalogue/models.generated.ts']);

const ALLOWED_LONG_LINES: Record<string, number> = {
	// Descriptions n8n's lint reads as one literal
	// (node-param-description-missing-from-dynamic-options).
	'nodes/RunningHub/actions/model/model.description.ts': 1,
	'nodes/RunningHub/actions/quickCreate/run.operation.ts': 1,
	// Regular expressions of network errors, which cannot be broken.
	'nodes/RunningHub/transport/fileHost.ts': 1,
	'nodes/RunningHub/transport/index.ts': 1,
};

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return sourceFiles(relative);
		return entry.name.endsWith('.ts') ? [relative] : [];
	});
}

function longLines(file: string): string[] {
	return fs
		.readFileSync(path.join(ROOT, file), 'utf8')
		.split('\n')
		.map((line, index) => ({ line, number: index + 1 }))
		.filter(({ line }) => line.replace(/\t/g, '  ').length > WIDTH)
		.map(({ line, number }) => `${file}:${number}: ${line.trim()}`);
}

describe('line width of the shipped code', () => {
	const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')].filter(
		(file) => !GENERATED.has(file),
	);

	it('reads the source files', () => {
		expect(files).toContain('nodes/RunningHub/RunningHub.node.ts');
		expect(files).toContain('credentials/RunningHubApi.credentials.ts');
	});

	it(`keeps every line within ${WIDTH} columns (break long strings with +)`, () => {
		const tooLong = files.flatMap((file) => {
			const lines = longLines(file);
			return lines.length > (ALLOWED_LONG_LINES[file] ?? 0) ? lines : [];
		});
		expect(tooLong).toEqual([]);
	});
});
