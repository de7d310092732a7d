// The audit ledger projection: durable consumer `ledger` (shared by all runners, explicit ack, from the journal's
// start) → `ledgerRowsOf` → one idempotent insert per batch → ack; Postgres failing → nak with backoff, never a crash.
// An unreadable journal message is term()ed and logged at error, not dead-lettered (see `startLedgerProjector`).
import { CurrentWireVersion, decodeEventBatch, type Names } from '@larder/messaging';
import type { LedgerStoreShape } from '@larder/persistence';
import { LedgerStoreError } from '@larder/persistence';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Data, Duration, Effect, Either, Option, Queue, Schedule, Schema, Stream } from 'effect';
import { defaultLedgerPolicy, LedgerDurable, retryDelayMs, type LedgerPolicy } from './LedgerPolicy.js';
import { ledgerRowsOf } from './LedgerRowsOf.js';

export interface LedgerProjectorDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly store: LedgerStoreShape;
  readonly policy?: LedgerPolicy;
}

export interface LedgerProjectorStats {
  /** Batches whose rows are in the ledger (inserted now or found there already). */
  readonly projected: number;
  readonly rowsInserted: number;
  /** Rows that were there already (a redelivery). */
  readonly rowsDuplicate: number;
  /** Journal messages that could not be read and were terminated: gaps in the ledger. */
  readonly skipped: number;
  /** Inserts that failed and were nak'd for redelivery. */
  readonly retried: number;
}

export interface LedgerProjector {
  readonly stats: () => LedgerProjectorStats;
}

class LedgerConsumerError extends Data.TaggedError('LedgerConsumerError')<{ readonly detail: string }> {}

/** The `v` of a message that failed to decode, if it is a JSON object with one (read only on that rare path). */
const wireVersionOf = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ v: Schema.Number })));
const utf8 = new TextDecoder();

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts the projector in the current scope; it restarts itself (with backoff) if its consumer fails.
 * A journal message that cannot be read is logged at error with its sequence and `term()`ed: the journal is
 * the source of truth and keeps it, so it is not copied to INV_DLQ; the ledger has a gap there, counted in
 * `stats().skipped`, and a fixed reader can replay it. One of a newer wire version is nak'd instead, for an
 * upgraded runner sharing the consumer (rolling upgrade). Several runners may run this at once: the shared
 * durable splits the messages and inserts are idempotent by (seq, idx).
 */
