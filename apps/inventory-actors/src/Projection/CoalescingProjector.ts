// The projector actors hand each durable batch to (DESIGN.md §2): it keeps only the newest view per
// SKU and three writer lanes (KV `stock`, the Redis mirror, public `stock.v1.*` events) write it in
// the background, each with its own dirty set and outage handling, so none can slow the others.
// `out` and `back` are judged per batch, never coalesced away, and announced once each (ADR 0019).
import { available, EpochMillis, inStockAt, scopeKey, type ScopePosition, type Sku, type SkuState } from '@larder/domain';
import { decodeCatalogueRecord, type ChannelRecord, type Names, type StockView } from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Effect, Either, Layer, Runtime } from 'effect';
import type { Redis } from 'ioredis';
import { makeAvailabilityAnnouncer, type AvailabilityAnnouncer } from './AvailabilityAnnouncer.js';
import { scopePositionOf, type ScopeLevels } from './AvailabilityScopes.js';
import { followBucket } from './FollowBucket.js';
import { makeKvStockWriter } from './KvStockWriter.js';
import { describeFailure, ProjectionSetupError, ProjectionWriteError } from './ProjectionErrors.js';
import { defaultProjectionPolicy, type ProjectionPolicy } from './ProjectionPolicy.js';
import { Projector, type AppliedBatch, type ResidentView } from './Projector.js';
import { isPublicFact, publicEventsOf, type JournalBatch } from './PublicEventsOf.js';
import { makePublicEventWriter, type PublicEventWriter } from './PublicEventWriter.js';
import { onRedisReconnected } from './RedisReconnects.js';
import { makeRedisStockWriter } from './RedisStockWriter.js';
import type { StockViewWriter } from './StockViewWriter.js';
import { stockViewOf } from './StockViewOf.js';
import { viewBeforeBatch } from './ViewBeforeBatch.js';
import { makeWriterLane, type WriterLane } from './WriterLane.js';

export interface CoalescingProjectorDeps {
  readonly kv: StockViewWriter;
  readonly redis: StockViewWriter;
  readonly events: PublicEventWriter;
  /** Publishes `out` and `back` once per crossing of each scope. */
  readonly announcer: AvailabilityAnnouncer;
  /** The registered sales channels now (their back in stock is judged too). */
  readonly channels: () => ReadonlyArray<ChannelRecord>;
  readonly policy?: ProjectionPolicy;
}

type ProjectorShape = Projector['Type'];

export interface CoalescingProjector extends ProjectorShape {
  /** SKUs waiting per target (readiness, metrics, tests). */
  readonly pending: () => { readonly kv: number; readonly redis: number; readonly events: number };
  /** SKUs whose newest view is held in memory (0 once everything is written). */
  readonly tracked: () => number;
  /** Marks every SKU of every registered shard for the Redis mirror (it came back, maybe empty). */
  readonly remirror: Effect.Effect<void>;
}

interface Newest {
  readonly state: SkuState;
  readonly seq: number;
  readonly asOf: EpochMillis;
  view: StockView | undefined;
}

/**
 * Whether each scope is in stock, straight from the state: the SKU and each location from their levels;
 * a channel, for a SKU without lots, is the SKU (every unit is sellable on every channel). Undefined when
 * channels must read lots (the view is needed).
 */
const levelStatesOf = (state: SkuState, channels: ReadonlyArray<ChannelRecord>): Record<string, boolean> | undefined => {
  if (channels.length > 0 && Object.keys(state.lots).length > 0) return undefined;
  const states: Record<string, boolean> = {};
  let total = 0;
  for (const [location, p] of Object.entries(state.positions)) {
    const units = available(p);
    total += units;
    states[scopeKey.location(location)] = units > 0;
  }
  states[scopeKey.sku] = total > 0;
  for (const c of channels) states[scopeKey.channel(c.channel)] = total > 0;
  return states;
};

