// The invariant auditor's status for the operator console (`GET /v1/ops/auditor`): each live runner's
// latest audit summary, as its heartbeat carries it (null before its first audit, or with the auditor
// off), the oversold units they report together, and whether anything is wrong.
import { AuditSummary, type RunnerMember } from '@larder/messaging';
import { Schema } from 'effect';

export const AuditorStatus = Schema.Struct({
  runners: Schema.Array(Schema.Struct({ runner: Schema.String, audit: Schema.NullOr(AuditSummary) })),
  /**
   * The sum of the runners' oversold units (must stay 0). A SKU audited by two runners (its shard moved)
   * counts in both until the old one restarts.
   */
  oversoldUnits: Schema.Int,
  /** No runner reports oversold units or a drifted store. Says nothing of runners without a summary. */
  healthy: Schema.Boolean,
});
export type AuditorStatus = typeof AuditorStatus.Type;

const isClean = (audit: AuditSummary) => audit.oversoldUnits === 0 && Object.values(audit.drift).every((skus) => skus === 0);

export const auditorStatus = (members: ReadonlyArray<RunnerMember>): AuditorStatus => {
  const runners = members.map((m) => ({ runner: m.runner, audit: m.audit ?? null }));
  let oversoldUnits = 0;
  for (const { audit } of runners) oversoldUnits += audit?.oversoldUnits ?? 0;
  return { runners, oversoldUnits, healthy: runners.every(({ audit }) => audit === null || isClean(audit)) };
};
