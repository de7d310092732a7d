// Demand signals from polls and surveys (DESIGN.md §10 "Demand", docs/demand-signals.md): a poll tool
// posts answers to a signed webhook, the brand maps a poll's answers to SKUs, and the counts per SKU are
// the respondents whose answer names it. Not tied to one vendor: any tool that can sign a body posts here.
import { MaxPollBatch, PollAnswer, PollId, PollMapping, Sku, collectPollMapping, describePollMappingProblem, expandPollMapping } from '@larder/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Either, Schema } from 'effect';
import type { SignalSettings } from '../Config/ApiConfig.js';
import { Problem } from '../Http/Problems.js';
import { RawJsonBody } from '../Http/RawJson.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import type { Metrics } from '../Metrics/Metrics.js';
import { countPollSignals, PollCountsAnswer } from '../Signals/PollCounts.js';
import { makePollAnswerStore } from '../Signals/PollAnswerStore.js';
import { makePollMappingStore, type StoredPollMapping } from '../Signals/PollMappingStore.js';
import { PollSignatureHeader, PollSignaturePattern } from '../Signals/PollSignature.js';
import { PollAnswersReceived, receivePollAnswers } from '../Signals/ReceivePollAnswers.js';

export interface SignalRouteDeps {
  readonly orm: MikroORM;
  readonly metrics: Metrics;
  readonly settings: SignalSettings;
  /** Epoch ms (tests pass their own). */
  readonly clock?: () => number;
}

/** What the signed bytes must hold: one answer, or a poll tool's batch export. */
const PollSubmission = Schema.Union(
  PollAnswer,
  Schema.Struct({ answers: Schema.Array(PollAnswer).pipe(Schema.minItems(1), Schema.maxItems(MaxPollBatch)) }),
).annotations({ identifier: 'PollSubmission' });

const MappingParams = Schema.Struct({ pollId: PollId });
const PollMappingAnswer = Schema.Struct({
  pollId: Schema.String,
  answers: PollMapping.fields.answers,
  updatedAt: Schema.String,
  /** Who set it: `apikey:<name>` or `user:<sub>`. */
  updatedBy: Schema.String,
}).annotations({ identifier: 'PollMappingAnswer' });
const CountsQuery = Schema.Struct({ sku: Schema.optionalWith(Sku, { exact: true }), pollId: Schema.optionalWith(PollId, { exact: true }) });

const mappingAnswer = (m: StoredPollMapping): typeof PollMappingAnswer.Type => ({
  pollId: m.pollId,
  answers: collectPollMapping(m.answers).answers,
  updatedAt: m.updatedAt.toISOString(),
  updatedBy: m.updatedBy,
});
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the scope' } } as const;
const postgres = 'poll mappings (Postgres)';
const common = { tags: ['signals'], idempotent: false } as const;

