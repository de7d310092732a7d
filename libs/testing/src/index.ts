// Public door of @larder/testing: per-file isolation (namespace, schema, key prefix), service discovery with
// a testcontainers fallback, cleanup helpers, private nats-server processes for tests, and
// Larder entry points as child processes stopped by their pid.
export { deleteNamespaceStreams, belongsToNamespace } from './Nats/DeleteNamespaceStreams.js';
export { DEFAULT_NATS_URL, natsSpec, requireNats } from './Nats/RequireNats.js';
export { freePort } from './NatsServer/FreePort.js';
export { ApiWithoutShedding } from './Processes/ApiWithoutShedding.js';
export { startNatsServer, type NatsServerOptions, type RunningNatsServer } from './NatsServer/StartNatsServer.js';
export { makeTestNamespace, TestNamespace, type TestNamespaceShape } from './Namespace/TestNamespace.js';
export {
  LarderNodeFlags,
  startLarderProcess,
  type LarderProcess,
  type LarderProcessExit,
  type LarderProcessOptions,
} from './Processes/StartLarderProcess.js';
export { dropPostgresSchema } from './Postgres/DropPostgresSchema.js';
export { queryPostgres } from './Postgres/QueryPostgres.js';
export { DEFAULT_DATABASE_URL, postgresSpec, requirePostgres } from './Postgres/RequirePostgres.js';
export { dockerEngineAvailable } from './Reachability/DockerEngine.js';
export { probeTcp } from './Reachability/ProbeTcp.js';
export {
  requireService,
  type RequireServiceOptions,
  type ServiceEndpoint,
  type ServiceSpec,
} from './Reachability/RequireService.js';
export { ServiceUnreachableError, type ServiceName } from './Reachability/Errors.js';
export { deleteRedisKeys } from './Redis/DeleteRedisKeys.js';
export { startRedisServer, type RedisServerProcess } from './Redis/StartRedisServer.js';
export { DEFAULT_REDIS_URL, redisSpec, requireRedis } from './Redis/RequireRedis.js';
export { startNatsCluster, type NatsClusterNode, type RunningNatsCluster } from './NatsServer/StartNatsCluster.js';
export { startTcpProxy, type RunningTcpProxy } from './Proxy/StartTcpProxy.js';
export { openEventStream, type EventStreamClient, type StreamEvent } from './Http/EventStreamClient.js';
