// The invariant audit of one SKU against the real stores a runner wrote: an honest SKU passes; a KV
// view, a Redis mirror hash or a Postgres snapshot overwritten with a wrong value is drift that names
// the SKU and the amount; a KV view put back to an older, honest value is lag, not drift.
import { positionAt, type Command, type Sku } from '@larder/domain';
import { decodeStockView, encodeStockView } from '@larder/messaging';
import { Effect, Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSku } from '../../src/Audit/AuditSku.js';
import { describeAudit, isClean, type SkuAudit } from '../../src/Audit/SkuAudit.js';
import { redisStockKey } from '../../src/Projection/RedisStockWriter.js';
import { mainLocation, reserve, restock, sku } from '../Support/Commands.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';
import { rewriteSnapshotState } from '../Support/SnapshotRows.js';
import { openAuditWorld, waitForProjections, type AuditWorld } from './Fixtures/AuditWorld.js';

let f: RunnerFixture;
let world: AuditWorld;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess({ LARDER_SNAPSHOT_EVERY_MS: '100', LARDER_AUDIT_EVERY_MS: '0' });
  world = await openAuditWorld(f);
});
afterAll(async () => {
  await world?.close();
  await f?.cleanup();
});

/** Sends `command` on the request path and waits until every projection has its journal sequence. */
const applied = async (command: Command): Promise<number> => {
  const outcome = await f.request(command);
  if (Either.isLeft(outcome) || outcome.right._tag !== 'Accepted' || outcome.right.seq === null) {
    throw new Error(`${command._tag} of ${command.sku} was not applied: ${JSON.stringify(outcome)}`);
  }
  await waitForProjections(world.sources, command.sku, outcome.right.seq);
  return outcome.right.seq;
};

/** Restocks 10 and holds 2 of `s`; the journal sequence of the hold. */
const tenWithTwoHeld = async (s: Sku) => {
  await applied(restock(s, 10));
  return { last: await applied(reserve(s, `${s}-hold`, 2)) };
};

const audit = (s: Sku): Promise<SkuAudit> => Effect.runPromise(auditSku(world.sources, s));
const checkOf = (a: SkuAudit, store: string) => a.checks.find((c) => c.store === store);

describe('given a SKU whose projections the runner wrote', () => {
  it('passes: every store equals the journal at the sequence it claims', async () => {
    const s = sku('AUDIT-HONEST-1');
    const { last } = await tenWithTwoHeld(s);
    const result = await audit(s);
    expect(result.journalSeq).toBe(last);
    expect(result.checks.map((c) => [c.store, c.outcome, c.seq])).toEqual([['kv', 'ok', last], ['redis', 'ok', last], ['snapshot', 'ok', last]]);
    expect(isClean(result)).toBe(true);
  });
});

describe('given a projection overwritten behind the runner\'s back', () => {
  it('finds a wrong KV view, naming the SKU and how far off it is', async () => {
    const s = sku('AUDIT-KV-1');
    const { last } = await tenWithTwoHeld(s);
    const entry = await world.kv.get(f.names.keys.stock(s));
    if (entry === null) throw new Error('no KV entry');
    const view = Either.getOrThrow(decodeStockView(entry.value));
    expect(view.available).toBe(8);
    await world.kv.put(f.names.keys.stock(s), encodeStockView({ ...view, available: 48 }));
    const result = await audit(s);
    expect(checkOf(result, 'kv')).toEqual({ store: 'kv', outcome: 'drift', seq: last, differences: [{ field: 'available', expected: '8', found: '48' }] });
    expect(checkOf(result, 'redis')?.outcome).toBe('ok');
    expect(describeAudit(result)).toEqual([`invariant drift: sku=${s} store=kv expected available=8 found=48 (seq ${last}, journal at ${last})`]);
  });

  it('finds a wrong Redis mirror hash', async () => {
    const s = sku('AUDIT-REDIS-1');
    const { last } = await tenWithTwoHeld(s);
    await world.redis.hset(redisStockKey(world.redisPrefix, s), 'available', '99', 'reserved', '0');
    const result = await audit(s);
    expect(checkOf(result, 'redis')).toMatchObject({
      outcome: 'drift',
      seq: last,
      differences: [
        { field: 'hash.available', expected: '8', found: '99' },
        { field: 'hash.reserved', expected: '2', found: '0' },
      ],
    });
    expect(describeAudit(result)[0]).toBe(
      `invariant drift: sku=${s} store=redis expected hash.available=8 found=99 (seq ${last}, journal at ${last}); also hash.reserved 2→0`,
    );
  });

  it('finds a wrong Postgres snapshot', async () => {
    const s = sku('AUDIT-SNAP-1');
    await tenWithTwoHeld(s);
    await rewriteSnapshotState(f, s, (state) => ({
      ...state,
      positions: { ...state.positions, [mainLocation]: { ...positionAt(state, mainLocation), onHand: 15 } },
    }));
    const result = await audit(s);
    expect(checkOf(result, 'snapshot')).toMatchObject({ outcome: 'drift', differences: [{ field: `positions.${mainLocation}.onHand`, expected: '10', found: '15' }] });
  });

  it('takes an older but honest KV view for lag, not drift', async () => {
    const s = sku('AUDIT-BEHIND-1');
    const first = await applied(restock(s, 10));
    const old = await world.kv.get(f.names.keys.stock(s));
    if (old === null) throw new Error('no KV entry');
    const last = await applied(reserve(s, `${s}-hold`, 2));
    await world.kv.put(f.names.keys.stock(s), old.value);
    const result = await audit(s);
    expect(checkOf(result, 'kv')).toEqual({ store: 'kv', outcome: 'ok', seq: first, differences: [] });
    expect(result.journalSeq).toBe(last);
    expect(isClean(result)).toBe(true);
  });
});
