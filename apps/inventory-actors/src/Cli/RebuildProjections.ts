// `larder rebuild-projections [--sku S]`: for every SKU with a journal (or the one named), folds the
// journal from the start and writes the view to KV `stock` and the Redis mirror where they are behind,
// missing or wrong. Writes are compare-and-set on what was read, so it is safe while runners run.
import type { Sku } from '@larder/domain';
import { Effect, Either } from 'effect';
import type { CommandRun } from './Command.js';
import { output } from './CliOutput.js';
import { emptyFold, foldJournal, type FoldedJournal } from './FoldJournal.js';
import { makeKvViewStore } from './KvViewStore.js';
import { openJournal } from './OpenJournal.js';
import { openNatsSession } from './NatsSession.js';
import { openRedis } from './OpenRedis.js';
import { makeRedisViewStore } from './RedisViewStore.js';
import { repairView, type RepairOutcome } from './RepairView.js';
import { selectSkus } from './SelectSkus.js';

const Concurrency = 4;

const describeOutcome = (store: string, o: RepairOutcome): string | null => {
  switch (o._tag) {
    case 'Unchanged':
      return null;
    case 'CaughtUp':
      return `${store} caught up ${o.from === null ? 'from nothing' : `from seq ${o.from}`} to seq ${o.seq}`;
    case 'Repaired':
      return `${store} repaired at seq ${o.seq} (it held ${o.differences
        .slice(0, 3)
        .map((d) => `${d.field}=${d.found}, expected ${d.expected}`)
        .join('; ')}${o.differences.length > 3 ? '; …' : ''})`;
    case 'Contended':
      return `${store} left to the runner writing it (it changed on each of ${o.attempts} attempts)`;
    default:
      return o satisfies never;
  }
};

const tally = (outcomes: ReadonlyArray<RepairOutcome>) => ({
  caughtUp: outcomes.filter((o) => o._tag === 'CaughtUp').length,
  repaired: outcomes.filter((o) => o._tag === 'Repaired').length,
  unchanged: outcomes.filter((o) => o._tag === 'Unchanged').length,
  contended: outcomes.filter((o) => o._tag === 'Contended').length,
});

export const rebuildProjections: CommandRun = ({ args, config }) =>
  Effect.gen(function* () {
    const session = yield* openNatsSession(config);
    const { skus, strays } = yield* selectSkus(session, args.sku);
    const kv = makeKvViewStore(yield* session.bucket(session.names.buckets.stock), session.names);
    const redis = makeRedisViewStore(yield* openRedis(config.redisUrl), config.redisPrefix);
    const journal = yield* openJournal(session);
    const extend = (fold: FoldedJournal) => foldJournal(journal, fold);

    const rebuild = (sku: Sku) =>
      Effect.gen(function* () {
        const fold = yield* foldJournal(journal, emptyFold(sku));
        if (fold.seq === 0) return { sku, journalSeq: 0, kv: null, redis: null };
        const [k, r] = yield* Effect.all([repairView(kv, sku, fold, extend), repairView(redis, sku, fold, extend)], { concurrency: 2 });
        return { sku, journalSeq: fold.seq, kv: k, redis: r };
      }).pipe(Effect.either);

    const results = yield* Effect.forEach(skus, rebuild, { concurrency: Concurrency });
    const done = results.flatMap((r) => (Either.isRight(r) ? [r.right] : []));
    const failed = results.flatMap((r) => (Either.isLeft(r) ? [r.left.message] : []));
    const noJournal = done.filter((d) => d.kv === null).map((d) => d.sku);
    const kvOutcomes = done.flatMap((d) => (d.kv === null ? [] : [d.kv]));
    const redisOutcomes = done.flatMap((d) => (d.redis === null ? [] : [d.redis]));
    const kvCount = tally(kvOutcomes);
    const redisCount = tally(redisOutcomes);
    const count = (c: ReturnType<typeof tally>) =>
      `${c.caughtUp} caught up, ${c.repaired} repaired, ${c.unchanged} unchanged${c.contended === 0 ? '' : `, ${c.contended} left to a live runner`}`;

    const lines = [
      ...done.flatMap((d) => {
        const changes = [d.kv === null ? null : describeOutcome('kv', d.kv), d.redis === null ? null : describeOutcome('redis', d.redis)].filter(
          (c) => c !== null,
        );
        return changes.length === 0 ? [] : [`sku=${d.sku}: ${changes.join('; ')}`];
      }),
      ...noJournal.map((sku) => `sku=${sku}: no journal, nothing to rebuild from (its views, if any, are left as they are)`),
      ...strays.map((subject) => `ignored ${subject}: not a journal subject of this deployment`),
      ...failed.map((message) => `failed: ${message}`),
      `rebuilt ${done.length - noJournal.length} SKU(s) from the journal: kv ${count(kvCount)}; redis ${count(redisCount)}${failed.length === 0 ? '' : `; ${failed.length} failed`}`,
    ];
    const exitCode = failed.length > 0 || (args.sku !== undefined && noJournal.length > 0) ? 1 : 0;
    return output(
      lines,
      { skus: done.length - noJournal.length, kv: kvCount, redis: redisCount, results: done, noJournal, failed, strays },
      exitCode,
    );
  });
