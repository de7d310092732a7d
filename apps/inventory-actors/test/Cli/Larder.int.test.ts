// The `larder` CLI as an operator runs it (a child process with the deployment's environment) against two
// real runner processes: runners and shard owners, a move and a drain seen through the leases, the
// invariant check on an honest system, on a corrupted KV view, and after rebuild-projections repaired it,
// and a poison command listed from the DLQ.
import type { Sku } from '@larder/domain';
import { decodeStockView, encodeStockView } from '@larder/messaging';
import { Kvm, type KV } from '@nats-io/kv';
import { nuid } from '@nats-io/transport-node';
import { Either, Schema } from 'effect';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve, restock, sku } from '../Support/Commands.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';
import { jsonOf, runLarder } from './Fixtures/RunLarder.js';
import { viewsCaughtUp } from './Fixtures/ViewsCaughtUp.js';

const RunnersJson = Schema.Struct({
  runners: Schema.Array(Schema.Struct({ runner: Schema.String, draining: Schema.Boolean, shards: Schema.Array(Schema.Number) })),
});
const ShardsJson = Schema.Struct({
  shards: Schema.Array(
    Schema.Struct({ shard: Schema.Number, owner: Schema.NullOr(Schema.String), epoch: Schema.NullOr(Schema.Number), lag: Schema.NullOr(Schema.Number) }),
  ),
  unowned: Schema.Array(Schema.Number),
});
const Outcome = Schema.Struct({ _tag: Schema.String });
const RebuildJson = Schema.Struct({
  kv: Schema.Struct({ repaired: Schema.Number, caughtUp: Schema.Number, unchanged: Schema.Number }),
  redis: Schema.Struct({ repaired: Schema.Number, caughtUp: Schema.Number, unchanged: Schema.Number }),
  results: Schema.Array(Schema.Struct({ sku: Schema.String, kv: Schema.NullOr(Outcome), redis: Schema.NullOr(Outcome) })),
});
const DlqJson = Schema.Struct({ letters: Schema.Array(Schema.Struct({ seq: Schema.Number, subject: Schema.optional(Schema.String), reason: Schema.optional(Schema.String) })) });

let f: RunnerFixture;
let kv: KV;
let redis: Redis;
const larder = (...args: ReadonlyArray<string>) => runLarder(f.env, args);
const setting = (name: string) => f.env[name] ?? '';
const skus: ReadonlyArray<Sku> = Array.from({ length: 6 }, (_, i) => sku(`CLI-JERKY-${i}`));

const runners = async () => Schema.decodeUnknownSync(RunnersJson)(jsonOf(await larder('runners', '--json'))).runners;
const shards = async () => Schema.decodeUnknownSync(ShardsJson)(jsonOf(await larder('shards', '--json')));
/** Every CLI run is a fresh node process: on a busy 2-core machine a test of several needs room. */
const Slow = 90_000;
/** The two runners' ids, as the first test listed them (they never change). */
let ids: ReadonlyArray<string> = [];

beforeAll(async () => {
  f = await makeRunnerFixture();
  // One after the other: two runners creating a fresh namespace's streams and tables at once race.
  await f.startChild();
  await f.startChild();
  kv = await new Kvm(f.nc).open(f.names.buckets.stock);
  redis = new Redis(setting('REDIS_URL'));
  // Stock on every shard, through the request path the API uses.
  for (const s of skus) {
    expect(Either.isRight(await f.request(restock(s, 10), 10_000))).toBe(true);
    expect(Either.isRight(await f.request(reserve(s, `cli-hold-${nuid.next()}`, 3), 10_000))).toBe(true);
  }
}, 180_000);
afterAll(async () => {
  await redis?.quit();
  await f?.cleanup();
});

describe('larder runners and shards', () => {
  it('lists both runners, whose shards are disjoint and cover every shard', async () => {
    const run = await larder('runners');
    expect(run.code).toBe(0);
    const listed = await runners();
    expect(listed).toHaveLength(2);
    ids = listed.map((r) => r.runner);
    for (const r of listed) expect(run.stdout).toContain(r.runner);
    expect(run.stdout).toContain('4 of 4 shards owned');
    const all = listed.flatMap((r) => r.shards);
    expect([...all].sort((a, b) => a - b)).toEqual(f.names.allShards);
    expect(listed.every((r) => !r.draining && r.shards.length === 2)).toBe(true);
  }, Slow);

  it('shows an owner, an epoch and a lag for every shard', async () => {
    const table = await shards();
    expect(table.unowned).toEqual([]);
    const live = new Set(ids);
    expect(table.shards.map((s) => s.shard)).toEqual(f.names.allShards);
    for (const s of table.shards) {
      expect(live.has(s.owner ?? '')).toBe(true);
      expect(s.epoch).toBeGreaterThan(0);
      expect(s.lag).toBe(0);
    }
  }, Slow);
});

