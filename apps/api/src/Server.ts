// An API instance: connects to NATS and Postgres, loads the stock projection into memory, and serves
// HTTP. Redis is not on its path: reservation and idempotency records live in replicated NATS KV
// buckets (ADR 0012), and Redis is only the runners' read mirror. Closing it (scope) stops accepting connections, lets in-flight requests finish,
// then closes the connections.
import {
  acquireLarderConnection,
  defaultTopologyOptions,
  ensureTopology,
  makeNames,
  makeJetStreamPublisher,
  makeRequestClient,
  ProcessId,
  streamConfigs,
  type Names,
  startTracing,
} from '@larder/messaging';
import { acquireOrm } from '@larder/persistence';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { nuid, type NatsConnection } from '@nats-io/transport-node';
import { Effect } from 'effect';
import type { Logger } from 'pino';
import { makeApiKeyVerifier } from './Auth/ApiKeys.js';
import { makeJwtVerifier } from './Auth/Jwt.js';
import { makeCommandGateway } from './Commands/CommandGateway.js';
import { ApiConfig } from './Config/ApiConfig.js';
import { registerDocs } from './Docs/Docs.js';
import { registerConsole } from './Console/ConsoleRoutes.js';
import { makeConsoleSessions } from './Console/ConsoleSession.js';
import { buildApp } from './Http/App.js';
import { buildOpenApi } from './Http/OpenApi.js';
import { makeIdempotencyStore } from './Idempotency/IdempotencyStore.js';
import { instrumentGateway } from './Metrics/InstrumentedGateway.js';
import { makeMetrics } from './Metrics/Metrics.js';
import { traceGateway } from './Observability/TracedGateway.js';
import { startAbandonedHolds } from './Reservations/AbandonedHolds.js';
import { makeRequestRecords } from './Reservations/RequestRecords.js';
import { apiRoutes } from './Routes/ApiRoutes.js';
import { startStockCache } from './Stock/StockCache.js';
import { makeStockFeed } from './Stock/StockFeed.js';
import { makeSerialised } from './Routes/StockRoutes.js';
import { startDropStore } from './Drops/DropStore.js';
import { makeDeadLetters } from './Webhooks/DeadLetters.js';
import { makeDeliveryLog } from './Webhooks/DeliveryLog.js';
import { startCatalogueStore } from './Catalog/CatalogueStore.js';
import { startWebhookDispatcher } from './Webhooks/WebhookDispatcher.js';
import { startBackInStockNotifier } from './Notify/BackInStockNotifier.js';
import { makeNotifyRequestStore } from './Notify/NotifyRequestStore.js';
import { makeWebhookStore } from './Webhooks/WebhookStore.js';

/** The streams and the stock bucket that do not exist yet; any other error (a refused permission) fails. */
const missingTopology = async (nc: NatsConnection, jsm: JetStreamManager, names: Names) => {
  const absent = (check: () => Promise<unknown>) =>
    check().then(
      () => false,
      (error: unknown) => (error instanceof Error && /not found/i.test(error.message) ? true : Promise.reject(error)),
    );
  const streams = streamConfigs(names, defaultTopologyOptions).map(({ name }) => ({ name, check: () => jsm.streams.info(name) }));
  const buckets = [names.buckets.stock, names.buckets.requests, names.buckets.drops, names.buckets.webhooks, names.buckets.catalogue].map((bucket) => ({
    name: `bucket ${bucket}`,
    check: () => new Kvm(nc).open(bucket).then((kv) => kv.status()),
  }));
  const missing: Array<string> = [];
  for (const { name, check } of [...streams, ...buckets]) if (await absent(check)) missing.push(name);
  return missing;
};

export interface StartApiOptions {
  /** Epoch ms for everything the API itself times (tests move it a day ahead); the holds' times are the owners'. */
  readonly clock?: () => number;
}

