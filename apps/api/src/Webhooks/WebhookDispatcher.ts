// Delivers webhooks from this API instance (ADR 0015): for every registration in KV `webhooks` (a
// watch, so every instance sees each PUT and DELETE), two consume loops on the endpoint's durable
// consumers, each with its own bound on deliveries in flight — one slow or dead endpoint only ever
// holds its own slots, never another endpoint's nor the sales API's. Stopping drains the loops.
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { startConsumeLoop, type ConsumeLoop } from './ConsumeLoop.js';
import { deliverReplayMessage, deliverStockMessage, type DeliverDeps } from './DeliverMessage.js';
import type { WebhookRegistration } from './WebhookEndpoint.js';
import { ensureWebhookConsumers } from './WebhookConsumers.js';
import type { WebhookStore } from './WebhookStore.js';

export interface WebhookDispatcher {
  readonly stop: () => Promise<void>;
}

interface Running {
  registration: WebhookRegistration;
  readonly loops: ReadonlyArray<ConsumeLoop>;
}

export const startWebhookDispatcher = async (
  js: JetStreamClient,
  jsm: JetStreamManager,
  store: WebhookStore,
  deps: DeliverDeps,
): Promise<WebhookDispatcher> => {
  const { names, settings } = deps;
  const running = new Map<string, Running>();

  const start = (registration: WebhookRegistration): Running => {
    const id = registration.id;
    const current = () => running.get(id)?.registration ?? registration;
    const loop = (stream: string, durable: string, handle: (m: Parameters<typeof deliverStockMessage>[2]) => Promise<void>) =>
      startConsumeLoop(js, {
        stream,
        durable,
        maxInFlight: settings.maxInFlight,
        drainMs: settings.timeoutMs + 1_000,
        handle,
        warn: (detail) => deps.warn(`webhook ${id}: ${detail}`),
        // Only while still registered: a DELETE's consumers must stay deleted.
        repair: async () => {
          const still = running.get(id);
          if (still !== undefined) await ensureWebhookConsumers(jsm, names, id, still.registration.events, settings.timeoutMs);
        },
      });
    return {
      registration,
      loops: [
        loop(names.stock.stream, names.webhooks.durable(id), (m) => deliverStockMessage(deps, current(), m)),
        loop(names.webhooks.replays.stream, names.webhooks.replays.durable(id), (m) => deliverReplayMessage(deps, current(), m)),
      ],
    };
  };

  const stopOne = async (id: string) => {
    const r = running.get(id);
    running.delete(id);
    if (r !== undefined) await Promise.all(r.loops.map((l) => l.stop()));
  };

  const onChange = (id: string, registration: WebhookRegistration | undefined) => {
    if (registration === undefined) {
      void stopOne(id);
      return;
    }
    const known = running.get(id);
    if (known !== undefined) {
      // Same consumers; the new url, secret and events apply from the next message on.
      known.registration = registration;
      return;
    }
    running.set(id, start(registration));
    // The PUT created the consumers; this repairs ones an operator deleted (the loops retry meanwhile).
    void ensureWebhookConsumers(jsm, names, id, registration.events, settings.timeoutMs).catch((error: unknown) =>
      deps.warn(`webhook ${id}: could not check its consumers: ${String(error)}`),
    );
  };

  const stopWatch = await store.watch(onChange, (id, reason) => deps.warn(`webhook ${id}: ignored a registration that does not decode: ${reason}`));
  return {
    stop: async () => {
      stopWatch();
      await Promise.all([...running.keys()].map(stopOne));
    },
  };
};
