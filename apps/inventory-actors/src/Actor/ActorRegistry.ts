// The actors of one shard, keyed by SKU: activated on their first command (snapshot + journal),
// ticked for due holds, and passivated when idle so memory tracks the hot set, not the catalogue.
import type { Sku } from '@larder/domain';
import { Effect, ExecutionStrategy, Exit, Runtime, Scope } from 'effect';
import type { ActorPolicy } from '../Config/ActorPolicy.js';
import type { Journal } from '../Journal/Journal.js';
import type { SnapshotStore } from '../Snapshot/SnapshotStore.js';
import type { Loaded } from './FoldRecords.js';
import { loadSku } from './LoadSku.js';
import { makeSkuActor, type ActorHooks, type Envelope, type SkuActor } from './SkuActor.js';

type Entry =
  | { readonly _tag: 'Loading'; readonly waiting: Array<Envelope> }
  | { readonly _tag: 'Ready'; readonly actor: SkuActor; readonly scope: Scope.CloseableScope };

export interface ActorRegistry {
  /** Hands a command to its SKU's actor, activating it first if needed. */
  readonly route: (envelope: Envelope) => void;
  /**
   * Activates a SKU without a command (takeover: holds open at a crash must expire on time); done
   * when it is loaded, or failed to load (logged; its next command tries again).
   */
  readonly warm: (sku: Sku) => Effect.Effect<void, never, Journal | SnapshotStore>;
  /** Expires due holds and passivates idle SKUs; `canPassivate` says whether a SKU's snapshot is current. */
  readonly tick: (now: number, canPassivate: (actor: SkuActor) => boolean) => Effect.Effect<void>;
  /** SKUs in memory (loading or ready): the actors-active metric. */
  readonly size: () => number;
  /** The state of every loaded SKU now (those still loading are left out). */
  readonly loaded: () => ReadonlyArray<Loaded>;
}

export const makeActorRegistry = (epoch: number, policy: ActorPolicy, hooks: ActorHooks) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<Journal | SnapshotStore>();
    const parent = yield* Effect.scope;
    const entries = new Map<Sku, Entry>();
    const retryAll = (waiting: ReadonlyArray<Envelope>, detail: string) =>
      waiting.forEach((e) => e.settle({ _tag: 'Retry', reason: 'journal_unavailable', detail }));

    const deliver = (actor: SkuActor, envelope: Envelope) => {
      if (!actor.offer(envelope)) {
        envelope.settle({ _tag: 'Retry', reason: 'overloaded', detail: `the mailbox of ${actor.sku} is full` });
      }
    };

    const start = (sku: Sku) =>
      Effect.gen(function* () {
        const loaded = yield* loadSku(sku, (at, events) => hooks.applied(sku, at.state, at.seq, events));
        const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential);
        const actor = yield* makeSkuActor(sku, loaded, epoch, policy, hooks).pipe(Scope.extend(scope));
        const entry = entries.get(sku);
        entries.set(sku, { _tag: 'Ready', actor, scope });
        if (entry?._tag === 'Loading') entry.waiting.forEach((e) => deliver(actor, e));
      }).pipe(
        Effect.catchAll((error) =>
          Effect.gen(function* () {
            yield* Effect.logError(`cannot activate ${sku}; its commands are answered "retry"`, error);
            const entry = entries.get(sku);
            entries.delete(sku);
            if (entry?._tag === 'Loading') retryAll(entry.waiting, `${sku} cannot be loaded: ${error._tag}`);
          }),
        ),
      );

    const activateWith = (sku: Sku, waiting: Array<Envelope>) => {
      entries.set(sku, { _tag: 'Loading', waiting });
      Runtime.runFork(runtime)(start(sku));
    };

    const registry: ActorRegistry = {
      size: () => entries.size,
      loaded: () => [...entries.values()].flatMap((entry) => (entry._tag === 'Ready' ? [entry.actor.current()] : [])),
      route: (envelope) => {
        const entry = entries.get(envelope.command.sku);
        if (entry === undefined) activateWith(envelope.command.sku, [envelope]);
        else if (entry._tag === 'Loading') entry.waiting.push(envelope);
        else deliver(entry.actor, envelope);
      },
      warm: (sku) =>
        Effect.suspend(() => {
          if (entries.has(sku)) return Effect.void;
          entries.set(sku, { _tag: 'Loading', waiting: [] });
          return start(sku);
        }),
      tick: (now, canPassivate) =>
        Effect.gen(function* () {
          for (const [sku, entry] of entries) {
            if (entry._tag !== 'Ready') continue;
            entry.actor.expireDue(now);
            const idle = now - entry.actor.lastActivity() >= policy.passivateAfterMs;
            if (idle && entry.actor.openHolds() === 0 && canPassivate(entry.actor)) {
              entries.delete(sku);
              yield* Scope.close(entry.scope, Exit.void);
            }
          }
        }),
    };
    return registry;
  });
