// Read access to the journal (INV_EVT) for the CLI, through the runner's own JetStream journal: the
// same per-SKU reads the actors replay on takeover. The CLI never appends.
import { makeJetStreamPublisher } from '@larder/messaging';
import { Effect } from 'effect';
import { makeJetStreamJournal } from '../Journal/JetStreamJournal.js';
import type { NatsSession } from './NatsSession.js';

export const openJournal = (session: NatsSession) =>
  Effect.gen(function* () {
    const publisher = yield* Effect.acquireRelease(
      Effect.sync(() => makeJetStreamPublisher(session.nc, { inboxPrefix: session.names.inbox.prefix(session.processId), timeoutMs: 5_000 })),
      (p) => Effect.sync(() => p.close()),
    );
    return makeJetStreamJournal({ names: session.names, jsm: session.jsm, publisher });
  });
