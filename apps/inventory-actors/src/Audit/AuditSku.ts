// The invariant auditor's check of one SKU (DESIGN.md §5, §8): fold its journal from the start with
// the domain's `evolve`; every hold must have taken at most the units available at its location at
// that point (zero oversell); and each projection must equal the fold at the sequence it claims.
// Projections are eventually consistent: one that is behind is compared with the fold at its own
// sequence, so only a wrong value is drift, never lag. The projections are read before the journal,
// so a projection can never legitimately be ahead of what is read.
import { available, evolve, initialState, positionAt, type EpochMillis, type Sku, type SkuState } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { Effect } from 'effect';
import type { JournalRecord } from '../Journal/Journal.js';
import type { AuditedStore } from '../Observability/RunnerMetrics.js';
import { stockViewOf } from '../Projection/StockViewOf.js';
import type { AuditSources, Observed } from './AuditSources.js';
import { compareHash, compareStates, compareViews } from './CompareProjections.js';
import type { Difference, OversoldHold, SkuAudit, StoreCheck } from './SkuAudit.js';

interface FoldAt {
  readonly state: SkuState;
  readonly asOf: EpochMillis;
}

/** Folds the journal; keeps the state at each of `wanted` sequences and every oversold hold. */
const foldJournal = (sku: Sku, records: ReadonlyArray<JournalRecord>, wanted: ReadonlySet<number>) => {
  let state = initialState(sku);
  const at = new Map<number, FoldAt>();
  const oversold: Array<OversoldHold> = [];
  for (const record of records) {
    for (const event of record.events) {
      if (event._tag === 'StockReserved') {
        const free = available(positionAt(state, event.location));
        if (event.qty > free) {
          oversold.push({ seq: record.seq, reservationId: event.reservationId, location: event.location, qty: event.qty, available: free });
        }
      }
      state = evolve(state, event);
    }
    const last = record.events.at(-1);
    if (wanted.has(record.seq) && last !== undefined) at.set(record.seq, { state, asOf: last.at });
  }
  return { at, oversold };
};

const check = <A>(
  store: AuditedStore,
  observed: Observed<A>,
  at: ReadonlyMap<number, FoldAt>,
  journalSeq: number,
  compare: (expected: FoldAt, seq: number, found: A) => ReadonlyArray<Difference>,
): StoreCheck => {
  switch (observed._tag) {
    case 'Absent':
      return { store, outcome: 'absent', seq: null, differences: [] };
    case 'Unreadable':
      return { store, outcome: 'drift', seq: null, differences: [{ field: 'value', expected: 'a decodable value', found: observed.reason }] };
    case 'Present': {
      const fold = at.get(observed.seq);
      const differences =
        fold === undefined
          ? [{ field: 'seq', expected: `one of the SKU's journal sequences (last ${journalSeq})`, found: String(observed.seq) }]
          : compare(fold, observed.seq, observed.value);
      return { store, outcome: differences.length === 0 ? 'ok' : 'drift', seq: observed.seq, differences };
    }
    default:
      return observed satisfies never;
  }
};

const expectedView = (fold: FoldAt, seq: number): StockView => stockViewOf(fold.state, seq, fold.asOf);

/** Audits one SKU; fails only when a store cannot be read (then nothing is concluded about it). */
export const auditSku = (sources: AuditSources, sku: Sku) =>
  Effect.gen(function* () {
    const [kv, redis, snapshot] = yield* Effect.all([sources.kv(sku), sources.redis(sku), sources.snapshot(sku)], {
      concurrency: 'unbounded',
    });
    const records = yield* sources.journal(sku);
    const journalSeq = records.at(-1)?.seq ?? 0;
    // The fold at the journal's last sequence too: a missing projection is rebuilt from it.
    const wanted = new Set([journalSeq, ...[kv, redis, snapshot].flatMap((o) => (o._tag === 'Present' ? [o.seq] : []))]);
    const { at, oversold } = foldJournal(sku, records, wanted);
    const last = at.get(journalSeq);
    const checks: ReadonlyArray<StoreCheck> = [
      check('kv', kv, at, journalSeq, (fold, seq, view) => compareViews(expectedView(fold, seq), view)),
      check('redis', redis, at, journalSeq, (fold, seq, mirror) => {
        const expected = expectedView(fold, seq);
        return [...compareViews(expected, mirror.view), ...compareHash(expected, mirror.hash)];
      }),
      check('snapshot', snapshot, at, journalSeq, (fold, _, state) => compareStates(fold.state, state)),
    ];
    const audit: SkuAudit = {
      sku,
      journalSeq,
      batches: records.length,
      oversold,
      oversoldUnits: oversold.reduce((units, o) => units + o.qty - o.available, 0),
      checks,
      journalView: last === undefined ? null : expectedView(last, journalSeq),
    };
    return audit;
  });
