/** Jest runs TypeScript through SWC (type checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  // The abuse suite (test/abuse) times a real node's blocks, so it runs alone, after the rest:
  // `npm run test:abuse` (CI runs it after `npm test`).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...(process.env.SEKAI_ABUSE === '1' ? [] : ['/test/abuse/'])],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // @cosmjs depends on ESM-only @noble/* and @scure/*, the keyring on ESM-only jose; transform them to CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!.*/node_modules/(@noble|@scure|jose)/|(@noble|@scure|jose)/)'],
  reporters: ['default', '<rootDir>/test/summaryReporter.js'],
  testTimeout: 60000,
  // Two workers on the 2-core CI machine: many suites wait on child processes and sockets.
  maxWorkers: 2,
  // A leaked socket or timer in a client library must not keep CI waiting after the last test.
  forceExit: true,
};
