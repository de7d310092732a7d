// The last journal sequence of every SKU in a shard, in one pass: an ephemeral consumer with
// `deliver_policy: last_per_subject` (nats-server 2.9) over `inv.evt.<shard>.*`. Used on takeover
// to find the SKUs whose snapshot is behind the journal.
import type { Sku } from '@larder/domain';
import type { Names, Shard } from '@larder/messaging';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { JournalUnavailableError } from './JournalErrors.js';

export const lastSequences = (js: JetStreamClient, jsm: JetStreamManager, names: Names, shard: Shard) =>
  Effect.tryPromise({
    try: async () => {
      const stream = names.journal.stream;
      const filter = names.journal.shardFilter(shard);
      const last = new Map<Sku, number>();
      const info = await jsm.consumers.add(stream, {
        filter_subject: filter,
        deliver_policy: DeliverPolicy.LastPerSubject,
        ack_policy: AckPolicy.None,
        inactive_threshold: nanos(30_000),
        mem_storage: true,
      });
      try {
        let pending = info.num_pending;
        const consumer = await js.consumers.get(stream, info.name);
        while (pending > 0) {
          const batch = await consumer.fetch({ max_messages: Math.min(pending, 5_000), expires: 2_000 });
          let got = 0;
          for await (const m of batch) {
            got++;
            pending = m.info.pending;
            const address = names.parseEventSubject(m.subject);
            if (Either.isRight(address)) last.set(address.right.sku, m.seq);
          }
          if (got === 0) break;
        }
      } finally {
        await jsm.consumers.delete(stream, info.name).catch(() => undefined);
      }
      return last;
    },
    catch: (error) =>
      new JournalUnavailableError({ subject: names.journal.shardFilter(shard), detail: `listing last sequences: ${String(error)}` }),
  });
