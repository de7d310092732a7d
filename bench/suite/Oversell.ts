// Oversell counted, never assumed: units handed out by holds per SKU, read back from four places
// (the API's answer, KV `stock`, the journal, the Postgres ledger) and compared with the stock
// supplied and with the 201s the generator counted. oversold = Σ max(0, units taken − supplied).
import type { Levels } from './StockReadback.js';
import type { Movements } from './MovementSums.js';

export interface SourceCheck {
  /** `GET /v1/stock`, `KV stock`, `journal`, `ledger`; for the baselines `Postgres row`, `Postgres ledger`, `Redis key`. */
  readonly source: string;
  /** Units held or committed through holds (released and expired ones given back). */
  readonly taken: number;
  /** Units committed, where the source says (journal, ledger). */
  readonly committed: number | null;
  readonly oversold: number;
  readonly skusOversold: number;
  /** SKUs the source has nothing for. */
  readonly missing: number;
  /** Why the source could not be read whole (the ledger still behind the journal), if so. */
  readonly incomplete?: string;
}

export interface OversellReport {
  readonly skus: number;
  readonly supplied: number;
  /** 201 answers to POST /v1/reservations (single-unit holds) counted by the generator. */
  readonly answeredHeld: number;
  readonly answeredCommitted: number | null;
  readonly sources: ReadonlyArray<SourceCheck>;
  /** The largest oversell any source shows: must be 0. */
  readonly oversold: number;
  /** Every source agrees with the answers (units taken = 201s; committed = commit 200s). */
  readonly consistent: boolean;
}

const unitsOf = (m: Map<string, number> | undefined, type: string) => m?.get(type) ?? 0;

export const fromMovements = (source: 'journal' | 'ledger', movements: Movements, supplied: ReadonlyMap<string, number>): SourceCheck => {
  let taken = 0;
  let committed = 0;
  let oversold = 0;
  let skusOversold = 0;
  let missing = 0;
  for (const [sku, units] of supplied) {
    const m = movements.get(sku);
    if (m === undefined) missing++;
    // What the record says was supplied (the restocks), not what the benchmark meant to supply.
    const recorded = unitsOf(m, 'StockRestocked') + (m === undefined ? units : 0);
    const t = unitsOf(m, 'StockReserved') - unitsOf(m, 'ReservationReleased') - unitsOf(m, 'ReservationExpired');
    taken += t;
    committed += unitsOf(m, 'ReservationCommitted');
    const over = Math.max(0, t - recorded);
    oversold += over;
    if (over > 0) skusOversold++;
  }
  return { source, taken, committed, oversold, skusOversold, missing };
};

export const fromLevels = (source: 'GET /v1/stock' | 'KV stock', levels: ReadonlyMap<string, Levels>, supplied: ReadonlyMap<string, number>): SourceCheck => {
  let taken = 0;
  let oversold = 0;
  let skusOversold = 0;
  let missing = 0;
  for (const [sku, units] of supplied) {
    const l = levels.get(sku);
    if (l === undefined) {
      missing++;
      continue;
    }
    // No sales on these SKUs: onHand = supplied − committed, reserved = open holds.
    taken += units - l.onHand + l.reserved;
    const over = Math.max(0, l.reserved - l.onHand);
    oversold += over;
    if (over > 0) skusOversold++;
  }
  return { source, taken, committed: null, oversold, skusOversold, missing };
};

export const oversellReport = (supplied: ReadonlyMap<string, number>, answeredHeld: number, answeredCommitted: number | null, sources: ReadonlyArray<SourceCheck>): OversellReport => ({
  skus: supplied.size,
  supplied: [...supplied.values()].reduce((a, b) => a + b, 0),
  answeredHeld,
  answeredCommitted,
  sources,
  oversold: Math.max(0, ...sources.map((s) => s.oversold)),
  consistent: sources.every((s) => s.incomplete === undefined && s.missing === 0 && s.taken === answeredHeld && (answeredCommitted === null || s.committed === null || s.committed === answeredCommitted)),
});
