// The SKUs a command works on: the one named by `--sku`, or every SKU that has a journal.
import type { Sku } from '@larder/domain';
import { parseSku } from '@larder/messaging';
import { Effect, Either } from 'effect';
import { UsageError } from './CliErrors.js';
import { journalSkus } from './JournalSkus.js';
import type { NatsSession } from './NatsSession.js';

export const selectSkus = (session: NatsSession, only: string | undefined) =>
  Effect.gen(function* () {
    if (only === undefined) return yield* journalSkus(session);
    const sku = parseSku(only);
    if (Either.isLeft(sku)) return yield* new UsageError({ message: `--sku "${only}" is not a SKU: ${sku.left.reason}` });
    const skus: ReadonlyArray<Sku> = [sku.right];
    return { skus, strays: [] };
  });
