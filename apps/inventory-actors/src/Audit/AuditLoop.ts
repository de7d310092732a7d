// The invariant auditor inside a runner: every LARDER_AUDIT_EVERY_MS it takes the next shard this
// runner hosts (round robin), picks up to LARDER_AUDIT_SAMPLE of its SKUs at random, audits each,
// and turns what it finds into metrics, log lines that name the SKU and the amount, and the summary the
// runner's heartbeat carries (AuditReport). A Redis mirror key found missing is written again from the
// journal (RepairMirror).
import type { Sku } from '@larder/domain';
import type { Names, Shard } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Chunk, Clock, Effect, Random, Schedule } from 'effect';
import { lastSequences } from '../Journal/LastSequences.js';
import type { RunnerMetrics } from '../Observability/RunnerMetrics.js';
import type { StockViewWriter } from '../Projection/StockViewWriter.js';
import type { AuditReport } from './AuditReport.js';
import type { AuditSources } from './AuditSources.js';
import { auditSku } from './AuditSku.js';
import { repairMirror } from './RepairMirror.js';
import { describeAudit, driftedStores, type SkuAudit } from './SkuAudit.js';

export interface AuditLoopDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly sources: AuditSources;
  /** The Redis mirror's writer, for keys found missing. */
  readonly mirror: StockViewWriter;
  /** The shards this runner hosts now (they change with rebalances). */
  readonly owned: () => ReadonlyArray<Shard>;
  readonly metrics: RunnerMetrics;
  /** What the runner's heartbeat reports of the audits. */
  readonly report: AuditReport;
  readonly everyMs: number;
  readonly sample: number;
}

/** Turns audits into metrics and the heartbeat's report: oversold units are remembered per SKU (the journal never forgets them). */
export const makeAuditRecorder = (metrics: RunnerMetrics, report: AuditReport) => (audit: SkuAudit) =>
  Effect.gen(function* () {
    metrics.auditedSkus.inc();
    for (const check of driftedStores(audit)) metrics.invariantDrift.inc({ store: check.store });
    report.record(audit, yield* Clock.currentTimeMillis);
    metrics.oversellUnits.set(report.oversoldUnits());
    for (const line of describeAudit(audit)) yield* Effect.logError(line).pipe(Effect.annotateLogs({ sku: audit.sku }));
  });

/** Starts the loop in the current scope; does nothing when `everyMs` or `sample` is 0. */
export const startAuditLoop = (deps: AuditLoopDeps) =>
  Effect.gen(function* () {
    const { js, jsm, names, sources, metrics, everyMs, sample } = deps;
    if (everyMs <= 0 || sample <= 0) return;
    const record = makeAuditRecorder(metrics, deps.report);
    let turn = 0;

    const auditOne = (sku: Sku) =>
      auditSku(sources, sku).pipe(
        Effect.tap(record),
        Effect.flatMap((audit) => repairMirror(deps.mirror, audit)),
        Effect.catchAll((error) =>
          Effect.sync(() => metrics.auditFailures.inc()).pipe(
            Effect.zipRight(Effect.logWarning(`invariant audit of ${sku} skipped: cannot read ${error.source}: ${error.detail}`)),
          ),
        ),
      );

    const round = Effect.gen(function* () {
      const shards = deps.owned();
      const shard = shards[turn++ % Math.max(1, shards.length)];
      if (shard === undefined) return;
      const skus = yield* lastSequences(js, jsm, names, shard);
      const picked = Chunk.take(yield* Random.shuffle(skus.keys()), sample);
      yield* Effect.forEach(picked, auditOne, { discard: true });
    }).pipe(Effect.catchAll((error) => Effect.logWarning('invariant audit round skipped: cannot list the SKUs of a shard', error)));

    yield* round.pipe(Effect.repeat(Schedule.spaced(`${everyMs} millis`)), Effect.delay(`${everyMs} millis`), Effect.forkScoped);
  });
