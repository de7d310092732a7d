// How far a durable JetStream consumer is behind: messages not yet delivered (`num_pending`) plus
// messages delivered and not yet acknowledged (`num_ack_pending`). Null when the consumer does not
// exist (a shard no runner has ever served).
import { Effect } from 'effect';
import { isNotFound, type NatsSession } from './NatsSession.js';

export interface ConsumerLag {
  readonly pending: number;
  readonly ackPending: number;
  readonly lag: number;
}

export const consumerLag = (session: NatsSession, stream: string, durable: string) =>
  Effect.tryPromise({
    try: async (): Promise<ConsumerLag | null> => {
      try {
        const info = await session.jsm.consumers.info(stream, durable);
        return { pending: info.num_pending, ackPending: info.num_ack_pending, lag: info.num_pending + info.num_ack_pending };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    catch: session.failure(`consumer ${durable} of ${stream}`),
  });
