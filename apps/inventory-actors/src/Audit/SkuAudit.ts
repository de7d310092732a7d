// What an audit of one SKU found: the journal's position, holds accepted beyond what was available
// (oversell), and each projection compared with the journal's fold at the projection's own sequence.
import type { LocationId, ReservationId, Sku } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import type { AuditedStore } from '../Observability/RunnerMetrics.js';

/** One field a projection got wrong: what the fold of the journal says, and what the store holds. */
export interface Difference {
  readonly field: string;
  readonly expected: string;
  readonly found: string;
}

/** A hold the journal accepted beyond the units available at its location at that point. */
export interface OversoldHold {
  readonly seq: number;
  readonly reservationId: ReservationId;
  readonly location: LocationId;
  readonly qty: number;
  readonly available: number;
}

export interface StoreCheck {
  readonly store: AuditedStore;
  /** `absent`: nothing stored yet (a projection may lag); `drift` includes a value that does not decode. */
  readonly outcome: 'ok' | 'absent' | 'drift';
  /** The journal sequence the store says it reflects (null when absent or unreadable). */
  readonly seq: number | null;
  readonly differences: ReadonlyArray<Difference>;
}

export interface SkuAudit {
  readonly sku: Sku;
  /** The SKU's last journal sequence when it was read (0: no journal). */
  readonly journalSeq: number;
  readonly batches: number;
  readonly oversold: ReadonlyArray<OversoldHold>;
  readonly oversoldUnits: number;
  readonly checks: ReadonlyArray<StoreCheck>;
  /** The view the journal gives at `journalSeq` (null: no journal): what a missing projection is rebuilt from. */
  readonly journalView: StockView | null;
}

export const driftedStores = (audit: SkuAudit): ReadonlyArray<StoreCheck> => audit.checks.filter((c) => c.outcome === 'drift');

export const isClean = (audit: SkuAudit): boolean => audit.oversoldUnits === 0 && driftedStores(audit).length === 0;

const MaxListed = 5;

/** The log lines an operator greps for: one per drifted store, one per oversold SKU. */
export const describeAudit = (audit: SkuAudit): ReadonlyArray<string> => {
  const drift = driftedStores(audit).map((check) => {
    const [first, ...rest] = check.differences;
    const what = first === undefined ? 'a difference' : `expected ${first.field}=${first.expected} found=${first.found}`;
    const more = rest.slice(0, MaxListed).map((d) => `${d.field} ${d.expected}→${d.found}`);
    const also = rest.length === 0 ? '' : `; also ${more.join(', ')}${rest.length > MaxListed ? ', …' : ''}`;
    return `invariant drift: sku=${audit.sku} store=${check.store} ${what} (seq ${check.seq ?? 'unknown'}, journal at ${audit.journalSeq})${also}`;
  });
  const oversell =
    audit.oversoldUnits === 0
      ? []
      : [
          `oversell: sku=${audit.sku} units=${audit.oversoldUnits} in ${audit.oversold.length} hold(s): ${audit.oversold
            .slice(0, MaxListed)
            .map((o) => `${o.reservationId} took ${o.qty} with ${o.available} available at ${o.location} (seq ${o.seq})`)
            .join('; ')}`,
        ];
  return [...drift, ...oversell];
};
