/** Browser tests: the built platform (API + worker + SPA) in real processes, driven through Debian Chromium. */
module.exports = {
  displayName: 'browser',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // A staff sign-in may wait up to 30 s for a TOTP step its account has not used yet (support/totp.ts).
  testTimeout: 120_000,
  maxWorkers: 1,
};
