// The NATS settings every Larder process reads from its environment: where the server is, the
// namespace of the deployment and its shard count (both must match across every process).
import { Config, ConfigError, Either, Schema } from 'effect';
import { DefaultShards, Shards } from '../Sharding/Shard.js';
import { DefaultNamespace, Namespace } from './Namespace.js';

/** A variable decoded with a schema (read as a number when `numeric`), with a default. */
const decoded = <A, I>(name: string, schema: Schema.Schema<A, I>, fallback: A, numeric: boolean) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) =>
      Either.mapLeft(Schema.decodeUnknownEither(schema)(numeric ? Number(raw) : raw), (e) => ConfigError.InvalidData([name], e.message)),
    ),
    Config.withDefault(fallback),
  );

export const NatsConfig = Config.all({
  natsUrl: Config.string('NATS_URL').pipe(Config.withDefault('nats://127.0.0.1:4222')),
  namespace: decoded('LARDER_NAMESPACE', Namespace, DefaultNamespace, false),
  shards: decoded('LARDER_SHARDS', Shards, DefaultShards, true),
});
