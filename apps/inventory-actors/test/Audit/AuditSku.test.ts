// Specification of the invariant audit of one SKU on in-memory sources, with journals made by the real
// decider: projections equal to the fold at their own sequence pass (current or behind), a wrong value
// is drift naming the field and both amounts, and a hold beyond what was available is oversell.
import { describe, expect, it } from '@effect/vitest';
import { Quantity, ReservationId, type SkuState } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { Effect, Either, HashMap } from 'effect';
import { AuditReadError, type AuditSources, type Observed, type RedisMirror } from '../../src/Audit/AuditSources.js';
import { auditSku } from '../../src/Audit/AuditSku.js';
import { describeAudit, isClean } from '../../src/Audit/SkuAudit.js';
import type { JournalRecord } from '../../src/Journal/Journal.js';
import type { AppliedBatch } from '../../src/Projection/Projector.js';
import { decidedSku, reserve, restock, sale, viewAfter } from '../Projection/Fixtures/DecidedSku.js';

const recordOf = (batch: AppliedBatch): JournalRecord => ({ seq: batch.seq, epoch: 1, events: batch.events });

const mirrorOf = (view: StockView, hash: Partial<RedisMirror['hash']> = {}): RedisMirror => ({
  view,
  hash: {
    seq: view.seq,
    asOf: view.asOf,
    onHand: view.onHand,
    reserved: view.reserved,
    safetyStock: view.safetyStock,
    available: view.available,
    status: view.status,
    json: JSON.stringify(view),
    ...hash,
  },
});

const present = <A>(seq: number, value: A): Observed<A> => ({ _tag: 'Present', seq, value });
const absent: Observed<never> = { _tag: 'Absent' };

interface Stores {
  readonly kv?: Observed<StockView>;
  readonly redis?: Observed<RedisMirror>;
  readonly snapshot?: Observed<SkuState>;
}

const sourcesOf = (records: ReadonlyArray<JournalRecord>, stores: Stores): AuditSources => ({
  journal: () => Effect.succeed(records),
  kv: () => Effect.succeed(stores.kv ?? absent),
  redis: () => Effect.succeed(stores.redis ?? absent),
  snapshot: () => Effect.succeed(stores.snapshot ?? absent),
});

/** A SKU with four journal batches: restock 10, two holds of 2 and 1, a sale of 3. */
const fourBatches = () => {
  const sku = decidedSku('AUDIT-1', 11);
  const batches = [sku.run(restock(10)), sku.run(reserve('r1', 2)), sku.run(reserve('r2', 1)), sku.run(sale(3))];
  return { sku, batches, records: batches.map(recordOf) };
};

const batchAt = (batches: ReadonlyArray<AppliedBatch>, i: number): AppliedBatch => {
  const batch = batches[i];
  if (batch === undefined) throw new Error(`no batch ${i}`);
  return batch;
};

describe('given projections equal to the journal', () => {
  it.effect('passes when every store is current', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const last = batchAt(batches, 3);
      const audit = yield* auditSku(
        sourcesOf(records, { kv: present(last.seq, viewAfter(last)), redis: present(last.seq, mirrorOf(viewAfter(last))), snapshot: present(last.seq, last.state) }),
        sku.sku,
      );
      expect(audit.journalSeq).toBe(14);
      expect(audit.batches).toBe(4);
      expect(audit.checks.map((c) => [c.store, c.outcome, c.seq])).toEqual([['kv', 'ok', 14], ['redis', 'ok', 14], ['snapshot', 'ok', 14]]);
      expect(isClean(audit)).toBe(true);
      expect(describeAudit(audit)).toEqual([]);
    }),
  );

  it.effect('passes when stores are behind, comparing each with the fold at its own sequence', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const second = batchAt(batches, 1);
      const first = batchAt(batches, 0);
      const audit = yield* auditSku(
        sourcesOf(records, { kv: present(second.seq, viewAfter(second)), redis: present(first.seq, mirrorOf(viewAfter(first))), snapshot: present(first.seq, first.state) }),
        sku.sku,
      );
      expect(audit.checks.map((c) => [c.store, c.outcome, c.seq])).toEqual([['kv', 'ok', 12], ['redis', 'ok', 11], ['snapshot', 'ok', 11]]);
      expect(isClean(audit)).toBe(true);
    }),
  );

  it.effect('says "absent" for a store with nothing yet (projections lag), which is not drift', () =>
    Effect.gen(function* () {
      const { sku, records } = fourBatches();
      const audit = yield* auditSku(sourcesOf(records, {}), sku.sku);
      expect(audit.checks.map((c) => c.outcome)).toEqual(['absent', 'absent', 'absent']);
      expect(isClean(audit)).toBe(true);
    }),
  );
});

