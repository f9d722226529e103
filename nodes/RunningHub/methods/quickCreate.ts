import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { parseRunningHubId } from '../helpers/ids';
import { fetchQuickCreateStyles } from '../helpers/quickCreate';

/** Quick Create › Run: the styles of the module's model library, loaded from RunningHub. */
export async function getQuickCreateStyles(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const webappId = parseRunningHubId(
		this.getNode(),
		'quickCreateApp',
		this.getCurrentNodeParameter('webappId'),
	);
	const styles = await fetchQuickCreateStyles(this, webappId);
	return [
		{ name: 'No Style', value: '', description: 'Send the Node Info List as it is' },
		...styles.map((style) => ({
			name: style.modelName || style.id,
			value: style.id,
			description: [style.modelTrigger, style.loras.map((lora) => lora.fileName).join(', ')]
				.filter(Boolean)
				.join(' · '),
		})),
	];
}
