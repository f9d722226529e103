import type { IWebhookDescription } from 'n8n-workflow';

/**
 * The restart webhook behind Wait Mode "Wait for Callback": `$execution.resumeUrl` with this node's
 * ID as the path suffix reaches it. n8n resumes an execution at the node it waits at only when the
 * suffix matches that node's path, so a late callback cannot resume another node the execution has
 * moved on to (an n8n Wait node, say). A node without an ID (a sub-workflow passed as JSON) gets
 * no suffix, as helpers/callback.ts's callbackUrl does then. Restart webhooks are never registered
 * as live or test webhooks, which is why the node has no webhookMethods (docs/ARCHITECTURE.md).
 */
export const callbackWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '={{ $nodeId || "" }}',
		restartWebhook: true,
		isFullPath: true,
	},
];
