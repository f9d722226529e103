import * as account from './account';
import * as task from './task';
import type { ResourceOperations } from './types';

/** Every resource's operations, by parameter value. Resources register here and in versionDescription.ts. */
export const operationsByResource: Record<string, ResourceOperations> = {
	account: { get: account.get },
	task: {
		getStatus: task.getStatus,
		getOutputs: task.getOutputs,
		cancel: task.cancel,
		getWebhookEvent: task.getWebhookEvent,
		resendWebhookEvent: task.resendWebhookEvent,
	},
};
