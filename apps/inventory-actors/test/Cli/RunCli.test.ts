// The CLI's contract with the shell, without services: usage mistakes exit 2 with the usage text, help
// exits 0, and an unreachable NATS or a bad setting is one line on stderr with exit code 1.
import { freePort } from '@larder/testing';
import { ConfigProvider, Effect, TestClock, TestContext } from 'effect';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/Cli/RunCli.js';

const run = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.runPromise(runCli(argv).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))));

describe('usage', () => {
  it('prints every command on help, exit 0', async () => {
    const result = await run(['help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['runners', 'shards', 'drain <runnerId>', 'move <shard> <runnerId>', 'dlq list|replay', 'rebuild-projections', 'check-invariants', 'ledger purge [--before YYYY-MM-DD]']) {
      expect(result.stdout).toContain(`larder ${command}`);
    }
  });

  it.each([
    { argv: [], says: /no command given/ },
    { argv: ['frobnicate'], says: /unknown command "frobnicate"/ },
    { argv: ['move', '3'], says: /wrong number of arguments; usage: larder move <shard> <runnerId>/ },
    { argv: ['runners', '--sku', 'X'], says: /runners takes no --sku/ },
    { argv: ['dlq', 'list', '--limit', 'many'], says: /--limit takes a whole number above 0, not "many"/ },
    { argv: ['shards', '--verbose'], says: /Unknown option '--verbose'/ },
    { argv: ['ledger', 'purge'], says: /ledger purge needs --before YYYY-MM-DD/ },
    { argv: ['ledger', 'purge', '--before', '2020-02-30'], says: /--before takes a day YYYY-MM-DD, not "2020-02-30"/ },
    { argv: ['ledger', 'drop', '--before', '2020-01-01'], says: /ledger takes "purge", not "drop"/ },
    { argv: ['runners', '--before', '2020-01-01'], says: /runners takes no --before/ },
  ])('$argv: exit 2 and why on stderr', async ({ argv, says }) => {
    const result = await run(argv);
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toMatch(says);
  });
});

describe('failures', () => {
  it('NATS unreachable: one line naming NATS_URL, exit 1', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const result = await run(['runners'], { NATS_URL: url });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^larder: NATS at ${url} \\(NATS_URL\\) refused or could not be reached.*\\n$`));
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('a bad setting: one line naming the variable, exit 1', async () => {
    const result = await run(['shards'], { LARDER_SHARDS: 'lots' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^larder: configuration: .*LARDER_SHARDS/);
  });

  it('a shard outside the deployment: exit 2 before connecting anywhere', async () => {
    const result = await run(['move', '40', 'runner-a'], { NATS_URL: 'nats://127.0.0.1:1', LARDER_SHARDS: '32' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^larder: "40" is not a shard: this deployment has shards 0 to 31 \(LARDER_SHARDS=32\)/);
  });
});

describe('larder ledger purge, refused by retention before any connection', () => {
  it.each([
    { before: '2025-01-01', says: /deleting before 2025-01-01 would delete records still kept\. The latest --before allowed today \(2026-12-31\) is 2024-01-01; nothing was deleted/ },
    { before: '2024-01-02', says: /deleting before 2024-01-02 would delete records still kept/ },
  ])('on 2026-12-31, --before $before: exit 1, one line saying the latest day allowed', async ({ before, says }) => {
    const now = Date.parse('2026-12-31T23:59:59.999Z');
    // No Postgres at this URL: a refusal must not need one.
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        yield* TestClock.setTime(now);
        return yield* runCli(['ledger', 'purge', '--before', before]);
      }).pipe(
        Effect.provide(TestContext.TestContext),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([['DATABASE_URL', 'postgres://nobody@127.0.0.1:1/none']]))),
      ),
    );
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toMatch(says);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});
