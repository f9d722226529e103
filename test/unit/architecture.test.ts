import * as fs from 'fs';
import * as path from 'path';

/*
 * Keeps the layer map of docs/ARCHITECTURE.md true: no import cycles in the shipped code, and the
 * lower layers (helpers/, transport/, catalogue/) never import from the layers above them.
 */

const ROOT = path.resolve(__dirname, '../..');
const NODES = path.join(ROOT, 'nodes');

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const base = path.resolve(path.dirname(from), specifier);
	return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
}

/**
 * Every relative import, `import type` and `await import(...)` included: a cycle of types is still
 * a knot to untie, and an import deferred to first use still points one way.
 */
function allImports(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	return [...text.matchAll(/(?:from\s+|import\(\s*)'([^']+)'/g)]
		.map((match) => resolveImport(file, match[1]))
		.filter((target): target is string => target !== undefined);
}

/** Relative imports that load a module when the importer loads (no `import type`, no `import()`). */
function loadTimeImports(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	return [...text.matchAll(/^(?:import|export)(?!\s+type\b)[^;']*?from\s+'([^']+)'/gm)]
		.map((match) => resolveImport(file, match[1]))
		.filter((target): target is string => target !== undefined);
}

const files = sourceFiles(NODES);
const relative = (file: string) => path.relative(ROOT, file);

describe('shape of the shipped code', () => {
	it('has no import cycles', () => {
		const graph = new Map(files.map((file) => [file, allImports(file)]));
		const cycles: string[] = [];
		const state = new Map<string, 'visiting' | 'done'>();
		const stack: string[] = [];
		const visit = (file: string) => {
			state.set(file, 'visiting');
			stack.push(file);
			for (const next of graph.get(file) ?? []) {
				if (state.get(next) === 'visiting') {
					cycles.push([...stack.slice(stack.indexOf(next)), next].map(relative).join(' → '));
				} else if (!state.has(next)) visit(next);
			}
			stack.pop();
			state.set(file, 'done');
		};
		for (const file of files) if (!state.has(file)) visit(file);
		expect(cycles).toEqual([]);
	});

	it('helpers, transport and the catalogue never import from actions or methods', () => {
		const lower = ['helpers', 'transport', 'catalogue'].map((dir) =>
			path.join(NODES, 'RunningHub', dir),
		);
		const upper = ['actions', 'methods'].map((dir) => path.join(NODES, 'RunningHub', dir));
		const upward = files
			.filter((file) => lower.some((dir) => file.startsWith(dir + path.sep)))
			.flatMap((file) =>
				allImports(file)
					.filter((target) => upper.some((dir) => target.startsWith(dir + path.sep)))
					.map((target) => `${relative(file)} → ${relative(target)}`),
			);
		expect(upward).toEqual([]);
	});

	it('transport never imports from helpers', () => {
		const transport = path.join(NODES, 'RunningHub', 'transport');
		const helpers = path.join(NODES, 'RunningHub', 'helpers');
		const upward = files
			.filter((file) => file.startsWith(transport + path.sep))
			.flatMap((file) =>
				allImports(file)
					.filter((target) => target.startsWith(helpers + path.sep))
					.map((target) => `${relative(file)} → ${relative(target)}`),
			);
		expect(upward).toEqual([]);
	});

	it('loading the action node reads its descriptions, not its logic', () => {
		// n8n loads every node to read its description; the logic loads when a run or the editor
		// first needs it (bench/node-load.ts measures the difference).
		const loaded = new Set<string>();
		const visit = (file: string) => {
			if (loaded.has(file)) return;
			loaded.add(file);
			for (const next of loadTimeImports(file)) visit(next);
		};
		visit(path.join(NODES, 'RunningHub/RunningHub.node.ts'));
		const names = [...loaded].map(relative);

		const logic = names.filter(
			(name) =>
				/\/(transport|catalogue)\//.test(name) ||
				(name.includes('/helpers/') && !/\/helpers\/(constants|ids)\.ts$/.test(name)) ||
				(name.includes('/methods/') && !name.endsWith('/methods/index.ts')) ||
				name.endsWith('/actions/router.ts'),
		);
		expect(logic).toEqual([]);
		// The walk itself reaches every operation's description.
		expect(names).toEqual(
			expect.arrayContaining([
				'nodes/RunningHub/actions/model/generate.operation.ts',
				'nodes/RunningHub/actions/task/resendWebhookEvent.operation.ts',
				'nodes/RunningHub/helpers/constants.ts',
			]),
		);
	});

	it('UI descriptions (INodeProperties) live only under actions/', () => {
		const outside = files
			.filter((file) => !file.includes(`${path.sep}actions${path.sep}`))
			.filter((file) => !file.endsWith('.node.ts'))
			.filter((file) => /\bINodeProperties\b/.test(fs.readFileSync(file, 'utf8')))
			.map(relative);
		expect(outside).toEqual([]);
	});
});
