// Specification of the auditor's summary a runner's heartbeat carries: nothing before the first audit;
// then SKUs audited and when, oversold SKUs (the largest first, at most 20 named, all counted) and per
// store the SKUs found drifted — each SKU by its latest audit, so one found clean again stops counting.
import { LocationId, ReservationId, Sku } from '@larder/domain';
import { describe, expect, it } from 'vitest';
import { makeAuditReport } from '../../src/Audit/AuditReport.js';
import type { SkuAudit, StoreCheck } from '../../src/Audit/SkuAudit.js';

const ok = (store: StoreCheck['store']): StoreCheck => ({ store, outcome: 'ok', seq: 1, differences: [] });
const drift = (store: StoreCheck['store']): StoreCheck => ({ store, outcome: 'drift', seq: 1, differences: [{ field: 'available', expected: '1', found: '40' }] });

const auditOf = (sku: string, oversoldUnits: number, checks: ReadonlyArray<StoreCheck> = [ok('kv'), ok('redis'), ok('snapshot')]): SkuAudit => ({
  sku: Sku.make(sku),
  journalSeq: 1,
  batches: 1,
  oversold:
    oversoldUnits === 0 ? [] : [{ seq: 1, reservationId: ReservationId.make(`${sku}-r`), location: LocationId.make('main'), qty: oversoldUnits + 1, available: 1 }],
  oversoldUnits,
  checks,
  journalView: null,
});

describe('given no audit yet', () => {
  it('has no summary', () => {
    expect(makeAuditReport().summary()).toBeUndefined();
  });
});

describe('given audits of honest SKUs', () => {
  it('counts them, stamps the last, and reports nothing oversold or drifted', () => {
    const report = makeAuditReport();
    report.record(auditOf('A', 0), 1_000);
    report.record(auditOf('B', 0), 2_000);
    expect(report.summary()).toEqual({ auditedSkus: 2, lastAuditAt: 2_000, oversoldUnits: 0, oversoldSkus: [], drift: { kv: 0, redis: 0, snapshot: 0 } });
  });
});

describe('given oversold and drifted SKUs', () => {
  it('names the oversold SKUs largest first and counts the drifted ones per store', () => {
    const report = makeAuditReport();
    report.record(auditOf('SMALL', 1), 1);
    report.record(auditOf('LARGE', 4, [drift('kv'), ok('redis'), drift('snapshot')]), 2);
    report.record(auditOf('KV-ONLY', 0, [drift('kv'), ok('redis'), ok('snapshot')]), 3);
    expect(report.summary()).toMatchObject({
      oversoldUnits: 5,
      oversoldSkus: [
        { sku: 'LARGE', units: 4 },
        { sku: 'SMALL', units: 1 },
      ],
      drift: { kv: 2, redis: 0, snapshot: 1 },
    });
    expect(report.oversoldUnits()).toBe(5);
  });

  it('stops counting a SKU whose latest audit is clean', () => {
    const report = makeAuditReport();
    report.record(auditOf('FIXED', 3, [drift('redis')]), 1);
    report.record(auditOf('FIXED', 0), 2);
    expect(report.summary()).toMatchObject({ auditedSkus: 2, oversoldUnits: 0, oversoldSkus: [], drift: { kv: 0, redis: 0, snapshot: 0 } });
  });

  it('names at most 20 oversold SKUs but counts the units of all', () => {
    const report = makeAuditReport();
    for (let i = 1; i <= 25; i++) report.record(auditOf(`SKU-${String(i).padStart(2, '0')}`, i), i);
    const summary = report.summary();
    expect(summary?.oversoldSkus).toHaveLength(20);
    expect(summary?.oversoldSkus[0]).toEqual({ sku: 'SKU-25', units: 25 });
    expect(summary?.oversoldUnits).toBe((25 * 26) / 2);
  });
});
