// One SKU's single writer. Commands from both paths queue in one mailbox; while an append is in
// flight the next ones wait, then all waiting commands are decided together in memory and their
// events appended as one fenced journal message (group commit). Replies go out only after the
// append is acknowledged, so every answer is durable.
import {
  Actor,
  CommandId,
  decide,
  dueDropTimers,
  EpochMillis,
  lotsDue,
  lotsPending,
  pendingDrops,
  evolve,
  type Command,
  type Event,
  type Sku,
  type SkuState,
} from '@larder/domain';
import type { ReplyOutcome, RetryReason } from '@larder/messaging';
import type { Span, Tracer } from '@opentelemetry/api';
import { Chunk, Clock, Effect, Either, HashMap, Queue, RedBlackTree, Runtime } from 'effect';
import type { ActorPolicy } from '../Config/ActorPolicy.js';
import { Journal } from '../Journal/Journal.js';
import { traceDecisions } from './DecisionSpans.js';
import { foldRecords, type Loaded } from './FoldRecords.js';
import { indexOpenHolds, takeDue, type ExpiryIndex } from './ExpiryIndex.js';
import { pendingOutcome, type Pending } from './Outcome.js';

export interface Envelope {
  readonly command: Command;
  /** Called exactly once, after the command's events are durable (or it was refused). */
  readonly settle: (outcome: ReplyOutcome) => void;
  /** The command's `process` span, when the runner traces it (ended by `settle`'s owner, not here). */
  readonly span?: Span | undefined;
}

/** What the actor tells its shard; both must return at once (they never block the actor). */
export interface ActorHooks {
  readonly applied: (sku: Sku, state: SkuState, seq: number, events: ReadonlyArray<Event>) => void;
  readonly fenced: (sku: Sku, detail: string) => void;
  /** A durable append of `commands` decided together, `seconds` after it was published (metrics; never for replays). */
  readonly appended?: (commands: number, events: ReadonlyArray<Event>, seconds: number) => void;
  /** Present only when the runner traces: `decide` and `append inv.evt` spans (Actor/DecisionSpans). */
  readonly tracer?: Tracer | undefined;
  /** True while this runner holds the shard's lease: checked before every decision (renews a lapsed one). */
  readonly owns: Effect.Effect<boolean>;
}

export interface SkuActor {
  readonly sku: Sku;
  /** Queues a command; false when the mailbox is full (the caller answers `overloaded`). */
  readonly offer: (envelope: Envelope) => boolean;
  /** Queues an expiry command for every hold due at `now`, and the opening or close of every drop due. */
  readonly expireDue: (now: number) => void;
  /** Open holds and drops not closed yet: timers that keep the SKU in memory (never passivated). */
  readonly openHolds: () => number;
  readonly lastActivity: () => number;
  /** Its state, journal sequence and last event time now (to write its read view again). */
  readonly current: () => Loaded;
}

const ExpiryActor = Actor.make('system:expiry');
const DropTimerActor = Actor.make('system:drop-timer');
const LotTimerActor = Actor.make('system:lot-timer');
const retry = (reason: RetryReason, detail: string): ReplyOutcome => ({ _tag: 'Retry', reason, detail });


