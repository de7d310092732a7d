// Every route of the API, in one list: the server registers them and the OpenAPI document is
// built from them.
import type { Names } from '@larder/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import type { DropStore } from '../Drops/DropStore.js';
import type { ApiConfig } from '../Config/ApiConfig.js';
import type { AnyRoute } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';
import type { RequestRecords } from '../Reservations/RequestRecords.js';
import type { StockCache } from '../Stock/StockCache.js';
import { catalogueRoutes } from './CatalogueRoutes.js';
import { channelRoutes } from './ChannelRoutes.js';
import { commandRoutes } from './CommandRoutes.js';
import { countRoutes } from './CountRoutes.js';
import { demandRoutes } from './DemandRoutes.js';
import { dropRoutes } from './DropRoutes.js';
import { importRoutes } from './ImportRoutes.js';
import { ledgerRoutes } from './LedgerRoutes.js';
import { locationRoutes } from './LocationRoutes.js';
import { recallRoutes } from './RecallRoutes.js';
import { lotRoutes } from './LotRoutes.js';
import { notifyRoutes } from './NotifyRoutes.js';
import { opsRoutes, type Readiness } from './OpsRoutes.js';
import { operationsRoutes, type OperationsRouteDeps } from './OperationsRoutes.js';
import { reservationRoutes } from './ReservationRoutes.js';
import { signalRoutes } from './SignalRoutes.js';
import { skuRoutes } from './SkuRoutes.js';
import { skuStockRoutes } from './SkuStockRoutes.js';
import { stockRoutes } from './StockRoutes.js';
import { stockChangeRoutes } from './StockChangeRoutes.js';
import { stockStreamRoutes } from './StockStreamRoutes.js';
import type { StockFeed } from '../Stock/StockFeed.js';
import type { StockView } from '@larder/messaging';
import { webhookRoutes, type WebhookRouteDeps } from './WebhookRoutes.js';

export interface RouteDeps {
  readonly config: ApiConfig;
  readonly names: Names;
  readonly cache: StockCache;
  readonly metrics: Metrics;
  readonly gateway: CommandGateway;
  readonly records: RequestRecords;
  readonly drops: DropStore;
  readonly catalogue: CatalogueStore;
  readonly orm: MikroORM;
  readonly readiness: Readiness;
  readonly openApi: () => unknown;
  readonly webhooks: WebhookRouteDeps;
  /** NATS handles of the operator console's routes (runners, dead letters, auditor). */
  readonly nats: Omit<OperationsRouteDeps, 'names'>;
  /** The live stock stream's clients (GET /v1/stock/events). */
  readonly feed: StockFeed;
  /** One serialised answer per view, shared by the single and the batch read and the stream: a hot SKU is serialised once. */
  readonly serialised: (view: StockView) => string;
  /** Epoch ms the API stamps (tests pass their own). */
  readonly clock?: () => number;
}

export const apiRoutes = (deps: RouteDeps): ReadonlyArray<AnyRoute> => {
  const serialised = deps.serialised;
  return [
  ...stockRoutes(deps.cache, deps.metrics, serialised),
  ...stockStreamRoutes(deps.feed),
  ...reservationRoutes({ gateway: deps.gateway, catalogue: deps.catalogue, records: deps.records, metrics: deps.metrics, inFlightMs: deps.config.abandonHoldsAfterMs, ...clockOf(deps) }),
  ...commandRoutes({ gateway: deps.gateway, catalogue: deps.catalogue, ...clockOf(deps) }),
  ...countRoutes({ gateway: deps.gateway, catalogue: deps.catalogue, ...clockOf(deps) }),
  ...skuRoutes({ orm: deps.orm, gateway: deps.gateway, catalogue: deps.catalogue, cache: deps.cache }),
  ...locationRoutes({ catalogue: deps.catalogue, ...clockOf(deps) }),
  ...dropRoutes({ gateway: deps.gateway, store: deps.drops, cache: deps.cache, ...clockOf(deps) }),
  ...ledgerRoutes(deps.orm),
  ...recallRoutes({ orm: deps.orm, cache: deps.cache, ...clockOf(deps) }),
  ...catalogueRoutes({ orm: deps.orm, cache: deps.cache }),
  ...importRoutes({ orm: deps.orm, gateway: deps.gateway, limitBytes: deps.config.importLimitBytes, ...clockOf(deps) }),
  ...opsRoutes(deps.readiness, deps.metrics, deps.openApi),
  ...operationsRoutes({ names: deps.names, ...deps.nats }),
  ...webhookRoutes(deps.webhooks),
  ...skuStockRoutes({ cache: deps.cache, metrics: deps.metrics, catalogue: deps.catalogue, serialised, ...clockOf(deps) }),
  ...stockChangeRoutes({ gateway: deps.gateway, catalogue: deps.catalogue, cache: deps.cache, ...clockOf(deps) }),
  ...channelRoutes({ catalogue: deps.catalogue, ...clockOf(deps) }),
  ...lotRoutes({ gateway: deps.gateway, catalogue: deps.catalogue, cache: deps.cache, orm: deps.orm, ...clockOf(deps) }),
  ...signalRoutes({ orm: deps.orm, metrics: deps.metrics, settings: deps.config.signals, ...clockOf(deps) }),
  ...demandRoutes({ orm: deps.orm, cache: deps.cache, catalogue: deps.catalogue, ...clockOf(deps) }),
  ...notifyRoutes({ orm: deps.orm, cache: deps.cache, catalogue: deps.catalogue, ...clockOf(deps) }),
  ];
};

const clockOf = (deps: RouteDeps) => (deps.clock === undefined ? {} : { clock: deps.clock });
