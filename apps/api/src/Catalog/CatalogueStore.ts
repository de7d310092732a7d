// Pack recipes, stock locations and sales channels in KV `catalogue` (ADR 0016), read from each instance's watched copy
// so a hold never waits on NATS to learn what a pack is made of or which location comes first. Writes
// go to KV; what this instance wrote wins in its copy until the watch brings it back (read-your-writes).
import { priorityOrder, type ChannelId, type LocationId, type PackRecipe, type Sku } from '@larder/domain';
import { decodeCatalogueRecord, encodeCatalogueRecord, type CatalogueRecord, type ChannelRecord, type LocationRecord, type Names, type PackRecipeRecord } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { startKvWatchCache } from '../Stock/KvWatchCache.js';

export interface CatalogueStore {
  /** Every pack's recipe, by pack SKU (this instance's copy). */
  readonly recipes: () => ReadonlyMap<Sku, PackRecipe>;
  readonly recipe: (sku: Sku) => PackRecipeRecord | undefined;
  readonly location: (id: LocationId) => LocationRecord | undefined;
  /** Every registered location, highest priority first. */
  readonly locations: () => ReadonlyArray<LocationRecord>;
  /** The order a line without a location tries them (sent with each hold and sale). */
  readonly preference: () => ReadonlyArray<LocationId>;
  readonly putRecipe: (record: PackRecipeRecord) => Promise<void>;
  /** Makes a pack a plain SKU again (its holds already placed are untouched). */
  readonly removeRecipe: (sku: Sku) => Promise<void>;
  readonly putLocation: (record: LocationRecord) => Promise<void>;
  readonly channel: (id: ChannelId) => ChannelRecord | undefined;
  /** Every registered sales channel, by id. */
  readonly channels: () => ReadonlyArray<ChannelRecord>;
  readonly putChannel: (record: ChannelRecord) => Promise<void>;
  readonly whenReady: Promise<void>;
  readonly stop: () => void;
}

type Entry = { readonly record: CatalogueRecord | undefined; readonly at: number };

const keyOf = (names: Names, record: CatalogueRecord) => {
  switch (record.kind) {
    case 'pack':
      return names.keys.pack(record.pack);
    case 'location':
      return names.keys.location(record.location);
    case 'channel':
      return names.keys.channel(record.channel);
  }
};

export const startCatalogueStore = async (kv: KV, names: Names, onBadValue: (key: string, reason: string) => void): Promise<CatalogueStore> => {
  const cache = await startKvWatchCache(kv, { decode: decodeCatalogueRecord, onBadValue });
  /** Written here and not yet seen back through the watch (undefined: removed here). */
  const written = new Map<string, Entry>();
  let derived:
    | { readonly recipes: ReadonlyMap<Sku, PackRecipe>; readonly locations: ReadonlyArray<LocationRecord>; readonly preference: ReadonlyArray<LocationId>; readonly channels: ReadonlyArray<ChannelRecord> }
    | undefined;
  const forget = () => {
    derived = undefined;
  };
  cache.onUpdate(forget);
  cache.onRemove(forget);
  const newest = (key: string) => {
    const mine = written.get(key);
    const seen = cache.get(key);
    if (mine !== undefined && mine.record === undefined && seen === undefined) {
      // Removed here, and the watch has seen the delete too.
      written.delete(key);
      return undefined;
    }
    if (mine !== undefined && (seen === undefined || seen.updatedAt < mine.at)) return mine.record;
    if (mine !== undefined) written.delete(key);
    return seen;
  };
  const build = () => {
    if (derived !== undefined && written.size === 0) return derived;
    const keys = new Set<string>(written.keys());
    for (const value of cache.values()) keys.add(keyOf(names, value));
    const recipes = new Map<Sku, PackRecipe>();
    const locations: Array<LocationRecord> = [];
    const channels: Array<ChannelRecord> = [];
    for (const key of keys) {
      const record = newest(key);
      if (record?.kind === 'pack') recipes.set(record.pack, { pack: record.pack, components: record.components });
      else if (record?.kind === 'location') locations.push(record);
      else if (record?.kind === 'channel') channels.push(record);
    }
    channels.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
    const preference = priorityOrder(locations.map((l) => ({ location: l.location, priority: l.priority })));
    const byId = new Map(locations.map((l) => [l.location, l]));
    const next = { recipes, locations: preference.flatMap((id) => byId.get(id) ?? []), preference, channels };
    if (written.size === 0) derived = next;
    return next;
  };
  const put = async (key: string, record: CatalogueRecord) => {
    await kv.put(key, encodeCatalogueRecord(record));
    written.set(key, { record, at: record.updatedAt });
    derived = undefined;
  };
  return {
    recipes: () => build().recipes,
    recipe: (sku) => {
      const record = newest(names.keys.pack(sku));
      return record?.kind === 'pack' ? record : undefined;
    },
    location: (id) => {
      const record = newest(names.keys.location(id));
      return record?.kind === 'location' ? record : undefined;
    },
    locations: () => build().locations,
    preference: () => build().preference,
    putRecipe: (record) => put(names.keys.pack(record.pack), record),
    removeRecipe: async (sku) => {
      await kv.delete(names.keys.pack(sku));
      written.set(names.keys.pack(sku), { record: undefined, at: Date.now() });
      derived = undefined;
    },
    putLocation: (record) => put(names.keys.location(record.location), record),
    channel: (id) => {
      const record = newest(names.keys.channel(id));
      return record?.kind === 'channel' ? record : undefined;
    },
    channels: () => build().channels,
    putChannel: (record) => put(names.keys.channel(record.channel), record),
    whenReady: cache.whenReady,
    stop: cache.stop,
  };
};
