// Lint for the whole workspace. Module boundaries are enforced on two tag dimensions:
// `type:*` (what a project is allowed to be built from) and `scope:*` (which part of Larder owns it).
import nx from '@nx/eslint-plugin';

// Anything that does I/O. Nx checks packages it knows from the lockfile; `no-restricted-imports`
// below also catches Node built-ins and packages not installed yet.
const io = ['@nats-io/*', 'ioredis', '@mikro-orm/*', 'pg', 'knex', 'pino', 'fastify', 'node:fs', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http', 'child_process'];

const boundaries = (testing) => ['error', {
  enforceBuildableLibDependency: true,
  allow: [],
  depConstraints: [
    // type: what a project may be built from (tests may also use the harness, type:testing)
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: io },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', ...testing] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:testing'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', ...testing] },
    { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:testing'] },
    // scope: who owns it; shared libs never reach into an app's scope
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'] },
    { sourceTag: 'scope:actors', onlyDependOnLibsWithTags: ['scope:shared', 'scope:actors'] },
  ],
}];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/*.timestamp-*', '**/node_modules', 'bench/results'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@nx/enforce-module-boundaries': boundaries([]),
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing']) },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: [...io, 'node:*', 'os', 'dgram', 'dns', 'tls', 'https', 'http2', 'worker_threads', 'cluster', 'redis', 'nats', 'mikro-orm'],
          message: 'libs/domain is the pure decider (STYLE.md habit 1): no I/O. Move this to libs/messaging or an app.',
        }],
      }],
    },
  },
];
