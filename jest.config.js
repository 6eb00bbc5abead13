/** One run for every suite: unit specs beside the code, Lua/store specs and e2e specs against a real Redis. */
const aliases = {
  '^@sagaflow/core$': '<rootDir>/libs/saga/src/core',
  '^@sagaflow/nest$': '<rootDir>/libs/saga/src/nest',
  '^@sagaflow/checkout-saga$': '<rootDir>/libs/checkout-saga/src',
  '^@sagaflow/transfer-saga$': '<rootDir>/libs/transfer-saga/src',
  '^@sagaflow/loyalty-saga$': '<rootDir>/libs/loyalty-saga/src',
  '^@sagaflow/trip-saga$': '<rootDir>/libs/trip-saga/src',
  '^@sagaflow/testing$': '<rootDir>/libs/testing/src',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: aliases,
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
  // e2e suites start their own API and worker processes; two at a time fit a 2-core machine.
  maxWorkers: 2,
  // A leaked socket must not hold CI for its whole time budget; leaks are found with --detectOpenHandles.
  forceExit: true,
};
