/** One jest run for all three tiers: unit specs beside the code, repository specs, and e2e/. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // ESM-only packages (docs/module-system.md): jest's module system cannot require() them.
    '^.+\\.m?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(openid-client|oauth4webapi|jose|@apidevtools/json-schema-ref-parser)/)',
  ],
  moduleNameMapper: {
    '^@tessera/(core|persistence|embedded-mongo|sdk)$': '<rootDir>/libs/$1/src',
    '^@tessera/(core|persistence|embedded-mongo|sdk)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testMatch: [
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/e2e/**/*.e2e-spec.ts',
  ],
  globalSetup: '<rootDir>/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
