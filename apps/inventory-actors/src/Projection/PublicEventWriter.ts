// Publishes public analyst events to stream STOCK on `<ns>.stock.v1.<kind>.<sku>` (and a drop's on
// `<ns>.stock.v1.drop.<kind>.<dropId>.<sku>`), one at a time
// and in order, each with a `Nats-Msg-Id` derived from the event, so a retry within the stream's
// duplicate window is dropped by JetStream instead of reaching analysts twice.
import { encodeDropPublicEvent, encodeLotPublicEvent, encodeStockPublicEvent, type Names } from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Effect } from 'effect';
import { describeFailure, ProjectionWriteError } from './ProjectionErrors.js';
import type { PublicEvent } from './PublicEventsOf.js';

export interface PublicEventWriter {
  /** Publishes `events` in order; stops at the first failure (a retry republishes them all). */
  readonly publish: (events: ReadonlyArray<PublicEvent>) => Effect.Effect<void, ProjectionWriteError>;
}

export interface PublicEventWriterDeps {
  readonly js: JetStreamClient;
  readonly names: Names;
  /** How long to wait for each PubAck. */
  readonly timeoutMs?: number;
}

/**
 * Each event with its `Nats-Msg-Id`: `<sku>:<seq>:<kind>`, then `:<n>` for the n-th (n ≥ 1) further
 * event of the same kind and seq in the list (several locations or several shortfalls in one
 * append). The same list always gives the same ids, so republishing it after a failure is deduplicated.
 */
export const withMsgIds = (events: ReadonlyArray<PublicEvent>) => {
  const seen = new Map<string, number>();
  return events.map((event) => {
    const base =
      'dropId' in event
        ? `${event.sku}:${event.seq}:drop.${event.kind}:${event.dropId}`
        : 'lot' in event
          ? `${event.sku}:${event.seq}:lot.${event.kind}:${event.lot}:${event.location}`
          : `${event.sku}:${event.seq}:${event.kind}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { event, msgID: n === 0 ? base : `${base}:${n}` };
  });
};

export const makePublicEventWriter = ({ js, names, timeoutMs = 5_000 }: PublicEventWriterDeps): PublicEventWriter => ({
  publish: (events) =>
    Effect.tryPromise({
      try: async () => {
        // One at a time: analysts see a SKU's events in the order they happened.
        for (const { event, msgID } of withMsgIds(events)) {
          const [subject, payload] =
            'dropId' in event
              ? [names.stock.dropSubject(event.kind, event.dropId, event.sku), encodeDropPublicEvent(event)]
              : 'lot' in event
                ? [names.stock.lotSubject(event.kind, event.sku), encodeLotPublicEvent(event)]
                : [names.stock.subject(event.kind, event.sku), encodeStockPublicEvent(event)];
          await js.publish(subject, payload, { msgID, timeout: timeoutMs });
        }
      },
      catch: (error) => new ProjectionWriteError({ target: 'events', detail: `stream ${names.stock.stream}: ${describeFailure(error)}` }),
    }),
});
