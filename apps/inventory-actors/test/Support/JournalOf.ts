// Reads a SKU's whole journal the way a runner does, for assertions against what was acknowledged.
import { fold, initialState, type Event, type Sku, type SkuState } from '@larder/domain';
import { makeJetStreamPublisher } from '@larder/messaging';
import { Effect, Schedule } from 'effect';
import type { JournalRecord } from '../../src/Journal/Journal.js';
import { makeJetStreamJournal } from '../../src/Journal/JetStreamJournal.js';
import type { RunnerFixture } from './RunnerFixture.js';

export const journalOf = async (f: RunnerFixture, sku: Sku): Promise<ReadonlyArray<JournalRecord>> => {
  const publisher = makeJetStreamPublisher(f.nc, { inboxPrefix: `${f.names.namespace}._INBOX.reader`, timeoutMs: 5_000 });
  try {
    // A fault test reads right after its fault (a cluster electing a stream leader, NATS restarting):
    // a read the system would retry is retried here too, for up to ~10 s, before it fails the test.
    return await Effect.runPromise(
      makeJetStreamJournal({ names: f.names, jsm: f.jsm, publisher })
        .read(sku, 0)
        .pipe(
          Effect.retry({
            schedule: Schedule.spaced('250 millis').pipe(Schedule.intersect(Schedule.recurs(40))),
            while: (error) => error._tag === 'JournalUnavailableError',
          }),
        ),
    );
  } finally {
    publisher.close();
  }
};

export const eventsOf = async (f: RunnerFixture, sku: Sku): Promise<ReadonlyArray<Event>> =>
  (await journalOf(f, sku)).flatMap((r) => r.events);

/** The state a full replay of the journal gives: the truth every other view is checked against. */
export const replayedState = async (f: RunnerFixture, sku: Sku): Promise<SkuState> => fold(initialState(sku), await eventsOf(f, sku));
