// The exact rule set n8n's verification applies (node-cli's strict config: @n8n/community-nodes
// recommended + eslint-plugin-n8n-nodes-base) covers the shipped code: nodes/, credentials/ and
// package.json. Tests, the simulator, scripts and benchmarks run only on developer machines and CI
// (they use http, fs and timers on purpose), so they are type-checked by jest/tsc instead.
import { config } from '@n8n/node-cli/eslint';

export default [
	{
		ignores: [
			'dist/**',
			'test/**',
			'bench/**',
			'scripts/**',
			'examples/**',
			'gulpfile.js',
			'index.js',
			'jest.config.js',
			'coverage/**',
		],
	},
	...config,
];
