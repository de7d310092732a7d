// The last journal sequence of every SKU in a shard, in one pass: an ephemeral consumer with
// `deliver_policy: last_per_subject` (nats-server 2.9) over `inv.evt.<shard>.*`. Used on takeover
// to find the SKUs whose snapshot is behind the journal.
import type { Sku } from '@larder/domain';
import { readStored, type Names, type Shard } from '@larder/messaging';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Effect, Either } from 'effect';
import { JournalUnavailableError } from './JournalErrors.js';

export const lastSequences = (js: JetStreamClient, jsm: JetStreamManager, names: Names, shard: Shard) =>
  Effect.tryPromise({
    try: async () => {
      const stream = names.journal.stream;
      const filter = names.journal.shardFilter(shard);
      const last = new Map<Sku, number>();
      await readStored(js, jsm, stream, { filterSubject: filter, deliverPolicy: DeliverPolicy.LastPerSubject, batch: 5_000 }, (m) => {
        const address = names.parseEventSubject(m.subject);
        if (Either.isRight(address)) last.set(address.right.sku, m.seq);
      });
      return last;
    },
    catch: (error) =>
      new JournalUnavailableError({ subject: names.journal.shardFilter(shard), detail: `listing last sequences: ${String(error)}` }),
  });
