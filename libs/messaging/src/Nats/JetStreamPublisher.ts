// JetStream publishes for the hot path (DESIGN.md §2 "cheap appends"): a plain core publish with
// a reply subject on the process's one wildcard inbox, PubAcks matched by a counter, and one
// sweep for time-outs, instead of a promise, a timer and error objects per `js.publish` call.
import type { MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { decodePubAck, type PubAck, type PubAckFailure } from './PubAck.js';

export interface JetStreamPublisher {
  /** Publishes and waits for the stream's PubAck (or a failure, never a throw). */
  readonly publish: (subject: string, payload: Uint8Array, headers?: MsgHdrs) => Effect.Effect<PubAck, PubAckFailure>;
  /** In-flight publishes, for metrics and drain. */
  readonly inFlight: () => number;
  readonly close: () => void;
}

interface Waiting {
  readonly deadline: number;
  readonly settle: (result: Either.Either<PubAck, PubAckFailure>) => void;
}

export interface JetStreamPublisherOptions {
  /** The process's inbox prefix (`Names.inbox.prefix`); acks arrive on `<prefix>.ack.<n>`. */
  readonly inboxPrefix: string;
  readonly timeoutMs: number;
}

export const makeJetStreamPublisher = (nc: NatsConnection, options: JetStreamPublisherOptions): JetStreamPublisher => {
  const waiting = new Map<number, Waiting>();
  const ackPrefix = `${options.inboxPrefix}.ack`;
  let counter = 0;

  const answer = (id: number, result: Either.Either<PubAck, PubAckFailure>) => {
    const w = waiting.get(id);
    if (w === undefined) return; // timed out already: the sweep answered it
    waiting.delete(id);
    w.settle(result);
  };

  const subscription: Subscription = nc.subscribe(`${ackPrefix}.*`, {
    callback: (error, msg) => {
      if (error !== null) return;
      const id = Number(msg.subject.slice(ackPrefix.length + 1));
      if (msg.headers?.code === 503) {
        return answer(id, Either.left({ _tag: 'NoStream', description: `no stream captures this subject (${msg.headers.description})` }));
      }
      answer(id, decodePubAck(msg.data));
    },
  });

  const sweepEvery = Math.max(10, Math.min(100, Math.floor(options.timeoutMs / 4)));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, w] of waiting) {
      if (w.deadline <= now) answer(id, Either.left({ _tag: 'Timeout', description: `no PubAck within ${options.timeoutMs} ms` }));
    }
  }, sweepEvery);
  sweep.unref();

  const publish = (subject: string, payload: Uint8Array, headers?: MsgHdrs) =>
    Effect.async<PubAck, PubAckFailure>((resume) => {
      const id = ++counter;
      waiting.set(id, { deadline: Date.now() + options.timeoutMs, settle: (r) => resume(r) });
      try {
        nc.publish(subject, payload, { reply: `${ackPrefix}.${id}`, ...(headers === undefined ? {} : { headers }) });
      } catch (error) {
        answer(id, Either.left({ _tag: 'Timeout', description: `publish failed: ${String(error)}` }));
      }
      // Interrupted while waiting: forget it; a late PubAck is then ignored.
      return Effect.sync(() => waiting.delete(id));
    });

  return {
    publish,
    inFlight: () => waiting.size,
    close: () => {
      clearInterval(sweep);
      subscription.unsubscribe();
      for (const id of [...waiting.keys()]) answer(id, Either.left({ _tag: 'Timeout', description: 'publisher closed' }));
    },
  };
};
