// `larder check-invariants [--sku S]`: the invariant auditor over every SKU with a journal (or the one
// named): recompute it from the journal, compare with KV `stock`, the Redis mirror and the Postgres
// snapshot, and check that no hold took more than was available. One line per problem, a summary, and
// exit code 1 when anything drifted, was oversold or could not be read.
import type { Sku } from '@larder/domain';
import { Effect, Either } from 'effect';
import { makeAuditSources } from '../Audit/AuditSources.js';
import { auditSku } from '../Audit/AuditSku.js';
import { describeAudit, driftedStores, isClean, type SkuAudit } from '../Audit/SkuAudit.js';
import { makePostgresSnapshotStore } from '../Snapshot/PostgresSnapshotStore.js';
import type { CommandRun } from './Command.js';
import { output } from './CliOutput.js';
import { openJournal } from './OpenJournal.js';
import { openNatsSession } from './NatsSession.js';
import { openPostgres } from './OpenPostgres.js';
import { openRedis } from './OpenRedis.js';
import { selectSkus } from './SelectSkus.js';

const Concurrency = 4;

/** Projections readers use; a missing snapshot is normal (they are taken every N events or seconds). */
const missingViews = (audit: SkuAudit) =>
  audit.journalSeq === 0 ? [] : audit.checks.filter((c) => c.outcome === 'absent' && c.store !== 'snapshot').map((c) => c.store);

export const checkInvariants: CommandRun = ({ args, config }) =>
  Effect.gen(function* () {
    const session = yield* openNatsSession(config);
    const { names } = session;
    const { skus } = yield* selectSkus(session, args.sku);
    const kv = yield* session.bucket(names.buckets.stock);
    const redis = yield* openRedis(config.redisUrl);
    const orm = yield* openPostgres;
    const journal = yield* openJournal(session);
    const sources = makeAuditSources({ journal, snapshots: makePostgresSnapshotStore(orm), kv, names, redis, redisPrefix: config.redisPrefix });

    const audits = yield* Effect.forEach(skus, (sku: Sku) => Effect.either(auditSku(sources, sku)), { concurrency: Concurrency });
    const done = audits.flatMap((a) => (Either.isRight(a) ? [a.right] : []));
    const unreadable = audits.flatMap((a) => (Either.isLeft(a) ? [a.left] : []));
    const unclean = done.filter((a) => !isClean(a));
    const drifted = done.filter((a) => driftedStores(a).length > 0);
    const oversold = done.filter((a) => a.oversoldUnits > 0);
    const oversoldUnits = oversold.reduce((units, a) => units + a.oversoldUnits, 0);
    const missing = done.flatMap((a) => missingViews(a).map((store) => ({ sku: a.sku, store })));
    const noJournal = done.filter((a) => a.journalSeq === 0).map((a) => a.sku);

    const problems = unreadable.length + drifted.length + oversold.length;
    const lines = [
      ...unclean.flatMap(describeAudit),
      ...unreadable.map((e) => `not checked: sku=${e.sku} cannot read ${e.source}: ${e.detail}`),
      ...missing.map((m) => `missing: sku=${m.sku} store=${m.store} has no view yet (projection lag, or lost: larder rebuild-projections --sku ${m.sku})`),
      ...noJournal.map((sku) => `sku=${sku} has no journal`),
      `checked ${done.length} SKU(s): ${drifted.length} with drift, ${oversold.length} oversold (${oversoldUnits} unit(s)), ` +
        `${unreadable.length} not checked, ${missing.length} view(s) missing` +
        (problems === 0
          ? ' — all invariants hold'
          : drifted.length > 0
            ? ' — drifted views: larder rebuild-projections rewrites them from the journal'
            : ''),
    ];
    return output(
      lines,
      {
        checked: done.length,
        drift: drifted.map((a) => ({ sku: a.sku, journalSeq: a.journalSeq, stores: driftedStores(a) })),
        oversell: oversold.map((a) => ({ sku: a.sku, units: a.oversoldUnits, holds: a.oversold })),
        oversoldUnits,
        notChecked: unreadable.map((e) => ({ sku: e.sku, source: e.source, detail: e.detail })),
        missing,
        noJournal,
      },
      problems === 0 ? 0 : 1,
    );
  });
