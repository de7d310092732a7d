// The ledger store on a real Postgres, in a schema of this file's own: an append is idempotent by (seq, idx),
// rows come back exactly as written, and pages of one SKU run newest first without gaps or repeats.
import { dropPostgresSchema, makeTestNamespace, requirePostgres, type ServiceEndpoint } from '@larder/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Either, Schema } from 'effect';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLedgerStore, makeOrmConfig, migrate, type LedgerPosition, type LedgerRow, type LedgerStoreShape } from '../../src/index.js';

const ns = makeTestNamespace();
let endpoint: ServiceEndpoint;
let orm: MikroORM;
let store: LedgerStoreShape;

beforeAll(async () => {
  endpoint = await requirePostgres();
  orm = await MikroORM.init(makeOrmConfig({ url: endpoint.url, schema: ns.postgresSchema }));
  await migrate(orm);
  store = makeLedgerStore(orm);
  return async () => {
    await orm.close(true);
    await dropPostgresSchema(endpoint.url, ns.postgresSchema);
    await endpoint.stop();
  };
});

const t0 = Date.UTC(2025, 0, 6, 9, 0, 0, 123);
const row = (sku: string, seq: number, idx: number, overrides: Partial<LedgerRow> = {}): LedgerRow => ({
  seq,
  idx,
  sku,
  location: 'main',
  eventType: 'StockReserved',
  commandId: `cmd-${seq}-${idx}`,
  actor: 'apikey:storefront',
  reason: 'checkout',
  reference: null,
  at: t0 + (seq % 100_000) * 1000 + idx,
  before: { onHand: 10, reserved: idx, safetyStock: 0 },
  after: { onHand: 10, reserved: idx + 1, safetyStock: 0 },
  quantity: 1,
  details: { reservationId: `r-${seq}-${idx}`, expiresAt: t0 + 900_000 },
  ...overrides,
});

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const CountRows = Schema.Array(Schema.Struct({ n: Schema.NumberFromString }));
const countOf = async (sku: string) => {
  const rows = await orm.em.getConnection().execute('select count(*)::text as n from ledger_entry where sku = ?', [sku]);
  return Schema.decodeUnknownSync(CountRows)(rows)[0]?.n;
};

describe('an append', () => {
  it('inserts every row of a batch once: a second append of the same batch inserts none', async () => {
    const batch = [row('APPEND-1', 5, 0), row('APPEND-1', 5, 1), row('APPEND-1', 5, 2)];
    expect(await run(store.append(batch))).toBe(3);
    expect(await run(store.append(batch))).toBe(0);
    expect(await countOf('APPEND-1')).toBe(3);
  });

  it('keeps the row first written when a redelivery carries other values for the same (seq, idx)', async () => {
    await run(store.append([row('APPEND-2', 6, 0)]));
    expect(await run(store.append([row('APPEND-2', 6, 0, { actor: 'user:someone-else' })]))).toBe(0);
    const page = await run(store.page({ sku: 'APPEND-2', limit: 10 }));
    expect(page.entries.map((e) => e.actor)).toEqual(['apikey:storefront']);
  });

  it('of no rows is a no-op', async () => {
    expect(await run(store.append([]))).toBe(0);
  });
});

describe('a stored row', () => {
  it('comes back exactly: bigint seq past 2^32, millisecond time, null and set references, jsonb levels and details', async () => {
    const written = [
      row('EXACT-1', 2 ** 40 + 1, 0, { reference: 'PO-77', eventType: 'StockRestocked', reason: 'restock', quantity: 25, details: {} }),
      row('EXACT-1', 2 ** 40 + 1, 1, { eventType: 'StockAdjusted', reason: 'damaged', quantity: -3, reference: 'count-1' }),
      row('EXACT-1', 2 ** 40 + 2, 0, { eventType: 'StockPolicySet', reason: 'policy', quantity: null, details: { safetyStock: 2, lowStockThreshold: null } }),
    ];
    await run(store.append(written));
    const page = await run(store.page({ sku: 'EXACT-1', limit: 10 }));
    expect(page.entries).toEqual([...written].reverse());
    expect(page.next).toBeNull();
  });
});

describe('pages of one SKU', () => {
  const sku = 'PAGED-1';
  // 7 batches of 1–3 events (sequences of 1 to 4 digits, so a text sort would show), interleaved with
  // another SKU's rows that must never show up.
  const rows = [3, 9, 11, 42, 100, 250, 1000].flatMap((seq) =>
    Array.from({ length: (seq % 3) + 1 }, (_, idx) => row(sku, seq, idx)).concat([row('OTHER-1', seq + 1, 0)]),
  );

  it('walk the whole ledger newest first, each entry once, ending with a null cursor', async () => {
    await run(store.append(rows));
    const seen: Array<LedgerPosition> = [];
    let before: LedgerPosition | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await run(store.page(before === undefined ? { sku, limit: 4 } : { sku, limit: 4, before }));
      expect(page.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.entries.map((e) => ({ seq: e.seq, idx: e.idx })));
      if (page.next === null) break;
      before = page.next;
    }
    const expected = rows
      .filter((r) => r.sku === sku)
      .map((r) => ({ seq: r.seq, idx: r.idx }))
      .sort((a, b) => b.seq - a.seq || b.idx - a.idx);
    expect(seen).toEqual(expected);
  });

  it('say there is no next page when the last page is exactly full', async () => {
    const total = rows.filter((r) => r.sku === sku).length;
    const page = await run(store.page({ sku, limit: total }));
    expect(page.entries).toHaveLength(total);
    expect(page.next).toBeNull();
  });

  it('of a SKU with no entries are empty', async () => {
    expect(await run(store.page({ sku: 'NEVER-SEEN', limit: 50 }))).toEqual({ entries: [], next: null });
  });
});

describe('a database that is gone', () => {
  it('fails with a LedgerStoreError, not a defect', async () => {
    const closed = await MikroORM.init(makeOrmConfig({ url: endpoint.url, schema: ns.postgresSchema }));
    await closed.close(true);
    const result = await Effect.runPromise(Effect.either(makeLedgerStore(closed).append([row('GONE-1', 1, 0)])));
    expect(Either.isLeft(result) && result.left._tag).toBe('LedgerStoreError');
  });
});
