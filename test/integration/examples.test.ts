/**
 * The demo workflows in examples/ open clean in the editor: every resource mapper (Inputs to
 * Change, Model Parameters) stores exactly the field list the node loads for it, with the inputs
 * the demo does not change marked as removed. n8n compares the stored list with a fresh one when
 * the panel opens; any difference shows "Inputs are outdated" (or refreshes the list), and a
 * stored list that lacks fields makes Refresh add every missing field as an empty row.
 *
 * `RH_UPDATE_EXAMPLES=1 npx jest test/integration/examples.test.ts` rewrites the stored lists
 * after a change of the node's labels.
 */
import * as fs from 'fs';
import * as path from 'path';

import type {
	IDataObject,
	INodeParameters,
	ResourceMapperField,
	ResourceMapperFields,
	ResourceMapperValue,
} from 'n8n-workflow';

import { callNodeMethod, simulatorCredentials } from '../harness/n8n';
import { useSimulator } from '../harness/simulator';
import { SIM_KEY_SHARED } from '../simulator';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const ACTION_TYPE = 'n8n-nodes-runninghub.runningHub';
/** The node and its AI agent tool variant store the same parameters. */
const ACTION_TYPES = [ACTION_TYPE, `${ACTION_TYPE}Tool`];
const UPDATE = process.env.RH_UPDATE_EXAMPLES === '1';

interface DemoNode {
	name: string;
	type: string;
	parameters: INodeParameters;
}

/** The resource mapper parameter of a node and the method that loads its fields. */
function mapperOf(node: DemoNode): { parameter: string; method: string } | undefined {
	const p = node.parameters;
	if (p.resource === 'workflow' && p.operation === 'run' && p.inputMode === 'mapper')
		return { parameter: 'inputs', method: 'getWorkflowInputs' };
	if (p.resource === 'aiApp' && p.operation === 'run' && p.inputMode === 'mapper')
		return { parameter: 'inputs', method: 'getAppInputs' };
	if (p.resource === 'model') return { parameter: 'modelParameters', method: 'getModelParameters' };
	return undefined;
}

/** What the editor stores after loading the fields and adding the demo's inputs. */
function storedSchema(fields: ResourceMapperField[], value: IDataObject): ResourceMapperField[] {
	return fields.map((field) => ({ ...field, removed: !(field.id in value) && !field.required }));
}

const demos = fs
	.readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) }));

const cases = demos.flatMap(({ file, json }) =>
	(json.nodes as DemoNode[])
		.filter((node) => ACTION_TYPES.includes(node.type) && mapperOf(node))
		.map((node) => [`${file} › ${node.name}`, file, node.name] as const),
);

const sim = useSimulator();

describe('demo workflows open clean', () => {
	it('every demo with a RunningHub run has a field list to check', () => {
		expect(cases.length).toBeGreaterThanOrEqual(5);
	});

	it.each(cases)('%s stores the field list the node loads', async (_title, file, nodeName) => {
		const demo = demos.find((d) => d.file === file)!;
		const node = (demo.json.nodes as DemoNode[]).find((n) => n.name === nodeName)!;
		const { parameter, method } = mapperOf(node)!;
		const loaded = await callNodeMethod<ResourceMapperFields>('resourceMapping', method, {
			parameters: node.parameters,
			credentials: simulatorCredentials(sim.baseUrl, SIM_KEY_SHARED),
		});
		const mapper = node.parameters[parameter] as unknown as ResourceMapperValue;
		const value = (mapper.value ?? {}) as IDataObject;
		expect(loaded.fields.length).toBeGreaterThan(0);
		// every value the demo sets belongs to a loaded field
		const ids = loaded.fields.map((field) => field.id);
		expect(Object.keys(value).filter((id) => !ids.includes(id))).toEqual([]);
		const expected = storedSchema(loaded.fields, value);
		if (UPDATE) {
			mapper.schema = expected;
			fs.writeFileSync(path.join(EXAMPLES, file), `${JSON.stringify(demo.json, null, 2)}\n`);
		}
		expect(mapper.schema).toEqual(expected);
	});
});