describe('larder check-invariants and rebuild-projections', () => {
  const target = skus[1] ?? sku('CLI-JERKY-1');

  it('exits 0 on an honest system', async () => {
    await viewsCaughtUp(f, kv, redis, setting('LARDER_REDIS_PREFIX'), skus);
    const run = await larder('check-invariants');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`checked ${skus.length} SKU(s): 0 with drift, 0 oversold`);
    expect(run.code).toBe(0);
  }, Slow);

  it('exits 1 naming the SKU whose KV view was corrupted; rebuild-projections repairs it', async () => {
    const entry = await kv.get(f.names.keys.stock(target));
    const view = Either.getOrThrow(decodeStockView(entry?.value ?? new Uint8Array()));
    // Same sequence, wrong numbers: only a comparison with the journal can tell.
    await kv.put(f.names.keys.stock(target), encodeStockView({ ...view, onHand: view.onHand + 5, available: view.available + 5 }));

    const drifted = await larder('check-invariants');
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(new RegExp(`invariant drift: sku=${target} store=kv expected available=${view.available} found=${view.available + 5}`));
    expect(drifted.stdout).toContain('1 with drift');

    const rebuilt = await larder('rebuild-projections', '--json');
    expect(rebuilt.code).toBe(0);
    const report = Schema.decodeUnknownSync(RebuildJson)(jsonOf(rebuilt));
    expect(report.kv).toEqual({ repaired: 1, caughtUp: 0, unchanged: skus.length - 1 });
    expect(report.redis.repaired).toBe(0);
    expect(report.results.find((r) => r.sku === target)?.kv?._tag).toBe('Repaired');

    const healed = await larder('check-invariants', '--sku', target);
    expect(healed.stdout).toContain('checked 1 SKU(s): 0 with drift');
    expect(healed.code).toBe(0);
    const stored = await kv.get(f.names.keys.stock(target));
    expect(Either.getOrThrow(decodeStockView(stored?.value ?? new Uint8Array()))).toEqual(view);
  }, Slow);
});

describe('larder dlq', () => {
  it('lists a poison command published to INV_CMD with its reason', async () => {
    const s = skus[2] ?? sku('CLI-JERKY-2');
    await f.js.publish(f.names.commands.subject(s), new TextEncoder().encode('restock 5 units, please'), { msgID: `poison-${nuid.next()}` });
    await expect.poll(async () => (await f.jsm.streams.info(f.names.deadLetters.stream)).state.messages, { timeout: 15_000 }).toBe(1);
    const run = await larder('dlq', 'list', '--json');
    expect(run.code).toBe(0);
    const { letters } = Schema.decodeUnknownSync(DlqJson)(jsonOf(run));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.subject).toBe(f.names.commands.subject(s));
    expect(letters[0]?.reason).toMatch(/CommandMessage: not UTF-8 JSON/);
  }, Slow);
});

describe('larder move and drain', () => {
  it('moves a shard to the other runner; shards then shows it as the owner', async () => {
    const before = await shards();
    const moved = before.shards[0];
    const from = moved?.owner ?? '';
    const to = ids.find((r) => r !== from) ?? '';
    const run = await larder('move', String(moved?.shard), to);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`shard ${moved?.shard} moved from ${from} to ${to}`);
    expect(run.code).toBe(0);
    const after = await shards();
    expect(after.shards.find((s) => s.shard === moved?.shard)?.owner).toBe(to);
    // The target is now above its share and hands another shard back to the source a few rounds later:
    // for that moment the shard has no owner. It must have one again soon after.
    await expect.poll(async () => (await shards()).unowned, { timeout: 20_000 }).toEqual([]);
  }, Slow);

  it('drains a runner: it keeps no shard, the other runner owns them all', async () => {
    const [drained, other] = ids;
    const run = await larder('drain', drained ?? '');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const listed = await runners();
    expect(listed.find((r) => r.runner === drained)).toMatchObject({ draining: true, shards: [] });
    expect(listed.find((r) => r.runner === other)?.shards).toEqual(f.names.allShards);
  }, Slow);

  it('refuses an unknown runner with one line on stderr and exit code 1', async () => {
    const run = await larder('drain', 'runner-that-never-was');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^larder: no live runner "runner-that-never-was" \(live: runner-/)]);
  });
});
