/** Unit and simulator-backed tests. End-to-end tests in a real n8n run separately (npm run test:e2e). */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	// Only a guard against a hanging test, never what decides an outcome: on a busy machine a large
	// upload test can take far longer than usual and must still pass.
	testTimeout: 120000,
};
