// KV bucket `stock` for the rebuild: the entry's revision is the token, and a replace is `update` on
// that revision (`create` when there was no entry), refused by the server if anyone wrote since.
import type { Sku } from '@larder/domain';
import { decodeStockView, encodeStockView, type Names, type StockView } from '@larder/messaging';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Effect, Either } from 'effect';
import { compareViews } from '../Audit/CompareProjections.js';
import { CliError, describeError } from './CliErrors.js';
import type { StoredView, ViewStore } from './ViewStore.js';

const isConflict = (error: unknown) =>
  error instanceof JetStreamApiError &&
  (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

/** The token: the key's revision, or null when it has never been written. */
export const makeKvViewStore = (kv: KV, names: Names): ViewStore<number | null> => {
  const fail = (sku: Sku, what: string) => (error: unknown) =>
    new CliError({ message: `KV ${names.buckets.stock} ${what} ${sku}: ${describeError(error)}` });

  const read = (sku: Sku) =>
    Effect.tryPromise({ try: () => kv.get(names.keys.stock(sku)), catch: fail(sku, 'cannot read') }).pipe(
      Effect.map((entry): StoredView<number | null> => {
        const token = entry?.revision ?? null;
        if (entry === null || entry.operation !== 'PUT') return { token, seq: null, unreadable: undefined, differences: () => [] };
        return Either.match(decodeStockView(entry.value), {
          onLeft: (e) => ({ token, seq: null, unreadable: `revision ${entry.revision} does not decode: ${e.reason}`, differences: () => [] }),
          onRight: (view) => ({ token, seq: view.seq, unreadable: undefined, differences: (expected: StockView) => compareViews(expected, view) }),
        });
      }),
    );

  const replace = (sku: Sku, token: number | null, view: StockView) =>
    Effect.tryPromise({
      try: async () => {
        const key = names.keys.stock(sku);
        try {
          await (token === null ? kv.create(key, encodeStockView(view)) : kv.update(key, encodeStockView(view), token));
          return true;
        } catch (error) {
          if (isConflict(error)) return false;
          throw error;
        }
      },
      catch: fail(sku, 'cannot write'),
    });

  return { name: 'kv', read, replace };
};
