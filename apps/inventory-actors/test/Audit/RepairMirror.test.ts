// Specification of what the auditor writes back: only a Redis mirror key that is absent while the SKU
// has a journal, and then the journal's own view at its last sequence. A present but wrong mirror stays
// drift (reported, not rewritten), and nothing is written for a SKU without a journal.
import { describe, expect, it } from '@effect/vitest';
import type { StockView } from '@larder/messaging';
import { Effect, Option } from 'effect';
import type { AuditSources, Observed, RedisMirror } from '../../src/Audit/AuditSources.js';
import { auditSku } from '../../src/Audit/AuditSku.js';
import { missingMirror } from '../../src/Audit/RepairMirror.js';
import { driftedStores } from '../../src/Audit/SkuAudit.js';
import type { JournalRecord } from '../../src/Journal/Journal.js';
import { decidedSku, reserve, restock, viewAfter } from '../Projection/Fixtures/DecidedSku.js';

const absent: Observed<never> = { _tag: 'Absent' };

const mirrorOf = (view: StockView): Observed<RedisMirror> => ({
  _tag: 'Present',
  seq: view.seq,
  value: {
    view,
    hash: { seq: view.seq, asOf: view.asOf, onHand: view.onHand, reserved: view.reserved, safetyStock: view.safetyStock, available: view.available, status: view.status, json: '' },
  },
});

const sourcesOf = (records: ReadonlyArray<JournalRecord>, redis: Observed<RedisMirror>): AuditSources => ({
  journal: () => Effect.succeed(records),
  kv: () => Effect.succeed(absent),
  redis: () => Effect.succeed(redis),
  snapshot: () => Effect.succeed(absent),
});

/** Restock 10, then a hold of 3: two journal batches. */
const twoBatches = () => {
  const sku = decidedSku('REPAIR-1', 5);
  const first = sku.run(restock(10));
  const last = sku.run(reserve('r1', 3));
  return { sku: sku.sku, last, records: [first, last].map((b): JournalRecord => ({ seq: b.seq, epoch: 1, events: b.events })) };
};

describe('given a SKU with a journal and no Redis mirror key', () => {
  it.effect('writes back the view of the journal at its last sequence', () =>
    Effect.gen(function* () {
      const { sku, last, records } = twoBatches();
      const audit = yield* auditSku(sourcesOf(records, absent), sku);
      expect(Option.getOrUndefined(missingMirror(audit))).toStrictEqual(viewAfter(last));
      expect(driftedStores(audit)).toEqual([]);
    }),
  );
});

describe('given a Redis mirror key that is there', () => {
  it.effect('writes nothing when it is wrong: that stays drift', () =>
    Effect.gen(function* () {
      const { sku, last, records } = twoBatches();
      const wrong = { ...viewAfter(last), available: 99 };
      const audit = yield* auditSku(sourcesOf(records, mirrorOf(wrong)), sku);
      expect(driftedStores(audit).map((c) => c.store)).toEqual(['redis']);
      expect(Option.isNone(missingMirror(audit))).toBe(true);
    }),
  );

  it.effect('writes nothing when it is behind: the projector catches it up', () =>
    Effect.gen(function* () {
      const { sku, records } = twoBatches();
      const first = decidedSku('REPAIR-1', 5).run(restock(10));
      const audit = yield* auditSku(sourcesOf(records, mirrorOf(viewAfter(first))), sku);
      expect(audit.checks.find((c) => c.store === 'redis')?.outcome).toBe('ok');
      expect(Option.isNone(missingMirror(audit))).toBe(true);
    }),
  );
});

describe('given a SKU without a journal', () => {
  it.effect('writes nothing', () =>
    Effect.gen(function* () {
      const audit = yield* auditSku(sourcesOf([], absent), decidedSku('REPAIR-2').sku);
      expect(audit.journalView).toBeNull();
      expect(Option.isNone(missingMirror(audit))).toBe(true);
    }),
  );
});
