// The delivery log of each endpoint (ADR 0015): one JetStream message per attempt on
// `<ns>.webhooks.log.<id>` in WEBHOOK_LOG, which keeps the last 1,000 per endpoint.
import { makeJsonCodec, type Names } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Either, Schema } from 'effect';
import { readSubject } from './ReadSubject.js';

export const DeliveryOutcome = Schema.Literal('delivered', 'failed', 'dead_lettered');
export type DeliveryOutcome = typeof DeliveryOutcome.Type;

export const LogEntry = Schema.Struct({
  v: Schema.Literal(1),
  /** The event's `webhook-id`. */
  webhookId: Schema.String,
  type: Schema.String,
  /** 1 for the first attempt; a replay starts again at 1. */
  attempt: Schema.Int,
  replay: Schema.Boolean,
  /** When the attempt ended (ISO 8601). */
  at: Schema.String,
  outcome: DeliveryOutcome,
  status: Schema.optional(Schema.Int),
  error: Schema.optional(Schema.String),
  durationMs: Schema.Int,
});
export type LogEntry = typeof LogEntry.Type;

const codec = makeJsonCodec(LogEntry, { name: 'WebhookLogEntry', onExcessProperty: 'ignore' });

export interface DeliveryLog {
  readonly append: (endpointId: string, entry: LogEntry) => Promise<void>;
  /** Newest first, at most `limit`. */
  readonly list: (endpointId: string, limit: number) => Promise<ReadonlyArray<LogEntry>>;
}

export const makeDeliveryLog = (js: JetStreamClient, jsm: JetStreamManager, names: Names): DeliveryLog => ({
  append: async (endpointId, entry) => {
    await js.publish(names.webhooks.log.subject(endpointId), codec.encode(entry));
  },
  list: async (endpointId, limit) => {
    const stored = await readSubject(js, jsm, names.webhooks.log.stream, names.webhooks.log.subject(endpointId));
    return stored
      .flatMap((m) => Either.match(codec.decode(m.data), { onLeft: () => [], onRight: (e) => [e] }))
      .reverse()
      .slice(0, limit);
  },
});
