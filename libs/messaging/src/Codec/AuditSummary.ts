// What a runner's invariant auditor last found, carried in its heartbeat (`audit` of RunnerMember in
// KV `runners`): how many SKUs it has audited, when, the units sold beyond stock and the projections
// that disagree with the journal. Read by `GET /v1/ops/auditor` on the operator console.
import { EpochMillis, Sku } from '@larder/domain';
import { Schema } from 'effect';

/** The oversold SKUs a summary names (the largest first); `oversoldUnits` still counts them all. */
export const MaxOversoldSkusListed = 20;

const Count = Schema.Int.pipe(Schema.nonNegative());

export const OversoldSku = Schema.Struct({ sku: Sku, units: Schema.Int.pipe(Schema.positive()) });
export type OversoldSku = typeof OversoldSku.Type;

export const AuditSummary = Schema.Struct({
  /** SKUs audited since the runner started. */
  auditedSkus: Count,
  /** When the last SKU audit finished. */
  lastAuditAt: EpochMillis,
  /** Units held beyond what was available, over the SKUs whose latest audit found oversell (must stay 0). */
  oversoldUnits: Count,
  /** Those SKUs, the largest first, at most MaxOversoldSkusListed. */
  oversoldSkus: Schema.Array(OversoldSku),
  /** Per store (`kv`, `redis`, `snapshot`): SKUs whose latest audit found the store disagreeing with the journal. */
  drift: Schema.Record({ key: Schema.String, value: Count }),
});
export type AuditSummary = typeof AuditSummary.Type;
