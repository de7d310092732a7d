// RunnerMember in KV `runners`: a heartbeat with its auditor's summary round-trips, and one written
// before the summary existed (or by a runner whose auditor is off) still decodes, without one.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis, Sku } from '@larder/domain';
import { decodeRunnerMember, encodeRunnerMember, ProcessId, type RunnerMember } from '../../src/index.js';
import { jsonBytes } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const heartbeat: RunnerMember = { v: 1, runner: ProcessId.make('runner-a'), startedAt: 1_000, heartbeatAt: 2_000, draining: false, shards: [0, 3] };
const audited: RunnerMember = {
  ...heartbeat,
  audit: {
    auditedSkus: 12,
    lastAuditAt: EpochMillis.make(1_900),
    oversoldUnits: 4,
    oversoldSkus: [{ sku: Sku.make('JAM-STRAWBERRY-340G'), units: 4 }],
    drift: { kv: 1, redis: 0, snapshot: 0 },
  },
};

describe('RunnerMember', () => {
  it('round-trips with an audit summary', () => {
    expectDecoded(decodeRunnerMember(encodeRunnerMember(audited)), audited);
  });

  it('decodes a heartbeat without one (older runners, the auditor off)', () => {
    expectDecoded(decodeRunnerMember(jsonBytes(heartbeat)), heartbeat);
  });

  it('refuses a summary with a negative count', () => {
    expectDecodeError(decodeRunnerMember(jsonBytes({ ...audited, audit: { ...audited.audit, oversoldUnits: -1 } })), 'audit.oversoldUnits');
  });

  it('drops fields it does not know (a newer runner’s)', () => {
    expect(decodeRunnerMember(jsonBytes({ ...heartbeat, zone: 'eu-west-1' }))).toEqual(decodeRunnerMember(jsonBytes(heartbeat)));
  });
});
