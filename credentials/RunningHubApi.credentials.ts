import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Where RunningHub expects the key depends on the API generation (see the transport):
 * - v2 (`/openapi/v2/...`): `Authorization: Bearer <key>` only.
 * - v1 JSON calls: `apiKey` in the JSON body (the body key is what authenticates; the Bearer header
 *   newer docs list is added too). Account status spells it `apikey`.
 * - v1 GET calls (`/api/webapp/apiCallDemo`): `apiKey` in the query string.
 * - v1 multipart upload: an `apiKey` form field.
 */
export class RunningHubApi implements ICredentialType {
	name = 'runningHubApi';

	displayName = 'RunningHub API';

	icon: Icon = { light: 'file:../icons/runninghub.svg', dark: 'file:../icons/runninghub.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-runninghub/n8n-nodes-runninghub#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The 32-character key from the API Console of your RunningHub account. Keys work only ' +
				'on the site they were created on.',
		},
		{
			displayName: 'Site',
			name: 'site',
			type: 'options',
			options: [
				{ name: 'RunningHub Global (www.runninghub.ai)', value: 'https://www.runninghub.ai' },
				{ name: 'RunningHub China (www.runninghub.cn)', value: 'https://www.runninghub.cn' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
			default: 'https://www.runninghub.ai',
			description: 'The RunningHub site your account and key belong to',
		},
		{
			displayName: 'Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://my-proxy.example.com',
			description: 'Base URL of a proxy or test server that speaks the RunningHub API',
			displayOptions: { show: { site: ['custom'] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = String(credentials.apiKey ?? '').trim();
		const path = requestPath(requestOptions.url);
		const headers: IDataObject = {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${apiKey}`,
		};
		const authenticated: IHttpRequestOptions = { ...requestOptions, headers };

		if (path.startsWith('/openapi/v2/')) return authenticated;

		const body = requestOptions.body as unknown;
		if (isFormData(body)) {
			body.append('apiKey', apiKey);
		} else if ((requestOptions.method ?? 'GET') === 'GET') {
			authenticated.qs = { ...(requestOptions.qs ?? {}), apiKey };
		} else {
			const keyField = path === '/uc/openapi/accountStatus' ? 'apikey' : 'apiKey';
			authenticated.body = { ...((body as IDataObject) ?? {}), [keyField]: apiKey };
		}
		return authenticated;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.site === "custom" ? $credentials.customBaseUrl.replace(/\\/+$/, "") : ' +
				'$credentials.site}}',
			url: '/uc/openapi/accountStatus',
			method: 'POST',
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 802,
					message:
						'The API key was not accepted by RunningHub (802 APIKEY_UNAUTHORIZED). Check the ' +
						'key and the site: keys from runninghub.cn do not work on runninghub.ai and vice ' +
						'versa.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 801,
					message:
						'RunningHub does not allow API access for free accounts (801). Upgrade the account, ' +
						'then try again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 1601,
					message: 'No API key was sent. Enter the API key.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 301,
					message: 'RunningHub rejected the request (301). Enter the API key.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 806,
					message: 'The user behind this API key no longer exists (806).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 811,
					message: 'The enterprise API key is not valid (811).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 412,
					message:
						'The API key was not accepted (412 TOKEN_INVALID). Check the key and the base URL.',
				},
			},
		],
	};
}

function requestPath(url: string): string {
	const withoutOrigin = url.replace(/^[a-z]+:\/\/[^/]+/i, '');
	return withoutOrigin.split('?')[0];
}

interface FormDataLike {
	append(name: string, value: string): void;
}

function isFormData(body: unknown): body is FormDataLike {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as FormDataLike).append === 'function' &&
		(body.constructor?.name === 'FormData' || Symbol.toStringTag in body)
	);
}
