// The operator console's Operations page (admin only): the runners and who owns which shard, the
// command dead letters in INV_DLQ and their replay, and the invariant auditor's findings. The same
// reads as `larder runners` and `larder dlq`, through @larder/messaging. (Liveness, readiness and
// metrics are OpsRoutes.)
import { DeadLetterEntry, listDeadLetters, replayDeadLetters, ReplayResult, RunnersReport, deadLetterEntry, type Names } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { AuditorStatus, auditorStatus } from '../Ops/AuditorStatus.js';
import { makeOwnershipReads } from '../Ops/OwnershipReads.js';

export interface OperationsRouteDeps {
  readonly names: Names;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

const DefaultListed = 100;
const MaxListed = 1_000;
const DefaultReplayed = 1_000;
const MaxReplayed = 10_000;

const ListQuery = Schema.Struct({
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, MaxListed)), { default: () => DefaultListed }),
});
const ReplayBody = Schema.Struct({ limit: Schema.optional(Schema.Int.pipe(Schema.between(1, MaxReplayed))) });
const DeadLetterList = Schema.Struct({ stream: Schema.String, items: Schema.Array(DeadLetterEntry) });

const common = { tags: ['operations'], scope: 'admin' } as const;
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the admin scope' } } as const;
const unavailable = { 503: { description: 'NATS did not answer: retry' } } as const;
const deadLetters = 'dead-letter stream (NATS JetStream)';

export const operationsRoutes = (deps: OperationsRouteDeps) => {
  const { names, js, jsm } = deps;
  const ownership = makeOwnershipReads(deps.nc, jsm, names);
  return [
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/ops/runners',
      operationId: 'listRunners',
      summary: 'Live runners (heartbeat, drain state, pinned shards, the shards whose leases they hold), leases held by runners no longer live, and shards without an owner',
      idempotent: false,
      params: NoParams,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the runners and shard ownership, as `larder runners --json`', schema: RunnersReport }, ...auth, ...unavailable },
      handler: async () => ({ status: 200, body: await ownership.report() }),
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/ops/dead-letters',
      operationId: 'listCommandDeadLetters',
      summary: 'Commands in INV_DLQ, oldest first, with why each failed (a dead letter that does not decode is listed with why not)',
      idempotent: false,
      params: NoParams,
      query: ListQuery,
      body: NoBody,
      responses: {
        200: { description: `the first \`limit\` dead letters (default ${DefaultListed})`, schema: DeadLetterList },
        400: { description: `limit is not an integer from 1 to ${MaxListed}` },
        ...auth,
        ...unavailable,
      },
      handler: async ({ query }) => {
        const listed = await orStoreUnavailable(deadLetters, listDeadLetters(jsm, names, query.limit));
        return { status: 200, body: { stream: names.deadLetters.stream, items: listed.map(deadLetterEntry) } };
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/ops/dead-letters/replay',
      operationId: 'replayCommandDeadLetters',
      summary:
        'Send the first `limit` dead letters of INV_DLQ back to the subjects they came from (fix the cause first); a command applied before is recognised by its id and not applied twice. Unreadable ones stay, with why',
      idempotent: true,
      params: NoParams,
      query: NoQuery,
      body: ReplayBody,
      responses: {
        200: { description: 'how many were replayed, and which stayed in INV_DLQ and why', schema: ReplayResult },
        400: { description: `no Idempotency-Key, or limit is not an integer from 1 to ${MaxReplayed}` },
        ...auth,
        ...unavailable,
      },
      handler: async ({ body }) => ({
        status: 200,
        body: await orStoreUnavailable(deadLetters, replayDeadLetters(js, jsm, names, body.limit ?? DefaultReplayed)),
      }),
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/ops/auditor',
      operationId: 'getAuditorStatus',
      summary: 'What each runner’s invariant auditor last found (SKUs audited, oversold SKUs, projections that disagree with the journal), and whether all is well',
      idempotent: false,
      params: NoParams,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the auditors’ findings, from the runners’ heartbeats', schema: AuditorStatus }, ...auth, ...unavailable },
      handler: async () => ({ status: 200, body: auditorStatus(await ownership.members()) }),
    }),
  ];
};
