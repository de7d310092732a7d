// A runner's share of the shards, kept by two loops: one renews its leases and heartbeat (so a slow
// balance round never lets a lease lapse), one takes or hands over shards to match the fair split.
// A shard is served only while its lease is valid by this process's own clock. A peer whose NATS
// connection is gone (a crash: `probe` finds no responders) has its shards freed at once instead of
// after its leases' TTL (ADR 0010, "Crashed owners").
import { UnreadableLeaseHolder, type AuditSummary, type HeldLease, type ProcessId, type RunnerLiveness, type RunnerMember, type Shard } from '@larder/messaging';
import { Deferred, Effect, Either, Exit, Option, Runtime, Schedule, Scope } from 'effect';
import { confirmGoneAfterMs } from './ConfirmGone.js';
import { planShare } from './FairShare.js';
import type { LeaseStore } from './LeaseStore.js';
import { shardRanges } from './ShardRanges.js';

export interface OwnershipDeps {
  readonly store: LeaseStore;
  readonly self: ProcessId;
  readonly shards: ReadonlyArray<Shard>;
  /** Static ownership (`LARDER_OWNED_SHARDS`), or null for a fair share. */
  readonly pinned: ReadonlyArray<Shard> | null;
  /** The lease bucket's TTL: a lease not renewed for this long is gone. */
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly balanceEveryMs: number;
  /** Starts serving a shard in a new scope; closing it stops intake, finishes batches, saves snapshots. */
  readonly host: (shard: Shard, epoch: number, owns: Effect.Effect<boolean>) => Effect.Effect<Scope.CloseableScope, unknown>;
  /** Called after every change of the hosted set; `rebalance` when it moved a shard in or out. */
  readonly changed?: (hosted: number, rebalance: boolean) => void;
  /** Is another runner still connected? Without it, a crashed runner's shards wait for its leases' TTL. */
  readonly probe?: (runner: ProcessId) => Effect.Effect<RunnerLiveness>;
  /** The NATS server this runner is connected to, named in the log when it declares a peer gone. */
  readonly serverName?: () => string;
  /** The invariant auditor's latest summary, carried by every heartbeat for operators (undefined: none yet). */
  readonly audit?: () => AuditSummary | undefined;
}

interface Held {
  lease: HeldLease;
  /** `performance.now()` until which this runner may decide for the shard. */
  validUntil: number;
  scope: Scope.CloseableScope | null;
  leaving: boolean;
  /** Renewals are failing (NATS unreachable): logged once, not every round. */
  failing: boolean;
  /** An out-of-turn renewal in flight (a decision found the lease lapsed); shared by every waiter. */
  confirming: Promise<boolean> | null;
}

/** Balancing rounds a change must last before it is acted on (handing over; taking an orphan). */
const SettleRounds = 3;
/**
 * A lease its crashed holder leaves to be freed: one it was handing to a named runner stays for that
 * runner, unless that runner is gone too.
 */
const leftByGone = (gone: ReadonlySet<ProcessId>, held: HeldLease) =>
  gone.has(held.lease.runner) && (held.lease.handoffTo === undefined || gone.has(held.lease.handoffTo));

