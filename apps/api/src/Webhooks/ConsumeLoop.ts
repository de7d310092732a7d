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
        messages = await consumer.consume({ max_messages: options.maxInFlight });
        for await (const m of messages) {
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
