/**
 * The import rules of the repository, checked by `npm run lint` (and so by `npm test` and CI):
 * no cycles; the core's layers import only the layers before them; the core never sees Nest; a package reaches
 * another only through its name and what it declares; nothing but tests reaches test/.
 */
const { join } = require('node:path');

// The core's layers, lowest first: a file may import its own layer and those before it, never one after.
const CORE_LAYERS = ['errors', 'definition', 'redis', 'store', 'queues', 'events', 'runtime', 'brokers'];
const layer = (name) => `^libs/core/src/${name}/`;

const layerRules = CORE_LAYERS.slice(0, -1).map((name, i) => ({
  name: `core-${name}-below-${CORE_LAYERS.slice(i + 1).join('-')}`,
  comment: `The core's ${name} layer comes before ${CORE_LAYERS.slice(i + 1).join(', ')}: it may not import them.`,
  severity: 'error',
  from: { path: layer(name) },
  to: { path: `^libs/core/src/(${CORE_LAYERS.slice(i + 1).join('|')})/` },
}));

const SPEC = '\\.spec\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and the layers meaningless; move the shared piece down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'core-without-nest',
      comment: '@sagaflow/core is the framework-free engine: Nest belongs to @sagaflow/nestjs.',
      severity: 'error',
      from: { path: '^libs/core/src/', pathNot: SPEC },
      to: { path: ['node_modules/@nestjs/', 'node_modules/nestjs-', '^libs/(?!core/)'] },
    },
    {
      name: 'adapters-over-core-only',
      comment:
        'The broker adapters and the crash kit build on @sagaflow/core alone, so a user can take one without Nest.',
      severity: 'error',
      from: { path: '^libs/(rabbitmq|nats|testing)/src/', pathNot: SPEC },
      to: { path: ['node_modules/@nestjs/', '^libs/(?!core/|$1/)'] },
    },
    {
      name: 'nestjs-over-core-only',
      comment:
        '@sagaflow/nestjs adapts the core to Nest; the stock apps, samples and broker adapters build on it, not in it.',
      severity: 'error',
      from: { path: '^libs/nestjs/src/', pathNot: SPEC },
      to: { path: '^libs/(?!core/|nestjs/)' },
    },
    {
      name: 'cli-standalone',
      comment:
        "The CLI speaks HTTP only and ships without any package of ours; the API's payload types come from the core at compile time.",
      severity: 'error',
      from: { path: '^libs/cli/src/' },
      to: { path: '^(libs/(?!cli/)|apps/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'packages-through-their-entry',
      comment: 'Another package is reached through its name (its index), never a file inside it.',
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/src/', pathNot: SPEC },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'only-tests-import-test',
      comment: 'Test support is for suites and specs; shipped code must not depend on it.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: SPEC },
      to: { path: '^(test|tools|bench)/' },
    },
    {
      name: 'declared-dependencies-only',
      comment:
        "A package imports only what its own package.json declares (dependencies or peerDependencies): an undeclared one works in the monorepo and breaks in a user's install.",
      severity: 'error',
      from: { path: '^(libs|apps)/[^/]+/src/', pathNot: SPEC },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|^examples/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(__dirname, 'tsconfig.json') },
    // Each package's own package.json decides what it may import (declared-dependencies-only).
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