describe('given a projection that disagrees with the journal at its own sequence', () => {
  it.effect('reports KV drift naming the SKU, the field and both amounts', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const third = batchAt(batches, 2);
      const right = viewAfter(third);
      expect(right.available).toBe(7);
      const audit = yield* auditSku(sourcesOf(records, { kv: present(third.seq, { ...right, available: 50 }) }), sku.sku);
      expect(audit.checks[0]).toEqual({ store: 'kv', outcome: 'drift', seq: 13, differences: [{ field: 'available', expected: '7', found: '50' }] });
      expect(describeAudit(audit)).toEqual(['invariant drift: sku=AUDIT-1 store=kv expected available=7 found=50 (seq 13, journal at 14)']);
    }),
  );

  it.effect('reports Redis drift in the hash fields readers filter on, even when its json is right', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const last = batchAt(batches, 3);
      const audit = yield* auditSku(sourcesOf(records, { redis: present(last.seq, mirrorOf(viewAfter(last), { onHand: 9 })) }), sku.sku);
      expect(audit.checks[1]).toMatchObject({ store: 'redis', outcome: 'drift', differences: [{ field: 'hash.onHand', expected: '7', found: '9' }] });
      expect(describeAudit(audit)[0]).toBe('invariant drift: sku=AUDIT-1 store=redis expected hash.onHand=7 found=9 (seq 14, journal at 14)');
    }),
  );

  it.effect('reports snapshot drift: levels, version and the open holds', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const last = batchAt(batches, 3);
      const forged: SkuState = { ...last.state, open: HashMap.remove(last.state.open, ReservationId.make('r2')) };
      const audit = yield* auditSku(sourcesOf(records, { snapshot: present(last.seq, forged) }), sku.sku);
      const check = audit.checks[2];
      expect(check?.outcome).toBe('drift');
      expect(check?.differences).toEqual([
        { field: 'open.count', expected: '2', found: '1' },
        { field: 'open.r2', expected: 'open', found: 'absent' },
      ]);
    }),
  );

  it.effect('reports a value that does not decode, and a sequence the journal does not have, as drift', () =>
    Effect.gen(function* () {
      const { sku, batches, records } = fourBatches();
      const last = batchAt(batches, 3);
      const audit = yield* auditSku(
        sourcesOf(records, { kv: { _tag: 'Unreadable', reason: 'not JSON' }, redis: present(99, mirrorOf({ ...viewAfter(last), seq: 99 })) }),
        sku.sku,
      );
      expect(audit.checks[0]).toMatchObject({ outcome: 'drift', differences: [{ field: 'value', found: 'not JSON' }] });
      expect(audit.checks[1]).toMatchObject({ outcome: 'drift', seq: 99, differences: [{ field: 'seq', found: '99' }] });
      expect(describeAudit(audit)).toHaveLength(2);
    }),
  );
});

describe('given a journal with a hold beyond what was available', () => {
  it.effect('reports the oversold units, the hold and the sequence', () =>
    Effect.gen(function* () {
      const sku = decidedSku('OVERSOLD-1', 1);
      const batches = [sku.run(restock(3)), sku.run(reserve('r1', 2))];
      const hold = batchAt(batches, 1).events[0];
      if (hold?._tag !== 'StockReserved') throw new Error('expected a StockReserved event');
      // What a broken writer could append: a hold of 5 when 1 unit was free.
      const forged = { ...hold, reservationId: ReservationId.make('r9'), qty: Quantity.make(5) };
      const records = [...batches.map(recordOf), { seq: 3, epoch: 1, events: [forged] }];
      const audit = yield* auditSku(sourcesOf(records, {}), sku.sku);
      expect(audit.oversoldUnits).toBe(4);
      expect(audit.oversold).toEqual([{ seq: 3, reservationId: 'r9', location: hold.location, qty: 5, available: 1 }]);
      expect(isClean(audit)).toBe(false);
      expect(describeAudit(audit)).toEqual([`oversell: sku=OVERSOLD-1 units=4 in 1 hold(s): r9 took 5 with 1 available at ${hold.location} (seq 3)`]);
    }),
  );

  it.effect('finds none in an honest flash sale that sold out', () =>
    Effect.gen(function* () {
      const sku = decidedSku('FLASH-1', 1);
      const batches = [sku.run(restock(3)), sku.run(reserve('a', 1), reserve('b', 1), reserve('c', 1))];
      const audit = yield* auditSku(sourcesOf(batches.map(recordOf), {}), sku.sku);
      expect(audit.oversoldUnits).toBe(0);
    }),
  );
});

describe('given a store that cannot be read', () => {
  it.effect('fails with which store and why, concluding nothing', () =>
    Effect.gen(function* () {
      const { sku, records } = fourBatches();
      const sources: AuditSources = {
        ...sourcesOf(records, {}),
        redis: (s) => Effect.fail(new AuditReadError({ source: 'redis', sku: s, detail: 'Connection is closed.' })),
      };
      const result = yield* Effect.either(auditSku(sources, sku.sku));
      expect(Either.isLeft(result) && result.left).toMatchObject({ source: 'redis', sku: 'AUDIT-1', detail: 'Connection is closed.' });
    }),
  );
});