const sameStates = (a: Record<string, boolean>, b: Record<string, boolean>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/** Starts the three lanes in the current scope. */
export const makeCoalescingProjector = (deps: CoalescingProjectorDeps) =>
  Effect.gen(function* () {
    const policy = deps.policy ?? defaultProjectionPolicy;
    /** The newest batch of each SKU with work pending in some lane; its view is made once, when first written. */
    const latest = new Map<Sku, Newest>();
    const viewOf = (newest: Newest): StockView => (newest.view ??= stockViewOf(newest.state, newest.seq, newest.asOf));
    /** The last view whose public events went out (or the view before the first batch seen). */
    const published = new Map<Sku, StockView>();
    /** Batches with facts (shortfalls, drops opened, sold out, closed) not yet published: every one is published, none coalesced away. */
    const shortfalls = new Map<Sku, Array<JournalBatch>>();
    /** Per SKU, its scopes after each batch not yet judged for `out`/`back` (a batch that left every scope as the one before is not kept). */
    const positions = new Map<Sku, Array<ScopePosition<ScopeLevels>>>();
    /** Per SKU, whether each scope was in stock just before its first position waiting. */
    const baselines = new Map<Sku, Record<string, boolean>>();
    const lanes: Array<WriterLane> = [];
    /** Per hosted shard: its SKUs in memory now (ShardHost registers them). */
    const residents = new Set<Effect.Effect<ReadonlyArray<ResidentView>>>();
    const runtime = yield* Effect.runtime<never>();

    /** Once every lane has written a SKU's newest view, its memory goes: the next batch carries its levels before. */
    const forgetIfSettled = (sku: Sku) => {
      if (!lanes.every((lane) => lane.isIdle(sku))) return;
      latest.delete(sku);
      published.delete(sku);
      shortfalls.delete(sku);
      positions.delete(sku);
      baselines.delete(sku);
    };

    const lane = (name: string, whenDown: string, write: (sku: Sku, view: StockView) => Effect.Effect<void, ProjectionWriteError>) =>
      Effect.gen(function* () {
        const made = yield* makeWriterLane(
          {
            name,
            whenDown,
            write: (sku) =>
              Effect.suspend(() => {
                const newest = latest.get(sku);
                return newest === undefined ? Effect.void : write(sku, viewOf(newest));
              }),
            written: forgetIfSettled,
          },
          policy,
        );
        lanes.push(made);
        return made;
      });

    const announce = (sku: Sku, judged: ReadonlyArray<ScopePosition<ScopeLevels>>) =>
      Effect.tryPromise({
        try: () => deps.announcer.announce(sku, judged, baselines.get(sku), (c) => `${sku}:${c.seq}:${c.kind}:${c.key}`),
        catch: (error) => new ProjectionWriteError({ target: 'events', detail: `out/back of ${sku}: ${describeFailure(error)}` }),
      });

    const publish = (sku: Sku, next: StockView) =>
      Effect.suspend(() => {
        const taken = shortfalls.get(sku)?.length ?? 0;
        const judged = positions.get(sku) ?? [];
        const judging = judged.length;
        const events = publicEventsOf(published.get(sku), next, shortfalls.get(sku) ?? []);
        // Crossings first: they happened at or before the levels published after them.
        return announce(sku, judged.slice(0, judging)).pipe(
          Effect.zipRight(deps.events.publish(events)),
          Effect.tap(() =>
            Effect.sync(() => {
              const last = judged[judging - 1];
              if (last !== undefined) baselines.set(sku, inStockAt(last));
              judged.splice(0, judging);
              published.set(sku, next);
              // Batches that arrived while publishing stay for the next pass.
              const left = shortfalls.get(sku)?.slice(taken) ?? [];
              if (left.length === 0) shortfalls.delete(sku);
              else shortfalls.set(sku, left);
            }),
          ),
        );
      });

    const kv = yield* lane(
      'KV stock projection',
      'API reads keep answering from their cache, which goes stale (its asOf says how stale); commands are unaffected',
      (_, view) => deps.kv.write(view),
    );
    const redis = yield* lane(
      'Redis mirror',
      'Redis mirror is behind; reads through the API are unaffected',
      (_, view) => deps.redis.write(view),
    );
    const events = yield* lane(
      'public stock events',
      'analysts get stock.v1 events late (none are lost); reads and commands are unaffected',
      publish,
    );

    const record = (batch: AppliedBatch) => {
      const sku = batch.state.sku;
      const prior = latest.get(sku);
      // A repeated or older batch (never expected from the single owner) must not move the view back.
      if (prior !== undefined && prior.seq >= batch.seq) return;
      const asOf = batch.events.at(-1)?.at ?? prior?.asOf ?? EpochMillis.make(0);
      const channels = deps.channels();
      if (!published.has(sku)) {
        const before = viewBeforeBatch(batch, asOf);
        published.set(sku, before);
        baselines.set(sku, inStockAt(scopePositionOf(before, null, channels)));
      }
      // Each batch is judged for out/back. Its view is made only when it may cross (a scope's in/out
      // differs from the batch before, or channels must read the SKU's lots), and the lanes reuse it while
      // it is the newest; a flash sale's hundreds of batches a second that leave every scope in stock make none.
      const waiting = positions.get(sku);
      const previous = waiting?.at(-1);
      const cheap = levelStatesOf(batch.state, channels);
      const mayCross = previous === undefined || cheap === undefined || !sameStates(inStockAt(previous), cheap);
      const view = mayCross ? stockViewOf(batch.state, batch.seq, asOf) : undefined;
      latest.set(sku, { state: batch.state, seq: batch.seq, asOf, view });
      if (view !== undefined) {
        const position = scopePositionOf(view, batch.seq, channels);
        if (waiting === undefined) positions.set(sku, [position]);
        else if (previous === undefined || !sameStates(inStockAt(previous), inStockAt(position))) waiting.push(position);
      }
      const facts = batch.events.filter(isPublicFact);
      if (facts.length > 0) {
        const kept: JournalBatch = { seq: batch.seq, events: facts, state: batch.state };
        const queued = shortfalls.get(sku);
        if (queued === undefined) shortfalls.set(sku, [kept]);
        else queued.push(kept);
      }
      for (const l of lanes) l.mark(sku);
    };

    /**
     * Writes to the mirror are skipped only by `seq`, so rewriting a view Redis still has costs one
     * script call and changes nothing. Only the Redis lane is marked: KV and the public events lost nothing.
     */
    const remirror = Effect.gen(function* () {
      const views = (yield* Effect.all([...residents], { concurrency: 'unbounded' })).flat();
      for (const { state, seq, asOf } of views) {
        const prior = latest.get(state.sku);
        // A newer batch still waiting is already the view to write.
        if (prior === undefined || prior.seq < seq) latest.set(state.sku, { state, seq, asOf, view: undefined });
        redis.mark(state.sku);
      }
      yield* Effect.logInfo(`Redis mirror reconnected (it may have restarted empty): writing the views of ${views.length} SKUs in memory again`);
    });

    const projector: CoalescingProjector = {
      applied: (batch) => {
        try {
          record(batch);
        } catch (defect) {
          // Never into the actor: a bug here costs one SKU's projection until its next batch, not a command.
          Runtime.runFork(runtime)(Effect.logError(`projection of ${batch.state.sku} at seq ${batch.seq} failed: ${describeFailure(defect)}`));
        }
      },
      flush: Effect.forEach(lanes, (l) => Effect.either(l.flush), { concurrency: 'unbounded' }).pipe(
        Effect.flatMap((results) => {
          const down = results.flatMap((r, i) => (Either.isLeft(r) ? [`${lanes[i]?.name}: ${r.left.detail}`] : []));
          return down.length === 0 ? Effect.void : Effect.fail(new ProjectionWriteError({ target: 'projection', detail: down.join('; ') }));
        }),
      ),
      pending: () => ({ kv: kv.pending(), redis: redis.pending(), events: events.pending() }),
      tracked: () => latest.size,
      residents: (source) =>
        Effect.acquireRelease(
          Effect.sync(() => residents.add(source)),
          () => Effect.sync(() => residents.delete(source)),
        ).pipe(Effect.asVoid),
      remirror,
    };
    return projector;
  });

export interface ProjectionConnections {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: Names;
  /** Give it `enableOfflineQueue: false` (and an `error` listener): an outage should fail writes fast. */
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly policy?: ProjectionPolicy;
}

/** The projector on the real targets; the KV buckets and the STOCK stream must exist (topology). */
export const CoalescingProjectorLayer = (c: ProjectionConnections) =>
  Layer.scoped(
    Projector,
    Effect.gen(function* () {
      const kvm = new Kvm(c.nc);
      const open = (bucket: string) =>
        Effect.tryPromise({
          try: () => kvm.open(bucket),
          catch: (error) => new ProjectionSetupError({ target: 'kv', detail: `opening ${bucket}: ${describeFailure(error)}` }),
        });
      const kv = yield* open(c.names.buckets.stock);
      const availability = yield* open(c.names.buckets.availability);
      const catalogue = yield* open(c.names.buckets.catalogue);
      const channels = yield* followChannels(catalogue, c.names);
      const runtime = yield* Effect.runtime<never>();
      const projector = yield* makeCoalescingProjector({
        kv: makeKvStockWriter({ kv, names: c.names }),
        redis: makeRedisStockWriter({ redis: c.redis, prefix: c.redisPrefix }),
        events: makePublicEventWriter({ js: c.js, names: c.names }),
        announcer: makeAvailabilityAnnouncer({
          kv: availability,
          js: c.js,
          names: c.names,
          timeoutMs: (c.policy ?? defaultProjectionPolicy).writeTimeoutMs,
          warn: (message) => Runtime.runFork(runtime)(Effect.logWarning(message)),
        }),
        channels,
        ...(c.policy === undefined ? {} : { policy: c.policy }),
      });
      yield* onRedisReconnected(c.redis, projector.remirror);
      return projector;
    }),
  );

/** The registered sales channels (catalogue `channel.<id>`), followed for the scope's life. */
export const followChannels = (catalogue: KV, names: Names) =>
  Effect.gen(function* () {
    const channels = new Map<string, ChannelRecord>();
    // Read on every batch the actors hand over: made again only when a channel changes.
    let list: ReadonlyArray<ChannelRecord> = [];
    const onEntry = (entry: KvWatchEntry) =>
      Effect.sync(() => {
        const decoded = entry.operation === 'PUT' ? decodeCatalogueRecord(entry.value) : undefined;
        if (decoded !== undefined && Either.isRight(decoded) && decoded.right.kind === 'channel') channels.set(entry.key, decoded.right);
        else if (entry.operation !== 'PUT') channels.delete(entry.key);
        else return;
        list = [...channels.values()];
      });
    yield* Effect.forkScoped(followBucket({ who: 'out/back of channels', name: names.buckets.catalogue, bucket: catalogue, key: names.keys.channelAll, onEntry, rewatchMs: 1_000 }));
    return () => list;
  });
