/** One run for every suite: unit specs beside the code, Lua/store specs and e2e specs against a real Redis. */
const aliases = {
  '^@sagaflow/(core|nestjs|rabbitmq|nats|testing|cli|server|samples)$': '<rootDir>/libs/$1/src',
  '^@sagaflow/samples/(.*)$': '<rootDir>/libs/samples/src/$1',
};

const project = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: aliases,
};

/**
 * The saga suites run a second time against a Redis Cluster of three masters that the project starts, their
 * sagas spread over three shards (see test/cluster/use-cluster.ts): the engine in process, and the API and
 * workers as processes, a worker kill included.
 */
const CLUSTER_SUITES = [
  '<rootDir>/test/cluster/**/*.e2e-spec.ts',
  '<rootDir>/test/engine/**/*.e2e-spec.ts',
  '<rootDir>/test/processes/many-workers.e2e-spec.ts',
  '<rootDir>/test/faults/failing-steps.e2e-spec.ts',
  '<rootDir>/test/checkout/checkout.e2e-spec.ts',
  '<rootDir>/test/events/events.e2e-spec.ts',
  '<rootDir>/test/trip/trip.e2e-spec.ts',
  '<rootDir>/test/brokers/processes.e2e-spec.ts',
];

module.exports = {
  projects: [
    {
      ...project,
      displayName: 'redis',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/cluster/', '<rootDir>/examples/'],
    },
    {
      ...project,
      displayName: 'cluster',
      testMatch: CLUSTER_SUITES,
      globalSetup: '<rootDir>/test/cluster/start-cluster.ts',
      globalTeardown: '<rootDir>/test/cluster/stop-cluster.ts',
      setupFiles: ['<rootDir>/test/cluster/use-cluster.ts'],
    },
  ],
  testTimeout: 60_000,
  // e2e suites start their own API and worker processes; two at a time fit a 2-core machine.
  maxWorkers: 2,
  // A leaked socket must not hold CI for its whole time budget; leaks are found with --detectOpenHandles.
  forceExit: true,
};
