import * as account from './account';
import * as aiApp from './aiApp';
import * as file from './file';
import * as model from './model';
import * as quickCreate from './quickCreate';
import * as task from './task';
import * as workflow from './workflow';
import type { ResourceOperations } from './types';

/**
 * Every resource's operations, by parameter value; their parameters are listed in properties.ts.
 */
export const operationsByResource: Record<string, ResourceOperations> = {
	account: { get: account.get },
	aiApp: { run: aiApp.run },
	workflow: { run: workflow.run, getJson: workflow.getJson },
	file: { upload: file.upload, uploadLora: file.uploadLora },
	model: { generate: model.generate, pricePreview: model.pricePreview },
	quickCreate: { run: quickCreate.run, getStyles: quickCreate.getStyles },
	task: {
		getStatus: task.getStatus,
		getOutputs: task.getOutputs,
		cancel: task.cancel,
		getWebhookEvent: task.getWebhookEvent,
		resendWebhookEvent: task.resendWebhookEvent,
	},
};
