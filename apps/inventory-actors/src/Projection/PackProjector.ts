// The variety-pack projection (DESIGN.md §10 "Packs"), run by each runner for the packs of the shards it
// hosts: it follows the recipes (KV `catalogue`) and the newest view of every component (KV `stock`), and
// writes each pack's view (packViewOf) to KV `stock` with its public stock.v1 events on STOCK. Not
// mirrored in Redis, not audited. Coalesced: a component changing thousands of times a second costs a
// pack one write per pass, never two at once.
import { inStockAt, Sku } from '@larder/domain';
import {
  decodeCatalogueRecord,
  decodeStockView,
  type ChannelRecord,
  encodeStockPublicEvent,
  encodeStockView,
  type Names,
  type PackRecipeRecord,
  type Shard,
  type StockPublicEvent,
  type StockView,
} from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Deferred, Duration, Effect, Either, Option, Queue, Runtime, Schedule, Schema } from 'effect';
import { makeAvailabilityAnnouncer } from './AvailabilityAnnouncer.js';
import { scopePositionOf } from './AvailabilityScopes.js';
import { followBucket } from './FollowBucket.js';
import { packViewOf, samePackView } from './PackViewOf.js';
import { describeFailure, ProjectionSetupError, ProjectionWriteError } from './ProjectionErrors.js';
import { defaultProjectionPolicy, type ProjectionPolicy } from './ProjectionPolicy.js';
import { publicEventsOf } from './PublicEventsOf.js';
import { makeWriterLane } from './WriterLane.js';

export interface PackProjectionPolicy {
  /** Changes within this window go out in one pass. */
  readonly coalesceMs: number;
  /** Every owned pack is projected again this often: a failed write, a missed change, a shard taken over. */
  readonly sweepEveryMs: number;
  /** A watch that ended (or failed to start) is started again after this pause. */
  readonly rewatchMs: number;
  readonly writes: ProjectionPolicy;
}

export const defaultPackProjectionPolicy: PackProjectionPolicy = { coalesceMs: 10, sweepEveryMs: 5_000, rewatchMs: 1_000, writes: defaultProjectionPolicy };

export interface PackProjectorDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: Names;
  /** The shards this runner hosts now. */
  readonly owned: () => ReadonlyArray<Shard>;
  readonly policy?: PackProjectionPolicy;
}

export interface PackProjector {
  /** Projects every owned pack again (the hosted shards changed); writes only what differs. */
  readonly reproject: () => void;
}

/**
 * Each event with its `Nats-Msg-Id`: `<pack>:<components' seqs, dot-joined>:<kind>`, then `:<n>` for the
 * n-th further event of that base in the list. Not `withMsgIds`: a pack's own `seq` (its stalest
 * component's) repeats across different states, and JetStream would drop real events as duplicates;
 * the components' seqs together name one state.
 */
