// Pulls one durable consumer with at most `maxInFlight` messages being handled at a time, until
// stopped; a consumer that is missing or a connection that drops is retried every second. Stopping
// waits for the messages in hand (bounded): one not finished is redelivered after its ack wait.
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';

export interface ConsumeLoopOptions {
  readonly stream: string;
  readonly durable: string;
  readonly maxInFlight: number;
  /** How long `stop` waits for the messages in hand. */
  readonly drainMs: number;
  readonly handle: (message: JsMsg) => Promise<void>;
  readonly warn: (detail: string) => void;
  /** Called before each retry after a failure: recreates the consumer if an operator (or a stream reset) removed it. */
  readonly repair?: () => Promise<void>;
}

export interface ConsumeLoop {
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const bounded = (work: Promise<unknown>, ms: number) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    void work.catch(() => undefined).finally(() => {
      clearTimeout(timer);
      done();
    });
  });

export const startConsumeLoop = (js: JetStreamClient, options: ConsumeLoopOptions): ConsumeLoop => {
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  const inFlight = new Set<Promise<void>>();
  const run = async () => {
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(options.stream, options.durable);
        if (stopped) break;
        // Without abort_on_missing_resource the iterator waits forever for a deleted consumer, silently.
        messages = await consumer.consume({ max_messages: options.maxInFlight, abort_on_missing_resource: true });
        if (stopped) break;
        for await (const m of messages) {
          if (stopped) {
            // Buffered before the stop: another instance takes it now, and no attempt is spent on it.
            m.nak();
            continue;
          }
          const work: Promise<void> = options
            .handle(m)
            .catch((error: unknown) => options.warn(`handling message ${m.seq} failed (it will be redelivered): ${String(error)}`))
            .finally(() => inFlight.delete(work));
          inFlight.add(work);
          while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight);
        }
      } catch (error) {
        if (!stopped) options.warn(`consuming ${options.stream}/${options.durable} failed, retrying in 1 s: ${String(error)}`);
      }
      if (!stopped) await sleep(1_000);
      if (!stopped && options.repair !== undefined) {
        await options.repair().catch((error: unknown) => options.warn(`could not recreate ${options.stream}/${options.durable}: ${String(error)}`));
      }
    }
  };
  const done = run();
  return {
    stop: async () => {
      stopped = true;
      await messages?.close().catch(() => undefined);
      await bounded(Promise.all([done, ...inFlight]), options.drainMs);
    },
  };
};
