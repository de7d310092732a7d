// What this runner's invariant auditor has found so far, as the summary its heartbeat carries (KV
// `runners`, read by the operator console's `GET /v1/ops/auditor`): SKUs audited, when last, the
// oversold SKUs and, per store, the SKUs whose projection disagrees with the journal. A SKU counts
// by its latest audit: one found clean again (a repaired projection) stops counting.
import { EpochMillis, type Sku } from '@larder/domain';
import { MaxOversoldSkusListed, type AuditSummary } from '@larder/messaging';
import { AuditedStores, type AuditedStore } from '../Observability/RunnerMetrics.js';
import { driftedStores, type SkuAudit } from './SkuAudit.js';

export const makeAuditReport = () => {
  let audited = 0;
  let lastAuditAt: EpochMillis | undefined = undefined;
  const oversold = new Map<Sku, number>();
  const drifted = new Map<AuditedStore, Set<Sku>>(AuditedStores.map((store) => [store, new Set<Sku>()]));

  /** Takes in one SKU's audit, finished at `at` (epoch ms). */
  const record = (audit: SkuAudit, at: number) => {
    audited++;
    lastAuditAt = EpochMillis.make(at);
    if (audit.oversoldUnits > 0) oversold.set(audit.sku, audit.oversoldUnits);
    else oversold.delete(audit.sku);
    const stores = new Set(driftedStores(audit).map((check) => check.store));
    for (const [store, skus] of drifted) {
      if (stores.has(store)) skus.add(audit.sku);
      else skus.delete(audit.sku);
    }
  };

  const oversoldUnits = () => {
    let units = 0;
    for (const u of oversold.values()) units += u;
    return units;
  };

  /** The summary for the heartbeat; undefined until a SKU has been audited. */
  const summary = (): AuditSummary | undefined =>
    lastAuditAt === undefined
      ? undefined
      : {
          auditedSkus: audited,
          lastAuditAt,
          oversoldUnits: oversoldUnits(),
          oversoldSkus: [...oversold]
            .sort(([skuA, a], [skuB, b]) => b - a || (skuA < skuB ? -1 : skuA > skuB ? 1 : 0))
            .slice(0, MaxOversoldSkusListed)
            .map(([sku, units]) => ({ sku, units })),
          drift: Object.fromEntries([...drifted].map(([store, skus]) => [store, skus.size])),
        };

  return { record, oversoldUnits, summary };
};

export type AuditReport = ReturnType<typeof makeAuditReport>;
