// Reads a SKU's whole journal the way a runner does, for assertions against what was acknowledged.
import { fold, initialState, type Event, type Sku, type SkuState } from '@larder/domain';
import { makeJetStreamPublisher } from '@larder/messaging';
import { Effect } from 'effect';
import type { JournalRecord } from '../../src/Journal/Journal.js';
import { makeJetStreamJournal } from '../../src/Journal/JetStreamJournal.js';
import type { RunnerFixture } from './RunnerFixture.js';

export const journalOf = async (f: RunnerFixture, sku: Sku): Promise<ReadonlyArray<JournalRecord>> => {
  const publisher = makeJetStreamPublisher(f.nc, { inboxPrefix: `${f.names.namespace}._INBOX.reader`, timeoutMs: 5_000 });
  try {
    return await Effect.runPromise(makeJetStreamJournal({ names: f.names, jsm: f.jsm, publisher }).read(sku, 0));
  } finally {
    publisher.close();
  }
};

export const eventsOf = async (f: RunnerFixture, sku: Sku): Promise<ReadonlyArray<Event>> =>
  (await journalOf(f, sku)).flatMap((r) => r.events);

/** The state a full replay of the journal gives: the truth every other view is checked against. */
export const replayedState = async (f: RunnerFixture, sku: Sku): Promise<SkuState> => fold(initialState(sku), await eventsOf(f, sku));
