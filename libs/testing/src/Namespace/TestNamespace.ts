// Per-test-file isolation on shared servers: one random id gives the NATS namespace prefix, the Postgres
// schema and the Redis key prefix. Only [a-z0-9_], so it is valid in subjects, stream and KV bucket names.
import { randomBytes } from 'node:crypto';
import { Context, Layer } from 'effect';

export interface TestNamespaceShape {
  /**
   * `t_<16 hex>`, also a valid `@larder/messaging` Namespace: prefix of subjects (`<ns>.inv.evt.…`),
   * streams (`<NS>_INV_EVT`, uppercased) and KV buckets (`<ns>_stock`).
   */
  readonly nats: string;
  /** Postgres schema owned by this test file (same id). */
  readonly postgresSchema: string;
  /** Redis key prefix, `<id>:`. */
  readonly redisPrefix: string;
}

export const makeTestNamespace = (): TestNamespaceShape => {
  const id = `t_${randomBytes(8).toString('hex')}`;
  return { nats: id, postgresSchema: id, redisPrefix: `${id}:` };
};

export class TestNamespace extends Context.Tag('larder/TestNamespace')<TestNamespace, TestNamespaceShape>() {
  /** A fresh namespace each time the layer is built (once per `layer(...)` block in @effect/vitest). */
  static readonly layer = Layer.sync(TestNamespace, makeTestNamespace);
}