export const startApi = (log: Logger, options: StartApiOptions = {}) =>
  Effect.gen(function* () {
    const config = yield* ApiConfig;
    const names = makeNames(config.namespace, { shards: config.shards });
    const processId = ProcessId.make(`api-${nuid.next()}`);
    const tracer = yield* startTracing('larder-api', { instanceId: processId, warn: (message) => log.warn({ otel: true }, message) });
    const { nc, jsm, js } = yield* acquireLarderConnection(config.natsUrl, names, processId);
    // Under least privilege (deploy/nats/secure) the API may only look at the topology: it creates what
    // is missing only where its NATS user may (development), and otherwise says to start a runner first.
    const missing = yield* Effect.tryPromise(() => missingTopology(nc, jsm, names));
    if (missing.length > 0) {
      log.info({ missing }, 'creating the missing NATS streams and buckets (a runner normally does it)');
      yield* Effect.tryPromise({
        try: () => ensureTopology(nc, jsm, names, defaultTopologyOptions),
        catch: (error) => new Error(`NATS ${missing.join(', ')} missing and this NATS user may not create them: start a runner first (${String(error)})`),
      });
    }
    const orm = yield* acquireOrm(config.databaseUrl, config.databaseSchema);
    const kv = yield* Effect.tryPromise(() => new Kvm(nc).open(names.buckets.stock));
    const cache = yield* Effect.acquireRelease(
      Effect.tryPromise(() => startStockCache(kv, (key, reason) => log.warn({ key, reason }, 'ignored a stock view that does not decode'))),
      (c) => Effect.sync(() => c.stop()),
    );
    const metrics = makeMetrics();
    cache.onUpdate((_, lagMs) => metrics.projectionLag.observe(Math.max(0, lagMs) / 1000));
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(processId) })),
      (c) => Effect.sync(() => c.close()),
    );
    const commands = makeCommandGateway(client, js, names, config.actorDeadlineMs);
    const gateway = instrumentGateway(tracer === undefined ? commands : traceGateway(commands, tracer, names), metrics);
    const requestsKv = yield* Effect.tryPromise(() => new Kvm(nc).open(names.buckets.requests));
    const publisher = yield* Effect.acquireRelease(
      Effect.sync(() => makeJetStreamPublisher(nc, { inboxPrefix: names.inbox.prefix(processId), timeoutMs: config.actorDeadlineMs })),
      (p) => Effect.sync(() => p.close()),
    );
    const records = makeRequestRecords(requestsKv, publisher, names);
    const dropsKv = yield* Effect.tryPromise(() => new Kvm(nc).open(names.buckets.drops));
    const drops = yield* Effect.acquireRelease(
      Effect.tryPromise(() => startDropStore(dropsKv, (key, reason) => log.warn({ key, reason }, 'ignored a drop definition that does not decode'))),
      (d) => Effect.sync(() => d.stop()),
    );
    const catalogueKv = yield* Effect.tryPromise(() => new Kvm(nc).open(names.buckets.catalogue));
    const catalogue = yield* Effect.acquireRelease(
      Effect.tryPromise(() => startCatalogueStore(catalogueKv, names, (key, reason) => log.warn({ key, reason }, 'ignored a catalogue record (pack recipe or location) that does not decode'))),
      (c) => Effect.sync(() => c.stop()),
    );
    const webhooks = {
      store: makeWebhookStore(yield* Effect.tryPromise(() => new Kvm(nc).open(names.buckets.webhooks))),
      log: makeDeliveryLog(js, jsm, names),
      deadLetters: makeDeadLetters(js, jsm, names),
    };
    yield* Effect.acquireRelease(
      Effect.sync(() => startAbandonedHolds(
          gateway,
          records,
          { abandonAfterMs: config.abandonHoldsAfterMs, everyMs: config.abandonSweepEveryMs },
          log,
        )),
      (sweep) => Effect.sync(() => sweep.stop()),
    );
    const idempotency = makeIdempotencyStore(records, { inFlightTtlMs: 60_000, ...(options.clock === undefined ? {} : { clock: options.clock }) });
    const apiKey = makeApiKeyVerifier(config.apiKeys);
    const jwt = config.jwt === undefined ? undefined : makeJwtVerifier(config.jwt);
    const clock = options.clock ?? Date.now;
    const sessions = makeConsoleSessions({ secret: config.console.sessionSecret, ttlMs: config.console.sessionTtlMs, secure: config.console.secureCookie, apiKeys: config.apiKeys, apiKey, jwt });
    const verifiers = { apiKey, jwt, session: (cookie: string | undefined) => sessions.principalOf(cookie, clock()) };

    // Only what serving needs: Redis and Postgres outages do not take an instance out of rotation (docs/operations.md).
    const readinessChecks = () => ({ nats: !nc.isClosed(), stockProjection: cache.ready() });
    metrics.reportReadiness(readinessChecks);
    let openApi: unknown = undefined;
    const serialised = makeSerialised();
    const feed = makeStockFeed(cache, serialised, metrics, config.stream);
    const routes = apiRoutes({
      feed,
      serialised,
      config,
      names,
      cache,
      metrics,
      gateway,
      records,
      drops,
      catalogue,
      orm,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      readiness: { checks: readinessChecks },
      openApi: () => openApi,
      nats: { nc, js, jsm },
      webhooks: { names, jsm, ...webhooks, timeoutMs: config.webhooks.timeoutMs, ...(options.clock === undefined ? {} : { clock: options.clock }) },
    });
    openApi = buildOpenApi(routes, { title: 'Larder sales API', version: '1.0.0' });
    const app = buildApp({ log, bodyLimitBytes: config.bodyLimitBytes, admission: config.admission, verifiers, idempotency, metrics, ...(tracer === undefined ? {} : { tracer }) }, routes);
    // The API reference (/docs) and the AsyncAPI viewer (/docs/events): Docs/Docs.ts.
    registerDocs(app, openApi);
    registerConsole(app, { sessions, clock, log });
    // Open event streams never end by themselves: they are ended first, so closing can finish.
    app.addHook('preClose', (done) => {
      feed.close();
      done();
    });
    yield* Effect.acquireRelease(
      Effect.tryPromise(() => app.listen({ host: config.host, port: config.port })),
      () => Effect.promise(() => app.close()).pipe(Effect.ignore),
    );
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    yield* Effect.tryPromise(() => Promise.all([cache.whenReady, drops.whenReady, catalogue.whenReady]));
    // Webhook deliveries (ADR 0015) run beside the routes; on shutdown they are drained before NATS closes.
    yield* Effect.acquireRelease(
      Effect.tryPromise(() =>
        startWebhookDispatcher(js, jsm, webhooks.store, {
          names,
          settings: config.webhooks,
          log: webhooks.log,
          deadLetters: webhooks.deadLetters,
          now: options.clock ?? Date.now,
          count: (outcome) => metrics.webhookDeliveries.inc({ outcome }),
          warn: (detail) => log.warn({ webhooks: true }, detail),
        }),
      ),
      (dispatcher) => Effect.promise(() => dispatcher.stop()),
    );
    // Notify-me (docs/demand-signals.md): back-in-stock events tell the customers waiting; stopped before Postgres and NATS close.
    yield* Effect.acquireRelease(
      Effect.tryPromise(() =>
        startBackInStockNotifier(jsm, { names, js, store: makeNotifyRequestStore(orm), now: clock, warn: (detail) => log.warn({ notify: true }, detail) }),
      ),
      (notifier) => Effect.promise(() => notifier.stop()),
    );
    return { url: `http://${config.host}:${port}`, processId, app };
  });
