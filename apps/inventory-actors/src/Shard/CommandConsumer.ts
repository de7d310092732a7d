// The owner's side of the async path: the shard's durable pull consumer on `inv.cmd.<shard>.*`.
// A command is acked only after its events are durable (or it was refused for good); a message
// that cannot be a command goes to INV_DLQ with the reason at once, and one that keeps failing
// after `maxDeliveries` follows it. The consumer never stops on a bad message. When the runner
// traces, each command gets a `process inv.cmd` span, child of the API span its `traceparent` header names.
import { EpochMillis, type Sku } from '@larder/domain';
import { decodeCommandMessage, encodeDeadLetter, HeaderNames, SpanNames, type Names, type Shard } from '@larder/messaging';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import { Effect, Either } from 'effect';
import type { ActorRegistry } from '../Actor/ActorRegistry.js';
import { endProcessSpan, startProcessSpan } from './ProcessSpan.js';

export interface CommandConsumerDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly shard: Shard;
  readonly registry: ActorRegistry;
  readonly maxDeliveries: number;
  readonly log: (message: string) => void;
  /** Present only when the runner traces. */
  readonly tracer?: Tracer | undefined;
}

/** Which delivery of the message this is (1: the first): a redelivered command says so on its span. */
const DeliveryCountAttribute = 'larder.delivery';

const headerRecord = (m: JsMsg): Record<string, Array<string>> => {
  const out: Record<string, Array<string>> = {};
  if (m.headers === undefined) return out;
  for (const key of m.headers.keys()) out[key] = m.headers.values(key);
  return out;
};

/** Ensures the durable consumer and consumes until the scope closes. */
export const consumeCommands = (deps: CommandConsumerDeps) =>
  Effect.gen(function* () {
    const { js, jsm, names, shard, registry, maxDeliveries, log, tracer } = deps;
    const stream = names.commands.stream;
    const durable = names.commands.durable(shard);
    yield* Effect.tryPromise(() =>
      jsm.consumers.add(stream, {
        durable_name: durable,
        filter_subject: names.commands.shardFilter(shard),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(30_000),
        max_ack_pending: 2_000,
      }),
    );
    const consumer = yield* Effect.tryPromise(() => js.consumers.get(stream, durable));
    const messages = yield* Effect.tryPromise(() => consumer.consume({ max_messages: 512 }));
    yield* Effect.addFinalizer(() => Effect.promise(() => messages.close()).pipe(Effect.ignore));

    const deadLetter = (m: JsMsg, reason: string) =>
      js
        .publish(
          names.deadLetters.subject(shard),
          encodeDeadLetter({
            v: 1,
            reason,
            subject: m.subject,
            original: m.data,
            headers: headerRecord(m),
            failedAt: EpochMillis.make(Date.now()),
            deliveries: m.info.deliveryCount,
          }),
          { msgID: `dlq:${stream}:${m.seq}` },
        )
        .then(
          () => {
            log(`dead-lettered ${m.subject} (stream seq ${m.seq}): ${reason}`);
            m.ack();
          },
          // The DLQ itself is down: leave the command for redelivery rather than lose it.
          (error: unknown) => {
            m.nak(5_000);
            log(`could not dead-letter ${m.subject}: ${String(error)}; it will be redelivered`);
          },
        );

    const handle = (m: JsMsg): void => {
      const address = names.parseCommandSubject(m.subject);
      if (Either.isLeft(address)) return void deadLetter(m, `not a command subject: ${address.left.reason}`);
      const decoded = decodeCommandMessage(m.data);
      if (Either.isLeft(decoded)) return void deadLetter(m, decoded.left.reason);
      const { command } = decoded.right;
      const sku: Sku = address.right.sku;
      if (command.sku !== sku) {
        return void deadLetter(m, `the subject names SKU "${sku}" but the command is for "${command.sku}"`);
      }
      const span =
        tracer === undefined
          ? undefined
          : startProcessSpan(tracer, {
              name: SpanNames.processCommand,
              kind: SpanKind.CONSUMER,
              command,
              subject: m.subject,
              shard,
              traceparent: m.headers?.get(HeaderNames.traceParent),
              attributes: { [DeliveryCountAttribute]: m.info.deliveryCount },
            });
      registry.route({
        command,
        span,
        settle: (outcome) => {
          if (span !== undefined) endProcessSpan(span, outcome);
          if (outcome._tag === 'Accepted') return m.ack();
          if (outcome._tag === 'Rejected') {
            log(`async ${command._tag} ${command.commandId} on ${sku} refused: ${outcome.rejection._tag}`);
            return m.ack();
          }
          // Ownership moving is not the command's fault: it waits for the next owner, however long.
          const ownership = outcome.reason === 'not_owner' || outcome.reason === 'shutting_down';
          if (ownership) return m.nak(1_000);
          if (m.info.deliveryCount >= maxDeliveries) {
            return void deadLetter(m, `gave up after ${m.info.deliveryCount} deliveries: ${outcome.reason}: ${outcome.detail}`);
          }
          m.nak(Math.min(30_000, 250 * 2 ** m.info.deliveryCount));
        },
      });
    };

    yield* Effect.forkScoped(
      Effect.promise(async () => {
        for await (const m of messages) handle(m);
      }),
    );
  });