export const makeOwnership = (deps: OwnershipDeps) =>
  Effect.gen(function* () {
    const { store, self, shards, pinned, ttlMs } = deps;
    const serverName = deps.serverName ?? (() => '?');
    // Renewals are sent every renewEveryMs; the server keeps a lease ttlMs after it receives one. Deciding
    // stops well before that, so a paused process (GC, SIGSTOP) stops before anyone else can start.
    const validFor = ttlMs - Math.max(deps.renewEveryMs, ttlMs / 4);
    const held = new Map<Shard, Held>();
    const moved = new Set<Shard>();
    const startedAt = Date.now();
    let draining = false;
    let lastQuota = -1;
    // Hysteresis: a late heartbeat makes a runner vanish from the split for a round; act on a change
    // only once it has lasted a few rounds, so shards do not bounce between runners.
    let overQuotaRounds = 0;
    const freeRounds = new Map<Shard, number>();
    const ready = yield* Deferred.make<void>();
    // Out-of-turn renewals run as promises: through the runner's logger, not Effect's default one.
    const runtime = yield* Effect.runtime<never>();

    const changed = (rebalance: boolean) => deps.changed?.(held.size, rebalance);
    const closeScope = (h: Held) => (h.scope === null ? Effect.void : Scope.close(h.scope, Exit.void));

    /** The lease is gone (taken by another runner after it expired here): stop at once. */
    const lose = (shard: Shard, h: Held, why: string) =>
      Effect.gen(function* () {
        if (held.get(shard) !== h) return;
        held.delete(shard);
        h.validUntil = 0;
        changed(true);
        yield* Effect.logError(`shard ${shard}: lease lost (${why}); stopped deciding, handing its work back`);
        yield* closeScope(h).pipe(Effect.forkDaemon);
      });

    const member = (): RunnerMember => {
      const audit = deps.audit?.();
      return {
        v: 1,
        runner: self,
        startedAt,
        heartbeatAt: Date.now(),
        draining,
        ...(pinned === null ? {} : { pinned: [...pinned] }),
        shards: [...held.keys()].sort((a, b) => a - b),
        ...(audit === undefined ? {} : { audit }),
      };
    };

    /**
     * A renewal of `attempted` was refused (the key is no longer at its revision). Not necessarily lost:
     * another renewal of ours may have moved the revision on meanwhile (a round and an out-of-turn renewal
     * race), or our own write landed but its answer did not (a timeout under load). The lease is lost
     * only if the key now holds something else than this runner's lease of the same epoch.
     */
    const refused = (shard: Shard, h: Held, attempted: HeldLease, why: string): Effect.Effect<boolean> =>
      Effect.gen(function* () {
        if (h.lease !== attempted) return true;
        const stored = yield* store.current(shard).pipe(Effect.either);
        if (Either.isRight(stored) && stored.right !== null && stored.right.lease.runner === self && stored.right.lease.epoch === attempted.lease.epoch) {
          // Ours: adopt the stored revision; validity is left as it was (the write's time is unknown).
          if (h.lease === attempted) h.lease = { lease: attempted.lease, revision: stored.right.revision };
          return true;
        }
        if (Either.isLeft(stored)) return true; // cannot tell now: the next round tries again, validity lapses meanwhile
        yield* lose(shard, h, why);
        return false;
      });

    const renewAll = Effect.gen(function* () {
      // The heartbeat first: a crashed runner's membership then expires just before its leases, so its
      // successors count themselves without it when the shards become free.
      yield* store.heartbeat(member()).pipe(Effect.catchAll((e) => Effect.logWarning(`heartbeat failed: ${e.detail}`)));
      const round = new Map(held);
      const attempted = new Map([...round].map(([shard, h]) => [shard, h.lease]));
      const sentAt = performance.now();
      yield* store.renewAll(attempted, (shard, renewal) => {
        const h = round.get(shard);
        const tried = attempted.get(shard);
        if (h === undefined || tried === undefined) return Effect.void;
        if (Either.isLeft(renewal)) {
          if (h.failing) return Effect.void;
          h.failing = true;
          return Effect.logWarning(`shard ${shard}: lease renewal failed; deciding stops when the lease lapses: ${renewal.left.detail}`);
        }
        if (Option.isNone(renewal.right)) return refused(shard, h, tried, 'another runner holds it now, or it expired').pipe(Effect.asVoid);
        h.lease = renewal.right.value;
        h.validUntil = sentAt + validFor;
        if (h.failing) h.failing = false;
        return Effect.void;
      });
    });

    /**
     * Whether this runner may decide for the shard now. Past the validity window (a stalled event
     * loop), renew at once instead of refusing: a successful compare-and-set on our revision proves
     * nobody else held the lease meanwhile; a refused one means it is lost.
     */
    const owns = (shard: Shard, h: Held): Effect.Effect<boolean> =>
      Effect.suspend(() => {
        if (held.get(shard) !== h) return Effect.succeed(false);
        if (performance.now() < h.validUntil) return Effect.succeed(true);
        h.confirming ??= Runtime.runPromise(runtime)(
          Effect.gen(function* () {
            const sentAt = performance.now();
            const tried = h.lease;
            const renewed = yield* store.renew(shard, tried);
            if (Option.isNone(renewed)) {
              // Still ours (a round renewed it meanwhile): decide only once a round has made it valid again.
              const kept = yield* refused(shard, h, tried, 'found lapsed before a decision, and another runner holds it now');
              return kept && held.get(shard) === h && performance.now() < h.validUntil;
            }
            h.lease = renewed.value;
            h.validUntil = sentAt + validFor;
            return held.get(shard) === h;
          }).pipe(
            Effect.catchAll(() => Effect.succeed(false)),
            Effect.ensuring(Effect.sync(() => void (h.confirming = null))),
          ),
        );
        const confirming = h.confirming;
        return Effect.promise(() => confirming);
      });

    /** Stops serving a shard (intake first, snapshots last), then frees its lease or hands it to `to`. */
    const handOver = (shard: Shard, to?: ProcessId) =>
      Effect.gen(function* () {
        const h = held.get(shard);
        if (h === undefined || h.leaving) return false;
        h.leaving = true;
        yield* closeScope(h);
        held.delete(shard);
        moved.delete(shard);
        const freed = to === undefined ? store.release(shard, h.lease) : store.markHandoff(shard, h.lease, to).pipe(Effect.asVoid);
        yield* freed.pipe(Effect.catchAll((e) => Effect.logWarning(`shard ${shard}: could not free its lease, it expires in ${ttlMs} ms: ${e.detail}`)));
        changed(true);
        yield* Effect.logDebug(`shard ${shard}: handed over${to === undefined ? '' : ` to ${to}`}`);
        return true;
      });

    const take = (shard: Shard, handoffRevision: number | undefined) =>
      Effect.gen(function* () {
        const sentAt = performance.now();
        const taken = yield* (handoffRevision === undefined ? store.acquire(shard) : store.takeHandoff(shard, handoffRevision));
        if (Option.isNone(taken)) return false;
        const h: Held = { lease: taken.value, validUntil: sentAt + validFor, scope: null, leaving: false, failing: false, confirming: null };
        held.set(shard, h);
        if (handoffRevision !== undefined) moved.add(shard);
        const epoch = taken.value.lease.epoch;
        const hosted = yield* Effect.either(deps.host(shard, epoch, owns(shard, h)));
        if (hosted._tag === 'Left') {
          held.delete(shard);
          yield* Effect.logError(`shard ${shard}: could not start serving it; freeing its lease`, hosted.left);
          yield* store.release(shard, h.lease).pipe(Effect.ignore);
          return false;
        }
        h.scope = hosted.right;
        changed(true);
        yield* Effect.logDebug(`shard ${shard}: hosting (epoch ${epoch})`);
        return true;
      }).pipe(Effect.catchAll((e) => Effect.logWarning(`shard ${shard}: could not take its lease: ${e.detail}`).pipe(Effect.as(false))));

    /** One line for the shards a round (or a drain) moved, instead of one per shard. */
    const logMoved = (verb: 'took' | 'handed over', moved: ReadonlyArray<Shard>) => {
      if (moved.length === 0) return Effect.void;
      const hosting = `hosting ${held.size} of ${shards.length} shards${held.size === 0 ? '' : `: ${shardRanges(held.keys())}`}`;
      // A first round (or a takeover of all) says it in one phrase: "hosting 32 of 32 shards: 0–31".
      return Effect.logInfo(verb === 'took' && moved.length === held.size ? hosting : `${verb} ${moved.length} shard(s): ${shardRanges(moved)}; ${hosting}`);
    };

    /** The other runners (members or lease holders) whose NATS connection is gone, twice in a row. */
    const goneRunners = (members: ReadonlyArray<RunnerMember>, holders: ReadonlyMap<Shard, HeldLease>) => {
      const probe = deps.probe;
      const others = new Set([...members.map((m) => m.runner), ...[...holders.values()].map((h) => h.lease.runner)]);
      others.delete(self);
      // An undecodable lease names no runner that could answer: it stays held until it expires.
      others.delete(UnreadableLeaseHolder);
      if (probe === undefined || others.size === 0) return Effect.succeed(new Set<ProcessId>());
      const lastHeard = new Map(members.map((m) => [m.runner, m.heartbeatAt]));
      const stillGone = (runners: Iterable<ProcessId>) =>
        Effect.forEach([...runners], (r) => probe(r).pipe(Effect.map((l) => (l === 'gone' ? [r] : []))), { concurrency: 'unbounded' }).pipe(
          Effect.map((found) => found.flat()),
        );
      return stillGone(others).pipe(
        Effect.flatMap((first) =>
          first.length === 0
            ? Effect.succeed([])
            : Effect.sleep(`${confirmGoneAfterMs(first.map((r) => lastHeard.get(r)), Date.now(), deps.renewEveryMs)} millis`).pipe(Effect.zipRight(stillGone(first))),
        ),
        Effect.map((gone) => new Set(gone)),
      );
    };

    /**
     * Frees a crashed runner's leases (`leftByGone`; compare-and-delete on the revision just read, so a
     * lease renewed or taken meanwhile is left alone) and its membership.
     */
    const freeGone = (gone: ReadonlySet<ProcessId>, holders: ReadonlyMap<Shard, HeldLease>) =>
      Effect.forEach(
        [...gone],
        (runner) =>
          Effect.gen(function* () {
            const leases = [...holders].filter(([, h]) => h.lease.runner === runner && leftByGone(gone, h));
            yield* Effect.logWarning(
              `runner ${runner} looks crashed: twice no responders on its control subject (its NATS connection closed, as NATS server ${serverName()} sees it); freeing its shard(s) ${leases.map(([s]) => s).join(', ') || 'none'} without waiting for the lease TTL`,
            );
            yield* store.evict(runner).pipe(Effect.catchAll((e) => Effect.logWarning(`could not remove ${runner} from the runners: ${e.detail}`)));
            // Another survivor may free (and take) the same lease first: then this CAS finds it changed.
            const freed = yield* Effect.forEach(leases, ([shard, lease]) =>
              store.release(shard, lease).pipe(
                Effect.flatMap((released) =>
                  released
                    ? Effect.succeed([shard])
                    : // Renewed (or taken by another survivor) since it was read: if renewed, the runner is alive after all.
                      Effect.logWarning(`shard ${shard}: not freed, its lease changed since it was read (runner ${runner} renewed it after all, or another runner freed it first)`).pipe(Effect.as([])),
                ),
                Effect.catchAll((e) => Effect.logWarning(`shard ${shard}: could not free the lease of gone runner ${runner}: ${e.detail}`).pipe(Effect.as([]))),
              ),
            );
            const released = freed.flat();
            if (released.length > 0) yield* Effect.logInfo(`freed shard(s) ${released.join(', ')} of gone runner ${runner}`);
          }),
        { concurrency: 'unbounded', discard: true },
      );

    const balance = Effect.gen(function* () {
      if (draining) return;
      // The leases this runner holds need no read: it wrote them, and a renewal that fails tells it they are gone.
      const known = new Map([...held].map(([shard, h]) => [shard, h.lease]));
      const [listed, read] = yield* Effect.all([store.members, store.holders(shards, known)]);
      const gone = yield* goneRunners(listed, read);
      if (gone.size > 0) yield* freeGone(gone, read);
      // A gone runner's leases count as free this round whoever freed them: a take that loses the race
      // for one (another survivor took it first) simply does not get it.
      const members = listed.filter((m) => !gone.has(m.runner));
      const holders = new Map([...read].filter(([, h]) => !leftByGone(gone, h)));
      if (!members.some((m) => m.runner === self)) members.push(member());
      const plan = planShare({
        self,
        members,
        shards,
        holders: new Map([...holders].map(([s, { lease }]) => [s, { runner: lease.runner, handoffTo: lease.handoffTo }])),
        owned: new Set([...held].filter(([, h]) => !h.leaving).map(([s]) => s)),
        moved,
      });
      if (plan.quota !== lastQuota) {
        lastQuota = plan.quota;
        const who = members.map((m) => `${m.runner}${m.draining ? ' (draining)' : ''}`).join(', ');
        yield* Effect.logInfo(`fair share: ${plan.quota} of ${shards.length} shards across ${members.length} runner(s): ${who}`);
      }
      overQuotaRounds = plan.release.length > 0 ? overQuotaRounds + 1 : 0;
      if (overQuotaRounds >= SettleRounds) {
        const released: Array<Shard> = [];
        for (const shard of plan.release) if (yield* handOver(shard)) released.push(shard);
        yield* logMoved('handed over', released);
      }
      // A shard free for several rounds is an orphan (its owner died and the split has not caught up):
      // take it even above quota; it is handed on later if that leaves this runner over its share.
      for (const shard of shards) {
        const free = !held.has(shard) && !holders.has(shard);
        freeRounds.set(shard, free ? (freeRounds.get(shard) ?? 0) + 1 : 0);
      }
      const orphans = shards.filter((s) => (freeRounds.get(s) ?? 0) >= SettleRounds && (pinned === null || pinned.includes(s)));
      const taken: Array<Shard> = [];
      for (const shard of [...plan.acquire, ...orphans.filter((s) => !plan.acquire.includes(s))]) {
        if (draining) break;
        if (held.has(shard)) continue;
        const holder = holders.get(shard);
        const handedToMe = holder?.lease.handoffTo === self;
        const orphan = (freeRounds.get(shard) ?? 0) >= SettleRounds;
        if (!handedToMe && !orphan && held.size >= plan.quota) continue;
        if (yield* take(shard, handedToMe ? holder?.revision : undefined)) taken.push(shard);
      }
      yield* logMoved('took', taken);
      if (draining) return;
      if (held.size >= plan.quota) yield* Deferred.succeed(ready, undefined);
      else if (!(yield* Deferred.isDone(ready))) {
        const waiting = shards.filter((s) => !held.has(s)).slice(0, plan.quota - held.size);
        const who = waiting.map((s) => `${s} (${holders.get(s)?.lease.runner ?? 'free'})`).join(', ');
        yield* Effect.logInfo(`waiting for ${plan.quota - held.size} more shard(s) to be free: ${who}`);
      }
    }).pipe(Effect.catchAll((e) => Effect.logWarning(`balancing skipped this round: ${e.detail}`)));

    yield* renewAll.pipe(Effect.repeat(Schedule.spaced(`${deps.renewEveryMs} millis`)), Effect.forkScoped);
    yield* balance.pipe(Effect.repeat(Schedule.spaced(`${deps.balanceEveryMs} millis`)), Effect.forkScoped);

    /** Hands every shard over and leaves the membership: the graceful half of SIGTERM. */
    const drain = Effect.gen(function* () {
      draining = true;
      yield* store.heartbeat(member()).pipe(Effect.ignore);
      const handed = yield* Effect.forEach([...held.keys()], (shard) => handOver(shard).pipe(Effect.map((done) => (done ? [shard] : []))), { concurrency: 4 });
      yield* logMoved('handed over', handed.flat());
      yield* store.leave.pipe(Effect.ignore);
    });

    return {
      /** Resolves once this runner hosts its share (all its pinned shards, or its fair share). */
      ready: Deferred.await(ready),
      drain,
      /** Gives a shard up (fenced by another writer); the balancer may take it again with a new epoch. */
      relinquish: (shard: Shard) => handOver(shard).pipe(Effect.flatMap((done) => (done ? logMoved('handed over', [shard]) : Effect.void))),
      /** Operator: hand one hosted shard to another runner. */
      move: (shard: Shard, to: ProcessId) =>
        handOver(shard, to).pipe(Effect.tap((done) => (done ? Effect.logInfo(`shard ${shard}: handed over to ${to}`) : Effect.void))),
      hosted: () => [...held.keys()].sort((a, b) => a - b),
      isDraining: () => draining,
    };
  });

export type Ownership = Effect.Effect.Success<ReturnType<typeof makeOwnership>>;
