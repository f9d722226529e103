import type { IWebhookDescription } from 'n8n-workflow';

/**
 * The restart webhook behind Wait Mode "Wait for Callback": `$execution.resumeUrl` reaches it
 * (path '' = no suffix). Restart webhooks are never registered as live or test webhooks, which is
 * why the node has no webhookMethods (docs/ARCHITECTURE.md).
 */
export const callbackWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];
