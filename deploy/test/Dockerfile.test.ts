// The repo root's Dockerfile builds what compose and Kubernetes run: base images pinned to a Node 20
// minor, every workspace's manifest copied before `npm ci` (or npm refuses the lockfile), install
// scripts off, the compiled entry points that the deployments name, a non-root user, a /healthz check.
import { LarderNodeFlags } from '@larder/testing';
import { Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCompose } from './Support/ComposeFile.js';
import { foldersIn, readRepoFile, repoPathExists } from './Support/RepoFiles.js';
import { apiServes } from './Support/ServedPaths.js';

interface Instruction {
  readonly stage: number;
  readonly op: string;
  readonly args: string;
}

/** Instructions in order, continuation lines joined, comments dropped; `stage` counts FROMs from 0. */
const parseDockerfile = (text: string): ReadonlyArray<Instruction> => {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let stage = -1;
  return logical.map((line) => {
    const [op = '', ...rest] = line.split(/\s+/);
    if (op.toUpperCase() === 'FROM') stage += 1;
    return { stage, op: op.toUpperCase(), args: rest.join(' ') };
  });
};

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const inStage = (stage: number, op: string) => dockerfile.filter((i) => i.stage === stage && i.op === op);
const stages = dockerfile.filter((i) => i.op === 'FROM');

const RootManifest = Schema.parseJson(Schema.Struct({ workspaces: Schema.Array(Schema.String) }));

/** Workspace folders that exist, from the root package.json's globs (`apps/*`, `deploy`). */
const workspaces = (): ReadonlyArray<string> => {
  const { workspaces: globs } = Schema.decodeUnknownSync(RootManifest)(readRepoFile('package.json'));
  return globs
    .flatMap((glob) => (glob.endsWith('/*') ? foldersIn(glob.slice(0, -2)) : [glob]))
    .filter((folder) => repoPathExists(`${folder}/package.json`))
    .sort();
};

describe('Dockerfile', () => {
  it('builds in two stages from node 20 slim images pinned to a minor', () => {
    expect(stages.map((s) => s.args)).toEqual(['node:20.20-bookworm-slim AS build', 'node:20.20-bookworm-slim AS runtime']);
  });

  it.each([0, 1])('copies every workspace manifest before npm ci in stage %i (npm ci needs them all)', (stage) => {
    const copied = inStage(stage, 'COPY').map((c) => c.args.split(' ')[0]);
    const expected = workspaces().map((w) => `${w}/package.json`);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    expect(copied).toEqual(expect.arrayContaining(['package.json', ...expected]));
    const ci = dockerfile.findIndex((i) => i.stage === stage && i.op === 'RUN' && i.args.startsWith('npm ci'));
    const lastManifest = dockerfile.findLastIndex((i) => i.stage === stage && i.op === 'COPY' && (i.args.split(' ')[0] ?? '').endsWith('package.json'));
    expect(ci).toBeGreaterThan(lastManifest);
  });

  it('installs from the lockfile with install scripts off, production dependencies only in the runtime stage', () => {
    const runs = dockerfile.filter((i) => i.op === 'RUN' && i.args.includes('npm ci'));
    expect(runs).toHaveLength(2);
    for (const run of runs) expect(run.args).toContain('--ignore-scripts');
    expect(runs[1]?.args).toContain('--omit=dev');
  });

  it('compiles with tsc and ships the dist folders whose entry points compose and Kubernetes run', () => {
    expect(inStage(0, 'RUN').some((r) => r.args.includes('tsc --build apps/api/tsconfig.lib.json apps/inventory-actors/tsconfig.lib.json'))).toBe(true);
    const shipped = inStage(1, 'COPY').filter((c) => c.args.startsWith('--from=build')).map((c) => c.args.split(' ')[2]);
    expect(shipped).toEqual(['libs/domain/dist', 'libs/messaging/dist', 'libs/persistence/dist', 'apps/api/dist', 'apps/inventory-actors/dist']);
    for (const app of ['apps/api', 'apps/inventory-actors']) {
      const tsconfig: unknown = parse(readRepoFile(`${app}/tsconfig.lib.json`));
      expect(tsconfig).toMatchObject({ compilerOptions: { rootDir: 'src', outDir: 'dist' } });
      expect(repoPathExists(`${app}/src/main.ts`)).toBe(true);
    }
    expect(inStage(1, 'CMD').map((c) => c.args)).toEqual(['["node", "apps/api/dist/main.js"]']);
    const runnerCommands = Object.entries(readCompose().services)
      .filter(([name]) => name.startsWith('runner-'))
      .map(([, s]) => s.command?.join(' '));
    expect(new Set(runnerCommands)).toEqual(new Set(['node apps/inventory-actors/dist/main.js']));
  });

  it('runs as the unprivileged node user, the API on 0.0.0.0:3000, and checks /healthz', () => {
    expect(inStage(1, 'USER').map((u) => u.args)).toEqual(['node']);
    const env = inStage(1, 'ENV').map((e) => e.args).join(' ');
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain('PORT=3000');
    // The same V8 flags `npm start` and the benchmark run the servers with.
    expect(env).toContain(`NODE_OPTIONS=${LarderNodeFlags.join(' ')}`);
    const health = inStage(1, 'HEALTHCHECK').map((h) => h.args).join(' ');
    const path = /\/healthz/.exec(health)?.[0] ?? '';
    expect(apiServes(path)).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps installed and built output and the git directory out of the build context', () => {
    const lines = readRepoFile('.dockerignore').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