export const signalRoutes = (deps: SignalRouteDeps) => {
  const answers = makePollAnswerStore(deps.orm);
  const mappings = makePollMappingStore(deps.orm);
  const clock = deps.clock ?? Date.now;
  return [
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/signals/polls',
      operationId: 'postPollAnswers',
      summary: `Answers of a poll or survey, one or a batch of up to ${MaxPollBatch}, from the poll tool: signed with \`${PollSignatureHeader}: sha256=<hex HMAC-SHA256 of the raw body>\` (no API key); kept once per (poll, question, respondent), the latest \`at\` winning, so sending again is harmless`,
      // The poll tool holds the shared secret, not an API key; the handler checks the signature.
      scope: null,
      rawBody: { limitBytes: deps.settings.pollBodyLimitBytes, documented: PollSubmission },
      headers: { [PollSignatureHeader]: { description: 'sha256=<hex HMAC-SHA256 of the raw body with the shared secret, LARDER_POLL_SIGNING_SECRET>', pattern: PollSignaturePattern.source } },
      params: NoParams,
      query: NoQuery,
      body: RawJsonBody,
      responses: {
        200: { description: 'stored: how many answers were new, replaced an earlier one, or changed nothing', schema: PollAnswersReceived },
        400: { description: 'not JSON, or not answers: `index` names the first bad answer and `issues` its fields; nothing was stored' },
        401: { description: `no \`${PollSignatureHeader}\`, or it does not sign this body with this deployment's secret` },
        413: { description: 'the body is larger than LARDER_POLL_BODY_LIMIT_BYTES (default 4 MiB)' },
        415: { description: 'the body is not application/json' },
        503: { description: '`signals-not-configured`: LARDER_POLL_SIGNING_SECRET is not set; or Postgres did not answer (Retry-After: 5): send it again' },
      },
      handler: async ({ body, request }) => ({
        status: 200,
        body: await receivePollAnswers({ settings: deps.settings, store: answers, metrics: deps.metrics, clock }, body, request.headers[PollSignatureHeader]),
      }),
    }),
    defineRoute({
      ...common,
      method: 'PUT',
      url: '/v1/signals/polls/:pollId/mapping',
      operationId: 'putPollMapping',
      summary: 'Map a poll’s answers to SKUs, `{answers: {<questionId>: {<answerId>: [SKU, …]}}}`, replacing its mapping; an answer may name several SKUs, or none (known, no demand). Counts follow at once, for answers already stored too',
      scope: 'stock:write',
      params: MappingParams,
      query: NoQuery,
      body: PollMapping,
      responses: {
        200: { description: 'replaced', schema: PollMappingAnswer },
        201: { description: 'the poll’s first mapping', schema: PollMappingAnswer },
        400: { description: 'not a mapping: an id outside 1–128 letters, digits, "_.:@+=-", a SKU that is not one, more than 50 SKUs for an answer or 1,000 answers' },
        ...auth,
        503: { description: 'Postgres did not answer (Retry-After: 5): PUT it again' },
      },
      handler: async ({ params, body, principal }) => {
        const rows = expandPollMapping(body);
        if (Either.isLeft(rows)) throw new Problem({ type: 'invalid-request', detail: describePollMappingProblem(rows.left) });
        const mapping: StoredPollMapping = { pollId: params.pollId, answers: rows.right, updatedAt: new Date(clock()), updatedBy: principal.actor };
        const created = await orStoreUnavailable(postgres, mappings.replace(mapping));
        return { status: created ? 201 : 200, body: mappingAnswer(mapping) };
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/signals/polls/:pollId/mapping',
      operationId: 'getPollMapping',
      summary: 'A poll’s mapping of answers to SKUs',
      scope: 'stock:read',
      params: MappingParams,
      query: NoQuery,
      body: NoBody,
      responses: {
        200: { description: 'the mapping', schema: PollMappingAnswer },
        ...auth,
        404: { description: 'the poll was never mapped' },
        503: { description: 'Postgres did not answer (Retry-After: 5)' },
      },
      handler: async ({ params }) => {
        const mapping = await orStoreUnavailable(postgres, mappings.read(params.pollId));
        if (mapping === undefined) throw new Problem({ type: 'not-found', detail: `poll ${params.pollId} has no mapping: PUT /v1/signals/polls/${params.pollId}/mapping` });
        return { status: 200, body: mappingAnswer(mapping) };
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/signals/polls/counts',
      operationId: 'countPollSignals',
      summary:
        'Per SKU, the respondents whose answer names it, per poll (once per poll) and summed; per poll, its answers and those no mapping names (`unmappedAnswers`, the most answered listed). `?sku=` for one SKU, `?pollId=` for one poll',
      scope: 'stock:read',
      params: NoParams,
      query: CountsQuery,
      body: NoBody,
      responses: {
        200: { description: 'the counts, from the answers and mappings as they stand', schema: PollCountsAnswer },
        400: { description: 'a SKU or poll id that is not one' },
        ...auth,
        503: { description: 'Postgres did not answer (Retry-After: 5)' },
      },
      handler: async ({ query }) => ({ status: 200, body: await orStoreUnavailable('poll answers (Postgres)', countPollSignals(deps.orm, query)) }),
    }),
  ];
};