export const packMsgIds = (view: StockView, events: ReadonlyArray<StockPublicEvent>) => {
  const versions = view.components.map((c) => c.seq).join('.');
  const seen = new Map<string, number>();
  return events.map((event) => {
    const base = `${view.sku}:${versions}:${event.kind}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { event, msgID: n === 0 ? base : `${base}:${n}` };
  });
};

const isSku = Schema.is(Sku);
/** A stored value is a pack's view: read without the full schema, so an older or partial one counts too. */
const isPackView = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ kind: Schema.Literal('pack') })));

/** Starts the projector in the current scope; it stops (watches, sweeps, writes) when the scope closes. */
export const startPackProjector = (deps: PackProjectorDeps) =>
  Effect.gen(function* () {
    const { js, names } = deps;
    const policy = deps.policy ?? defaultPackProjectionPolicy;
    const kvm = new Kvm(deps.nc);
    const open = (bucket: string) =>
      Effect.tryPromise({
        try: () => kvm.open(bucket),
        catch: (error) => new ProjectionSetupError({ target: 'packs', detail: `opening ${bucket}: ${describeFailure(error)}` }),
      });
    const catalogue = yield* open(names.buckets.catalogue);
    const stock = yield* open(names.buckets.stock);
    const runtime = yield* Effect.runtime<never>();
    const announcer = makeAvailabilityAnnouncer({
      kv: yield* open(names.buckets.availability),
      js,
      names,
      timeoutMs: policy.writes.writeTimeoutMs,
      warn: (message) => Runtime.runFork(runtime)(Effect.logWarning(message)),
    });
    /** Registered sales channels by catalogue key: a pack's back in stock is judged per channel too. */
    const channels = new Map<string, ChannelRecord>();
    /** Packs whose out/back this runner judged since it started (a new owner judges each once, even unchanged). */
    const announced = new Set<Sku>();

    /** Recipes by pack, and by catalogue key (a deleted key names no pack of its own). */
    const recipes = new Map<Sku, PackRecipeRecord>();
    const recipeKeys = new Map<string, Sku>();
    /** Per component SKU: the packs it is part of. */
    const packsOf = new Map<Sku, Set<Sku>>();
    /** The newest view of each component (highest seq); `looked`: its stored view was read since it became one. */
    const views = new Map<Sku, StockView>();
    const looked = new Set<Sku>();
    /** Per pack: the view last written (by this runner while it owns the pack; else as seen in KV). */
    const written = new Map<Sku, StockView>();
    /** Nothing is projected before both buckets' contents are loaded. */
    let ready = false;

    const owns = (pack: Sku) => deps.owned().includes(names.shardOf(pack));

    const lookUpUnseen = async (recipe: PackRecipeRecord) => {
      for (const { sku } of recipe.components) {
        if (views.has(sku) || looked.has(sku)) continue;
        // Its view went by before it became a component: the watch dropped it.
        const entry = await stock.get(names.keys.stock(sku));
        const stored = entry === null || entry.operation !== 'PUT' ? Option.none() : Either.getRight(decodeStockView(entry.value));
        if (Option.isSome(stored) && stored.value.kind === 'sku' && packsOf.has(sku) && (views.get(sku)?.seq ?? 0) < stored.value.seq) views.set(sku, stored.value);
        if (packsOf.has(sku)) looked.add(sku);
      }
    };

    const publish = async (view: StockView, events: ReadonlyArray<StockPublicEvent>, signal: AbortSignal) => {
      for (const { event, msgID } of packMsgIds(view, events)) {
        if (signal.aborted) throw new Error('timed out');
        await js.publish(names.stock.subject(event.kind, view.sku), encodeStockPublicEvent(event), { msgID, timeout: policy.writes.writeTimeoutMs });
      }
    };

    /** The recipe is gone: its view goes too, unless the key holds a SKU's own view or the recipe is back. */
    const remove = async (pack: Sku) => {
      const recipe = await catalogue.get(names.keys.pack(pack));
      if (recipe !== null && recipe.operation === 'PUT') return;
      const entry = await stock.get(names.keys.stock(pack));
      written.delete(pack);
      if (entry === null || entry.operation !== 'PUT' || Option.isNone(isPackView(entry.string()))) return;
      await stock.delete(names.keys.stock(pack), { previousSeq: entry.revision });
    };

    const projectOnce = async (pack: Sku, signal: AbortSignal) => {
      if (!owns(pack)) return;
      const recipe = recipes.get(pack);
      if (recipe === undefined) return remove(pack);
      await lookUpUnseen(recipe);
      const view = packViewOf(recipe, (sku) => views.get(sku));
      const previous = written.get(pack);
      const unchanged = previous !== undefined && samePackView(previous, view);
      if (unchanged && announced.has(pack)) return;
      // Out/back first: a view in KV means its crossings were decided (ADR 0019).
      const componentView = (sku: string) => (isSku(sku) ? views.get(sku) : undefined);
      const at = (v: StockView) => scopePositionOf(v, null, [...channels.values()], componentView);
      // The recipe's version too: a changed recipe can bring the same component seqs to another availability.
      const versions = `${recipe.updatedAt}:${view.components.map((c) => c.seq).join('.')}`;
      await announcer.announce(pack, [at(view)], previous === undefined ? undefined : inStockAt(at(previous)), (c) => `${pack}:${versions}:${c.kind}:${c.key}`);
      if (!signal.aborted) announced.add(pack);
      if (unchanged) return;
      await stock.put(names.keys.stock(pack), encodeStockView(view));
      // `publicEventsOf` makes drop and lot events only from journal batches, and a pack has none.
      const events = publicEventsOf(previous, view, []).flatMap((e) => ('dropId' in e || 'lot' in e ? [] : [e]));
      await publish(view, events, signal);
      // A late finish (past the lane's deadline) must not claim a view the next attempt may replace.
      if (!signal.aborted) written.set(pack, view);
    };

    const lane = yield* makeWriterLane(
      {
        name: 'pack views',
        whenDown: "packs' availability in reads and their stock.v1 events go stale (retried on every change and sweep); SKUs, reads and commands are unaffected",
        write: (pack) =>
          Effect.tryPromise({
            try: (signal) => projectOnce(pack, signal),
            catch: (error) => new ProjectionWriteError({ target: 'packs', detail: `pack ${pack}: ${describeFailure(error)}` }),
          }),
      },
      policy.writes,
    );

    // Changes are collected for `coalesceMs`, then handed to the lane, which writes each pack at most once at a time.
    const touched = new Set<Sku>();
    const wake = yield* Queue.sliding<true>(1);
    const touch = (pack: Sku) => {
      if (!ready || !owns(pack)) return;
      touched.add(pack);
      wake.unsafeOffer(true);
    };
    const handOver = Queue.take(wake).pipe(
      Effect.zipRight(Effect.sleep(Duration.millis(policy.coalesceMs))),
      Effect.zipRight(
        Effect.sync(() => {
          for (const pack of touched) lane.mark(pack);
          touched.clear();
        }),
      ),
    );
    yield* Effect.forkScoped(Effect.forever(handOver));

    // Packs in KV without a recipe (deleted while no owner ran) are touched too, and removed.
    const reproject = () => [...recipes.keys(), ...written.keys()].forEach(touch);

    const setRecipe = (pack: Sku, recipe: PackRecipeRecord | undefined) => {
      for (const { sku } of recipes.get(pack)?.components ?? []) {
        const packs = packsOf.get(sku);
        packs?.delete(pack);
        if (packs?.size !== 0) continue;
        packsOf.delete(sku);
        views.delete(sku);
        looked.delete(sku);
      }
      if (recipe === undefined) recipes.delete(pack);
      else {
        recipes.set(pack, recipe);
        for (const { sku } of recipe.components) packsOf.set(sku, (packsOf.get(sku) ?? new Set<Sku>()).add(pack));
      }
      touch(pack);
    };

    const onCatalogue = (entry: KvWatchEntry) =>
      Effect.gen(function* () {
        if (entry.operation !== 'PUT') {
          channels.delete(entry.key);
          const pack = recipeKeys.get(entry.key);
          recipeKeys.delete(entry.key);
          if (pack !== undefined) setRecipe(pack, undefined);
          return;
        }
        const decoded = decodeCatalogueRecord(entry.value);
        if (Either.isLeft(decoded)) return yield* Effect.logWarning(`packs: catalogue key ${entry.key} ignored, its value does not decode: ${decoded.left.reason}`);
        const record = decoded.right;
        if (record.kind === 'channel') {
          channels.set(entry.key, record);
          return reproject();
        }
        if (record.kind !== 'pack') return;
        if (entry.key !== names.keys.pack(record.pack)) return yield* Effect.logWarning(`packs: catalogue key ${entry.key} ignored, it holds the recipe of ${record.pack}`);
        recipeKeys.set(entry.key, record.pack);
        setRecipe(record.pack, record);
      });

    const onStock = (entry: KvWatchEntry) =>
      Effect.sync(() => {
        if (entry.operation !== 'PUT') {
          // Keys of the stock bucket are SKUs (names.keys.stock).
          if (!isSku(entry.key)) return;
          // A component gone makes no packs; a pack's view deleted by someone else is written again.
          if (views.delete(entry.key)) packsOf.get(entry.key)?.forEach(touch);
          if (written.delete(entry.key)) touch(entry.key);
          return;
        }
        // A value that does not decode is not this projector's to report (the audit and the API's cache do).
        const decoded = decodeStockView(entry.value);
        if (Either.isLeft(decoded)) return;
        const view = decoded.right;
        if (view.kind === 'pack') {
          // Seeds what was written before this runner started, or by the pack's owner; never our own echo.
          if (!ready || !owns(view.sku)) {
            written.set(view.sku, view);
            // Another runner owns it now: when it comes back here, its out/back are judged again.
            announced.delete(view.sku);
          }
          return;
        }
        const packs = packsOf.get(view.sku);
        if (packs === undefined || (views.get(view.sku)?.seq ?? 0) >= view.seq) return;
        views.set(view.sku, view);
        packs.forEach(touch);
      });

    const catalogueLoaded = yield* Deferred.make<void>();
    const stockLoaded = yield* Deferred.make<void>();
    const follow = (name: string, bucket: KV, onEntry: (entry: KvWatchEntry) => Effect.Effect<void>, loaded: Deferred.Deferred<void>) =>
      followBucket({ who: 'packs', name, bucket, onEntry, loaded, rewatchMs: policy.rewatchMs });
    yield* Effect.forkScoped(follow(names.buckets.catalogue, catalogue, onCatalogue, catalogueLoaded));
    // The recipes first, so the first contents of `stock` keep every component's view.
    yield* Effect.forkScoped(Deferred.await(catalogueLoaded).pipe(Effect.zipRight(follow(names.buckets.stock, stock, onStock, stockLoaded))));
    yield* Effect.forkScoped(
      Deferred.await(stockLoaded).pipe(
        Effect.zipRight(Effect.sync(() => (ready = true))),
        Effect.zipRight(Effect.repeat(Effect.sync(reproject), Schedule.spaced(Duration.millis(policy.sweepEveryMs)))),
      ),
    );

    const projector: PackProjector = { reproject };
    return projector;
  });
