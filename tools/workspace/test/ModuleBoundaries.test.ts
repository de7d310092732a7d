// Proves the lint wall around the pure domain: the workspace's own ESLint config refuses any I/O
// import in libs/domain, and accepts the same import where it belongs (libs/messaging).
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const boundaryErrors = async (eslint: ESLint, filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  const rules = ['@nx/enforce-module-boundaries', 'no-restricted-imports'];
  return (result?.messages ?? []).filter((m) => rules.includes(m.ruleId ?? '')).map((m) => m.message);
};

describe('libs/domain may not do I/O', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it.each([
    ["import { connect } from '@nats-io/transport-node';", '@nats-io/transport-node'],
    ["import type { KV } from '@nats-io/kv';", '@nats-io/kv'],
    ["export * from '@nats-io/jetstream';", '@nats-io/jetstream'],
    ["import { Redis } from 'ioredis';", 'ioredis'],
    ["import { MikroORM } from '@mikro-orm/core';", '@mikro-orm/core'],
    ["import pino from 'pino';", 'pino'],
    ["import { readFile } from 'node:fs';", 'node:fs'],
    ["export const load = () => import('@nats-io/jetstream');", '@nats-io/jetstream'],
  ])('refuses %s', async (code, module) => {
    const errors = await boundaryErrors(eslint, `${root}libs/domain/src/Probe.ts`, `${code}\n`);
    expect(errors.join('\n')).toMatch(new RegExp(`not allowed to import "${module}"|'${module}' import is restricted`));
  });

  it('accepts the same import in libs/messaging', async () => {
    const errors = await boundaryErrors(eslint, `${root}libs/messaging/src/Probe.ts`, "import { connect } from '@nats-io/transport-node';\nexport { connect };\n");
    expect(errors).toEqual([]);
  });

  it('refuses a shared lib importing an app', async () => {
    const errors = await boundaryErrors(eslint, `${root}libs/domain/src/Probe.ts`, "export * from '@larder/messaging';\n");
    expect(errors.length).toBeGreaterThan(0);
  });
});