export const startLedgerProjector = (deps: LedgerProjectorDeps) =>
  Effect.gen(function* () {
    const { js, jsm, names, store, policy = defaultLedgerPolicy } = deps;
    const stream = names.journal.stream;
    const [journalSubjects] = names.journal.streamSubjects;
    const counts = { projected: 0, rowsInserted: 0, rowsDuplicate: 0, skipped: 0, retried: 0 };

    const ensureConsumer = Effect.tryPromise({
      try: () =>
        jsm.consumers
          .add(stream, {
            durable_name: LedgerDurable,
            ...(journalSubjects === undefined ? {} : { filter_subject: journalSubjects }),
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ack_wait: nanos(policy.ackWaitMs),
            max_ack_pending: policy.maxAckPending,
          })
          // It exists with other tunables (an older runner): update the ones the server lets change.
          .catch(() => jsm.consumers.update(stream, LedgerDurable, { ack_wait: nanos(policy.ackWaitMs), max_ack_pending: policy.maxAckPending })),
      catch: (error) => new LedgerConsumerError({ detail: `cannot create consumer ${LedgerDurable}: ${detailOf(error)}` }),
    });

    const skip = (m: JsMsg, reason: string) =>
      Effect.logError(`ledger: journal message ${m.seq} on ${m.subject} cannot be read; terminated, the ledger has a gap there: ${reason}`).pipe(
        Effect.annotateLogs({ seq: m.seq, subject: m.subject }),
        Effect.zipRight(Effect.sync(() => {
          counts.skipped += 1;
          // No reason on the wire: nats-server 2.9 ignores a `+TERM <reason>` it does not recognise.
          m.term();
        })),
      );

    const later = (m: JsMsg, why: string) =>
      Effect.logWarning(`ledger: journal message ${m.seq} has ${why}, newer than this runner reads; left for an upgraded runner`).pipe(
        Effect.zipRight(Effect.sync(() => m.nak(policy.maxBackoffMs))),
      );

    const handle = (m: JsMsg) =>
      Effect.gen(function* () {
        const address = names.parseEventSubject(m.subject);
        if (Either.isLeft(address)) return yield* skip(m, `not a journal subject: ${address.left.reason}`);
        const decoded = decodeEventBatch(m.data);
        if (Either.isLeft(decoded)) {
          const v = Option.map(wireVersionOf(utf8.decode(m.data)), (envelope) => envelope.v);
          // Written by a newer runner during a rolling upgrade: leave it for an upgraded projector.
          if (Option.isSome(v) && v.value > CurrentWireVersion) return yield* later(m, `wire version ${v.value}`);
          return yield* skip(m, decoded.left.reason);
        }
        const batch = decoded.right;
        if (batch.events[0].sku !== address.right.sku) {
          return yield* skip(m, `the subject names SKU "${address.right.sku}" but the batch is for "${batch.events[0].sku}"`);
        }
        const rows = ledgerRowsOf(m.seq, batch);
        const inserted = yield* store.append(rows).pipe(
          Effect.timeoutFail({
            duration: Duration.millis(policy.insertTimeoutMs),
            onTimeout: () => new LedgerStoreError({ operation: 'append', detail: `no answer within ${policy.insertTimeoutMs} ms` }),
          }),
          Effect.either,
        );
        if (Either.isRight(inserted)) {
          counts.projected += 1;
          counts.rowsInserted += inserted.right;
          counts.rowsDuplicate += rows.length - inserted.right;
          return m.ack();
        }
        const delay = retryDelayMs(policy, m.info.deliveryCount);
        counts.retried += 1;
        m.nak(delay);
        yield* Effect.logWarning(`ledger: batch ${m.seq} not stored (${inserted.left.detail}); redelivery in ${delay} ms`);
      }).pipe(
        // A bug must not stop the consumer: this batch waits (and says so), the others go on.
        Effect.catchAllDefect((defect) =>
          Effect.logError(`ledger: batch ${m.seq} failed unexpectedly: ${detailOf(defect)}`).pipe(
            Effect.zipRight(Effect.sync(() => m.nak(policy.maxBackoffMs))),
          ),
        ),
      );

    const consumeOnce = Effect.scoped(
      Effect.gen(function* () {
        yield* ensureConsumer;
        const consumer = yield* Effect.tryPromise({
          try: () => js.consumers.get(stream, LedgerDurable),
          catch: (error) => new LedgerConsumerError({ detail: `cannot open consumer ${LedgerDurable}: ${detailOf(error)}` }),
        });
        // Callback delivery into a queue: closing an async iterator with a pull pending would wait for it.
        // The queue stays small: the server stops delivering at `maxAckPending` unacked messages.
        const queue = yield* Queue.unbounded<JsMsg>();
        const messages = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () => consumer.consume({ max_messages: policy.concurrency * 32, callback: (m) => void Queue.unsafeOffer(queue, m) }),
            catch: (error) => new LedgerConsumerError({ detail: `cannot consume: ${detailOf(error)}` }),
          }),
          (m) => Effect.promise(() => m.close()).pipe(Effect.ignore),
        );
        const stopped = Effect.promise(() => messages.closed());
        yield* Stream.fromQueue(queue).pipe(
          Stream.mapEffect(handle, { concurrency: policy.concurrency, unordered: true }),
          Stream.runDrain,
          Effect.raceFirst(stopped),
        );
        return yield* new LedgerConsumerError({ detail: 'the consumer stopped delivering' });
      }),
    );

    const restarts = Schedule.union(Schedule.exponential(Duration.millis(500)), Schedule.spaced(Duration.millis(policy.maxBackoffMs)));
    yield* consumeOnce.pipe(
      Effect.catchAllDefect((defect) => Effect.fail(new LedgerConsumerError({ detail: `unexpected: ${detailOf(defect)}` }))),
      Effect.tapError((error) => Effect.logError(`ledger: projector stopped (${error.detail}); restarting`)),
      Effect.retry(restarts),
      Effect.annotateLogs({ projection: 'ledger' }),
      Effect.forkScoped,
    );
    return { stats: () => ({ ...counts }) } satisfies LedgerProjector;
  });
