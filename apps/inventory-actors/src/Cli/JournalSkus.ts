// Every SKU that has a journal: the subjects of INV_EVT, read from the stream's info with a subjects
// filter (the client pages through long lists), each parsed back into its SKU.
import type { Sku } from '@larder/domain';
import { Effect, Either } from 'effect';
import type { NatsSession } from './NatsSession.js';

export interface JournalSkus {
  /** In order. */
  readonly skus: ReadonlyArray<Sku>;
  /** Subjects in the stream that are not `<ns>.inv.evt.<shard>.<sku>` (never written by a runner). */
  readonly strays: ReadonlyArray<string>;
}

export const journalSkus = (session: NatsSession) =>
  Effect.tryPromise({
    try: async (): Promise<JournalSkus> => {
      const { names, jsm } = session;
      const filter = names.journal.streamSubjects[0] ?? '>';
      const info = await jsm.streams.info(names.journal.stream, { subjects_filter: filter });
      const skus: Array<Sku> = [];
      const strays: Array<string> = [];
      for (const subject of Object.keys(info.state.subjects ?? {})) {
        const address = names.parseEventSubject(subject);
        if (Either.isRight(address)) skus.push(address.right.sku);
        else strays.push(subject);
      }
      return { skus: skus.sort(), strays: strays.sort() };
    },
    catch: session.failure(`stream ${session.names.journal.stream}`),
  });
