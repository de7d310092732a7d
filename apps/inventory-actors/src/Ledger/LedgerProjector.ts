// The audit ledger projection: durable consumer `ledger` (shared by all runners, explicit ack, from the journal's
// start) → `ledgerRowsOf` and `lostDemandRowsOf` → one idempotent insert for whatever was delivered meanwhile → ack;
// Postgres failing → nak with backoff, never a crash.
// An unreadable journal message is term()ed and logged at error, not dead-lettered (see `startLedgerProjector`).
import { CurrentWireVersion, decodeEventBatch, type Names } from '@larder/messaging';
import type { LedgerRow, LedgerStoreShape, LostDemandRow } from '@larder/persistence';
import { LedgerStoreError } from '@larder/persistence';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Chunk, Data, Duration, Effect, Either, Option, Queue, Schedule, Schema } from 'effect';
import { defaultLedgerPolicy, LedgerDurable, retryDelayMs, type LedgerPolicy } from './LedgerPolicy.js';
import { ledgerRowsOf } from './LedgerRowsOf.js';
import { lostDemandRowsOf } from './LostDemandRowsOf.js';

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

    /** What one journal message holds for the ledger, or why it is skipped (bad data) or left (newer wire). */
    const readMessage = (m: JsMsg): Effect.Effect<{ readonly rows: ReadonlyArray<LedgerRow>; readonly lost: ReadonlyArray<LostDemandRow> } | null> => {
      const address = names.parseEventSubject(m.subject);
      if (Either.isLeft(address)) return skip(m, `not a journal subject: ${address.left.reason}`).pipe(Effect.as(null));
      const decoded = decodeEventBatch(m.data);
      if (Either.isLeft(decoded)) {
        const v = Option.map(wireVersionOf(utf8.decode(m.data)), (envelope) => envelope.v);
        // Written by a newer runner during a rolling upgrade: leave it for an upgraded projector.
        if (Option.isSome(v) && v.value > CurrentWireVersion) return later(m, `wire version ${v.value}`).pipe(Effect.as(null));
        return skip(m, decoded.left.reason).pipe(Effect.as(null));
      }
      const batch = decoded.right;
      if (batch.events[0].sku !== address.right.sku) {
        return skip(m, `the subject names SKU "${address.right.sku}" but the batch is for "${batch.events[0].sku}"`).pipe(Effect.as(null));
      }
      return Effect.succeed({ rows: ledgerRowsOf(m.seq, batch), lost: lostDemandRowsOf(m.seq, batch) });
    };

    /**
     * Every message delivered meanwhile goes into one insert (one statement, one round trip), then each is
     * acked; a failed insert naks them all for redelivery. Under load (spread: thousands of SKUs, one journal
     * append each) this is what keeps the ledger from costing a round trip and an ack-wait per append.
     */
    const handle = (messages: ReadonlyArray<JsMsg>) =>
      Effect.gen(function* () {
        const readable: Array<JsMsg> = [];
        const rows: Array<LedgerRow> = [];
        const lost: Array<LostDemandRow> = [];
        for (const m of messages) {
          const read = yield* readMessage(m);
          if (read === null) continue;
          readable.push(m);
          rows.push(...read.rows);
          lost.push(...read.lost);
        }
        if (readable.length === 0) return;
        const inserted = yield* store.append(rows, lost).pipe(
          Effect.timeoutFail({
            duration: Duration.millis(policy.insertTimeoutMs),
            onTimeout: () => new LedgerStoreError({ operation: 'append', detail: `no answer within ${policy.insertTimeoutMs} ms` }),
          }),
          Effect.either,
        );
        if (Either.isRight(inserted)) {
          counts.projected += readable.length;
          counts.rowsInserted += inserted.right;
          counts.rowsDuplicate += rows.length - inserted.right;
          return readable.forEach((m) => m.ack());
        }
        counts.retried += readable.length;
        const delays = readable.map((m) => {
          const delay = retryDelayMs(policy, m.info.deliveryCount);
          m.nak(delay);
          return delay;
        });
        yield* Effect.logWarning(
          `ledger: ${readable.length} batch(es) from seq ${readable[0]?.seq} not stored (${inserted.left.detail}); redelivery in ${Math.min(...delays)}–${Math.max(...delays)} ms`,
        );
      }).pipe(
        // A bug must not stop the consumer: these batches wait (and say so), the others go on.
        Effect.catchAllDefect((defect) =>
          Effect.logError(`ledger: batches from seq ${messages[0]?.seq} failed unexpectedly: ${detailOf(defect)}`).pipe(
            Effect.zipRight(Effect.sync(() => messages.forEach((m) => m.nak(policy.maxBackoffMs)))),
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
        // `concurrency` inserts at once, each taking whatever was delivered meanwhile (up to `maxBatch`).
        const worker = Queue.takeBetween(queue, 1, policy.maxBatch).pipe(
          Effect.flatMap((taken) => handle(Chunk.toReadonlyArray(taken))),
          Effect.forever,
        );
        yield* Effect.all(Array.from({ length: policy.concurrency }, () => worker), { concurrency: 'unbounded', discard: true }).pipe(Effect.raceFirst(stopped));
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