/** Starts the actor's fiber in the current scope; it stops when the scope closes. */
export const makeSkuActor = (sku: Sku, loaded: Loaded, epoch: number, policy: ActorPolicy, hooks: ActorHooks) =>
  Effect.gen(function* () {
    const journal = yield* Journal;
    const { tracer } = hooks;
    const runtime = yield* Effect.runtime<never>();
    /** A caller's callback that throws must not stop the actor: it is logged, and the loop goes on. */
    const settle = (envelope: Envelope, outcome: ReplyOutcome) => {
      try {
        envelope.settle(outcome);
      } catch (error) {
        Runtime.runFork(runtime)(Effect.logError(`answering ${envelope.command._tag} ${envelope.command.commandId} failed`, error));
      }
    };
    const mailbox = yield* Queue.dropping<Envelope>(policy.mailboxSize);
    let current = loaded;
    let expiries: ExpiryIndex = indexOpenHolds(loaded.state);
    let stale = false;
    // Wall-clock, for passivation only: an actor with anything queued is never idle.
    let lastActivity = Date.now();

    // Suspended: `current.seq` must be read when the catch-up runs, not when the actor starts.
    const catchUp = Effect.suspend(() => journal.read(sku, current.seq)).pipe(
      Effect.map((records) => {
        current = foldRecords(current, records);
        expiries = indexOpenHolds(current.state);
        stale = false;
        return true;
      }),
      Effect.catchAll((error) => Effect.logWarning('journal read failed; the SKU stays stale', error).pipe(Effect.as(false))),
    );

    /** Decides every command against the state its predecessors in the batch left. */
    const decideAll = (batch: ReadonlyArray<Envelope>, now: number) => {
      let state = current.state;
      const events: Array<Event> = [];
      const pending: Array<Pending & { readonly envelope: Envelope }> = [];
      for (const envelope of batch) {
        const { command } = envelope;
        const stamped: Command = { ...command, now: EpochMillis.make(now) };
        const decision = decide(stamped, state);
        if (Either.isRight(decision)) {
          for (const event of decision.right) {
            state = evolve(state, event);
            events.push(event);
          }
        }
        pending.push({ ...pendingOutcome(stamped, decision, state), envelope });
      }
      return { state, events, pending };
    };

    const settleAll = (batch: ReadonlyArray<Envelope>, outcome: () => ReplyOutcome) =>
      batch.forEach((envelope) => settle(envelope, outcome()));

    const indexExpiries = (events: ReadonlyArray<Event>) => {
      for (const event of events) {
        if (event._tag === 'StockReserved' || event._tag === 'ReservationExtended') {
          expiries = RedBlackTree.insert(expiries, event.expiresAt, event.reservationId);
        }
      }
    };

    const process = (batch: ReadonlyArray<Envelope>): Effect.Effect<void> =>
      Effect.gen(function* () {
        lastActivity = Date.now();
        if (stale && !(yield* catchUp)) {
          return settleAll(batch, () => retry('journal_unavailable', `the journal of ${sku} cannot be read`));
        }
        for (let attempt = 1; ; attempt++) {
          // A lapsed lease (a long pause, NATS unreachable) means another runner may own the SKU now.
          if (!(yield* hooks.owns)) return settleAll(batch, () => retry('not_owner', `this runner no longer holds the lease of ${sku}'s shard`));
          const now = yield* Clock.currentTimeMillis;
          const decideStarted = tracer === undefined ? 0 : performance.now();
          const { state, events, pending } = decideAll(batch, now);
          const appendSpan =
            tracer === undefined
              ? undefined
              : traceDecisions(tracer, { sku, epoch, attempt, pending, events: events.length, expectedSeq: current.seq, decideStarted, decided: performance.now() });
          if (events.length === 0) return pending.forEach((p) => settle(p.envelope, p.outcome(null)));
          const appendStarted = performance.now();
          const appended = yield* Effect.either(journal.append(sku, epoch, events, current.seq));
          const appendSeconds = (performance.now() - appendStarted) / 1000;
          appendSpan?.end(appended);
          if (Either.isRight(appended)) {
            current = { state, seq: appended.right, asOf: events.at(-1)?.at ?? current.asOf };
            indexExpiries(events);
            pending.forEach((p) => settle(p.envelope, p.outcome(appended.right)));
            try {
              hooks.applied(sku, state, appended.right, events);
              hooks.appended?.(batch.length, events, appendSeconds);
            } catch (error) {
              yield* Effect.logError(`actor ${sku}: projecting or snapshotting seq ${appended.right} failed`, error);
            }
            return;
          }
          const error = appended.left;
          if (error._tag === 'JournalFencedError') {
            // Someone else appended since we last read: catch up once and decide again.
            if (attempt === 1 && (yield* catchUp)) continue;
            hooks.fenced(sku, error.detail);
            return settleAll(batch, () => retry('fenced', `another owner writes ${sku}; retry`));
          }
          // Unknown outcome: the batch may or may not be stored. Read the journal before deciding again.
          stale = true;
          return settleAll(batch, () => retry('journal_unavailable', error.detail));
        }
      });

    // Passivated or shut down: whatever is still queued is answered, never dropped silently.
    yield* Effect.addFinalizer(() =>
      Queue.takeAll(mailbox).pipe(
        Effect.map((left) => settleAll(Chunk.toReadonlyArray(left), () => retry('shutting_down', `${sku} is stopping; retry`))),
        Effect.zipRight(Queue.shutdown(mailbox)),
      ),
    );
    // A batch in hand always finishes (its callers get their answers) before the actor stops.
    yield* Queue.takeBetween(mailbox, 1, policy.groupCommit ? policy.maxBatch : 1).pipe(
      Effect.flatMap((batch) =>
        Effect.uninterruptible(process(Chunk.toReadonlyArray(batch))).pipe(
          // A bug must cost one batch, never the SKU: log it and keep serving.
          Effect.catchAllDefect((defect) => Effect.logError(`actor ${sku}: a batch failed; the actor goes on`, defect)),
        ),
      ),
      Effect.forever,
      Effect.forkScoped,
    );

    const offer = (envelope: Envelope): boolean => {
      lastActivity = Date.now();
      return mailbox.unsafeOffer(envelope);
    };


    const expireDue = (now: number) => {
      const { due, rest } = takeDue(expiries, current.state, now);
      expiries = rest;
      for (const { reservationId, expiresAt } of due) {
        const command: Command = {
          _tag: 'ExpireReservation',
          commandId: CommandId.make(`expire:${now}:${reservationId}`),
          actor: ExpiryActor,
          now: EpochMillis.make(now),
          sku,
          reservationId,
        };
        const requeue = () => {
          expiries = RedBlackTree.insert(expiries, expiresAt, reservationId);
        };
        // Not due by the actor's clock yet, or the mailbox is full: look again next tick.
        const queued = offer({ command, settle: (o) => (o._tag === 'Accepted' ? undefined : requeue()) });
        if (!queued) requeue();
      }
    };

    /** Drop timers queued and not answered yet, so a slow mailbox is not handed the same one every tick. */
    const dropTimersQueued = new Set<string>();
    const dueDrops = (now: number) => {
      for (const { dropId, due } of dueDropTimers(current.state.drops, now)) {
        const key = `${due}:${dropId}`;
        if (dropTimersQueued.has(key)) continue;
        const envelope = { commandId: CommandId.make(`drop-${due}:${dropId}:${now}`), actor: DropTimerActor, now: EpochMillis.make(now), sku, dropId };
        const command: Command = due === 'open' ? { _tag: 'OpenDrop', ...envelope } : { _tag: 'CloseDrop', ...envelope, reason: 'closes_at' };
        dropTimersQueued.add(key);
        // Answered (applied, a no-op or refused): look again on the next tick if it is still due.
        if (!offer({ command, settle: () => dropTimersQueued.delete(key) })) dropTimersQueued.delete(key);
      }
    };

    /** A lot check queued and not answered yet (at most one at a time). */
    let lotCheckQueued = false;
    const dueLots = (now: number) => {
      if (lotCheckQueued || !lotsDue(current.state, now)) return;
      const command: Command = { _tag: 'CheckLots', commandId: CommandId.make(`lots:${now}`), actor: LotTimerActor, now: EpochMillis.make(now), sku };
      lotCheckQueued = true;
      if (!offer({ command, settle: () => (lotCheckQueued = false) })) lotCheckQueued = false;
    };

    const actor: SkuActor = {
      sku,
      offer,
      expireDue: (now) => {
        expireDue(now);
        dueDrops(now);
        dueLots(now);
      },
      // A SKU with holds, a drop to open or close, or a lot still to announce or take out of sale stays in memory: its timers are the actor's.
      openHolds: () => HashMap.size(current.state.open) + pendingDrops(current.state.drops).length + (lotsPending(current.state) ? 1 : 0),
      lastActivity: () => lastActivity,
      current: () => current,
    };
    return actor;
  });
