// Back in stock, exactly once (DESIGN.md §10 "Demand", ADR 0019): which scopes of a SKU (the SKU as a
// whole, each location, each sales channel) rose from 0 (`back`) or fell to 0 (`out`), judged against
// the durable record of what was last announced, over the SKU's newer positions in journal order. A
// position at or before the record's sequence was judged already (a replay, a takeover, a retry), so no
// rise is announced twice, whatever its cause. Pure.

/** What was last announced for one SKU: the record a runner keeps per SKU (KV `availability`). */
export interface AvailabilityRecord {
  /** The journal sequence of the last position judged when it was written; 0: none with a sequence (a pack). */
  readonly seq: number;
  /** Per scope key (`sku`, `location:<id>`, `channel:<id>`): whether it was last announced in stock. */
  readonly inStock: Readonly<Record<string, boolean>>;
}

/** One scope's sellable units at a position, with whatever the caller needs to publish its announcement. */
export interface ScopeLevel<A> {
  readonly key: string;
  readonly available: number;
  readonly detail: A;
}

/** The SKU's scopes after one journal batch (`seq`), or a pack's as projected now (`seq` null: never skipped). */
export interface ScopePosition<A> {
  readonly seq: number | null;
  readonly scopes: ReadonlyArray<ScopeLevel<A>>;
}

export interface AvailabilityCrossing<A> {
  readonly kind: 'out' | 'back';
  readonly key: string;
  /** The position it happened at. */
  readonly seq: number | null;
  readonly detail: A;
}

export interface AvailabilityJudgement<A> {
  /** In order: by position, then by the position's scope order. */
  readonly crossings: ReadonlyArray<AvailabilityCrossing<A>>;
  /** The record to keep: unchanged (the same object) when nothing crossed. */
  readonly record: AvailabilityRecord | undefined;
}

/** The scope keys, so every caller spells them alike. */
export const scopeKey = {
  sku: 'sku',
  location: (id: string) => `location:${id}`,
  channel: (id: string) => `channel:${id}`,
} as const;

/** Whether each scope is in stock at a position. */
export const inStockAt = <A>(position: ScopePosition<A>): Record<string, boolean> =>
  Object.fromEntries(position.scopes.map((s) => [s.key, s.available > 0]));

/**
 * Judges `positions` (oldest first) against `record`. A scope is compared with what the record says
 * of it, else with `baseline` (its state just before the first position, when known), else it is new:
 * its first state is taken silently (a channel registered later does not announce itself). Positions
 * whose sequence is at or before the record's are skipped.
 *
 * The record comes back changed when something crossed, or when a position judged a scope the record
 * did not hold yet (the first judgement of a SKU, a new location or channel): the baseline, rebuilt
 * from the levels before a batch, is then needed once per scope, never again. Its sequence is that of
 * the last position judged.
 */
export const judgeAvailability = <A>(
  record: AvailabilityRecord | undefined,
  positions: ReadonlyArray<ScopePosition<A>>,
  baseline: Readonly<Record<string, boolean>> = {},
): AvailabilityJudgement<A> => {
  const state: Record<string, boolean> = { ...baseline, ...record?.inStock };
  const crossings: Array<AvailabilityCrossing<A>> = [];
  let seq = record?.seq ?? 0;
  let learned = false;
  for (const position of positions) {
    if (record !== undefined && position.seq !== null && position.seq <= record.seq) continue;
    if (position.seq !== null) seq = Math.max(seq, position.seq);
    for (const scope of position.scopes) {
      const now = scope.available > 0;
      const was = state[scope.key];
      state[scope.key] = now;
      if (record?.inStock[scope.key] === undefined) learned = true;
      if (was === undefined || was === now) continue;
      crossings.push({ kind: now ? 'back' : 'out', key: scope.key, seq: position.seq, detail: scope.detail });
    }
  }
  if (crossings.length === 0 && !learned) return { crossings, record };
  return { crossings, record: { seq, inStock: state } };
};
