// The owner's side of the request path: a queue-group subscription on `inv.req.<shard>`. Each
// message is a batch; every item goes to its SKU's actor, and the batch is answered in one message
// once every item is settled (after its events are durable). When the runner traces, each item gets
// a `process inv.req` span, child of the API span its own traceparent names.
import type { Names, ReplyOutcome, Shard } from '@larder/messaging';
import { decodeRequestBatch, encodeReplyBatch, HeaderNames, SpanAttributeNames, SpanNames } from '@larder/messaging';
import { headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import { Either } from 'effect';
import type { ActorRegistry } from '../Actor/ActorRegistry.js';
import { endProcessSpan, startProcessSpan } from './ProcessSpan.js';

export interface RequestResponderDeps {
  readonly nc: NatsConnection;
  readonly names: Names;
  readonly shard: Shard;
  readonly registry: ActorRegistry;
  readonly log: (message: string) => void;
  /** Present only when the runner traces. */
  readonly tracer?: Tracer | undefined;
}

type Answered = { readonly id: string; readonly outcome: ReplyOutcome };

const answer = (msg: Msg) => (items: ReadonlyArray<Answered>) => {
  const [first, ...rest] = items;
  if (msg.reply !== undefined && first !== undefined) msg.respond(encodeReplyBatch({ v: 1, items: [first, ...rest] }));
};

export const subscribeRequests = ({ nc, names, shard, registry, log, tracer }: RequestResponderDeps): Subscription =>
  nc.subscribe(names.requests.subject(shard), {
    queue: names.requests.queueGroup(shard),
    callback: (error, msg) => {
      if (error !== null) return log(`request subscription of shard ${shard} failed: ${error.message}`);
      const batch = decodeRequestBatch(msg.data);
      if (Either.isLeft(batch)) {
        // Nothing can be matched to an item: say why in a header; the client fails the whole batch.
        const h = headers();
        h.set(HeaderNames.reason, batch.left.reason.slice(0, 1000));
        if (msg.reply !== undefined) msg.respond(new Uint8Array(), { headers: h });
        return log(`refused a request batch on shard ${shard}: ${batch.left.reason}`);
      }
      const { items } = batch.right;
      const reply = answer(msg);
      const outcomes = new Array<Answered>(items.length);
      let left = items.length;
      items.forEach((item, i) => {
        const span =
          tracer === undefined
            ? undefined
            : startProcessSpan(tracer, {
                name: SpanNames.processRequest,
                kind: SpanKind.SERVER,
                command: item.command,
                subject: msg.subject,
                shard,
                traceparent: item.traceparent,
                attributes: { [SpanAttributeNames.batchSize]: items.length },
              });
        const settle = (outcome: ReplyOutcome) => {
          if (span !== undefined) endProcessSpan(span, outcome);
          outcomes[i] = { id: item.id, outcome };
          if (--left === 0) reply(outcomes);
        };
        if (names.shardOf(item.command.sku) !== shard) {
          return settle({ _tag: 'Retry', reason: 'not_owner', detail: `${item.command.sku} is not in shard ${shard}` });
        }
        registry.route({ command: item.command, settle, span });
      });
    },
  });
