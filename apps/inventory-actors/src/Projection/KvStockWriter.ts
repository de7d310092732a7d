// Writes StockViews to KV bucket `stock` (key `<sku>`), which feeds every API instance's cache.
// Compare-and-set on the key's revision, so a higher `seq` always wins, even across owners.
import type { Sku } from '@larder/domain';
import { decodeStockView, encodeStockView, type Names, type StockView } from '@larder/messaging';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Effect, Either, Option } from 'effect';
import { describeFailure, ProjectionWriteError } from './ProjectionErrors.js';
import type { StockViewWriter } from './StockViewWriter.js';

export interface KvStockWriterDeps {
  readonly kv: KV;
  readonly names: Names;
}

/** Conflicts in a row before a write gives up (and is retried later by the projector). */
const MaxConflicts = 5;

const isWrongLastSequence = (error: unknown): boolean =>
  error instanceof JetStreamApiError &&
  (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

/** The view stored for `sku` with its revision; `None` when there is none or it does not decode. */
export const readKvStockView = async (kv: KV, names: Names, sku: Sku) => {
  const entry = await kv.get(names.keys.stock(sku));
  if (entry === null || entry.operation !== 'PUT') return { revision: entry?.revision, view: Option.none<StockView>() };
  return { revision: entry.revision, view: Either.getRight(decodeStockView(entry.value)) };
};

/**
 * Why compare-and-set and not a plain `put`: within one runner the projector writes a SKU's key
 * one write at a time, newest view only, so `put` would do. But a deposed owner (paused past its
 * lease, or still flushing while the next owner starts) can land an older view after the new
 * owner's newer one, and a `put` would move readers backwards until the SKU changes again. So each
 * write is `update` on the revision this writer last saw (`create` for a key it has not seen); on
 * a conflict it reads the stored view back and writes only if its own `seq` is higher. A view no
 * newer than the last one this writer saw is skipped without a request. Steady state costs one
 * request per write, like `put`.
 */
export const makeKvStockWriter = ({ kv, names }: KvStockWriterDeps): StockViewWriter => {
  /** Per SKU: the key's revision and the view's seq as this writer last saw them. */
  const seen = new Map<Sku, { readonly revision: number; readonly seq: number }>();

  const writeOnce = async (view: StockView): Promise<void> => {
    const key = names.keys.stock(view.sku);
    const data = encodeStockView(view);
    for (let conflicts = 0; conflicts < MaxConflicts; conflicts++) {
      const last = seen.get(view.sku);
      if (last !== undefined && last.seq >= view.seq) return;
      try {
        const revision = last === undefined ? await kv.create(key, data) : await kv.update(key, data, last.revision);
        seen.set(view.sku, { revision, seq: view.seq });
        return;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      // Someone else wrote the key since we last did (another owner, or a runner before this one).
      const stored = await readKvStockView(kv, names, view.sku);
      if (stored.revision === undefined) seen.delete(view.sku);
      // A stored value that does not decode (or a delete marker) is overwritten: seq 0 is below any view.
      else seen.set(view.sku, { revision: stored.revision, seq: Option.match(stored.view, { onNone: () => 0, onSome: (v) => v.seq }) });
    }
    throw new Error(`key ${key} kept changing under ${MaxConflicts} compare-and-set attempts`);
  };

  return {
    write: (view) =>
      Effect.tryPromise({
        try: () => writeOnce(view),
        catch: (error) => new ProjectionWriteError({ target: 'kv', detail: `bucket ${names.buckets.stock}: ${describeFailure(error)}` }),
      }),
  };
};
