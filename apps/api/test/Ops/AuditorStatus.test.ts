// Specification of the auditor status the Operations page shows: each runner's summary (null without
// one), the oversold units summed, and healthy only while no runner reports oversell or drift.
import { EpochMillis, Sku } from '@larder/domain';
import { ProcessId, type AuditSummary, type RunnerMember } from '@larder/messaging';
import { describe, expect, it } from 'vitest';
import { auditorStatus } from '../../src/Ops/AuditorStatus.js';

const clean: AuditSummary = { auditedSkus: 3, lastAuditAt: EpochMillis.make(1_000), oversoldUnits: 0, oversoldSkus: [], drift: { kv: 0, redis: 0, snapshot: 0 } };
const member = (runner: string, audit?: AuditSummary): RunnerMember => ({
  v: 1,
  runner: ProcessId.make(runner),
  startedAt: 0,
  heartbeatAt: 0,
  draining: false,
  shards: [],
  ...(audit === undefined ? {} : { audit }),
});

describe('given runners whose auditors found nothing', () => {
  it('is healthy; a runner without a summary yet shows null', () => {
    expect(auditorStatus([member('runner-a', clean), member('runner-b')])).toEqual({
      runners: [
        { runner: 'runner-a', audit: clean },
        { runner: 'runner-b', audit: null },
      ],
      oversoldUnits: 0,
      healthy: true,
    });
  });
});

describe('given a runner reporting oversell or drift', () => {
  it('sums the oversold units and is not healthy', () => {
    const oversold = { ...clean, oversoldUnits: 4, oversoldSkus: [{ sku: Sku.make('JAM-1'), units: 4 }] };
    expect(auditorStatus([member('runner-a', oversold), member('runner-b', { ...clean, oversoldUnits: 1 })])).toMatchObject({ oversoldUnits: 5, healthy: false });
  });

  it('is not healthy with a drifted store and nothing oversold', () => {
    expect(auditorStatus([member('runner-a', { ...clean, drift: { kv: 1, redis: 0, snapshot: 0 } })])).toMatchObject({ oversoldUnits: 0, healthy: false });
  });
});
