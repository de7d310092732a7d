// Recall (DESIGN.md §10 "Quarantine and recall"): `GET /v1/recalls/trace` answers every committed line
// that drew on the lots a selector names and each lot's mass balance, as JSON or (Accept: text/csv) the
// lines as CSV; `mode=mock` records the run as a recall drill, listed by `GET /v1/recalls/drills`.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { defineRoute, NoBody, NoParams } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { makeDrillStore, RecallDrill } from '../Recalls/DrillStore.js';
import { makeRecallLedger } from '../Recalls/RecallLedger.js';
import { RecallQuery, selectorAnswer, selectorOf } from '../Recalls/RecallSelector.js';
import { RecallTraceAnswer, traceRecall } from '../Recalls/RecallTrace.js';
import { traceCsv, wantsCsv } from '../Recalls/TraceCsv.js';
import type { StockCache } from '../Stock/StockCache.js';

export interface RecallRouteDeps {
  readonly orm: MikroORM;
  readonly cache: StockCache;
  /** Epoch ms (tests pass their own). */
  readonly clock?: () => number;
}

export const DefaultDrillLimit = 50;

const DrillsQuery = Schema.Struct({
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)), { default: () => DefaultDrillLimit }),
});

export const RecallDrillsAnswer = Schema.Struct({ drills: Schema.Array(RecallDrill) }).annotations({ identifier: 'RecallDrills' });

const round = (ms: number) => Math.round(ms * 100) / 100;

export const recallRoutes = (deps: RecallRouteDeps) => {
  const ledger = makeRecallLedger(deps.orm);
  const drills = makeDrillStore(deps.orm);
  const clock = deps.clock ?? Date.now;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/recalls/trace',
      operationId: 'traceRecall',
      summary:
        'Every committed line that drew on the lots named by `sku`+`lot`, `sku`+`bestBefore` or `producedFrom`+`producedTo` (optionally `sku`), and each lot’s mass balance; `Accept: text/csv` for the lines as CSV; `mode=mock` records a recall drill',
      tags: ['recall'],
      scope: 'stock:read',
      idempotent: false,
      params: NoParams,
      query: RecallQuery,
      body: NoBody,
      responses: {
        200: { description: 'the trace (JSON), or its lines as text/csv with a header row', schema: RecallTraceAnswer },
        400: { description: 'not exactly one selector, or a malformed date or code' },
        404: { description: 'sku + lot: no such lot was received for this SKU (`unknown-lot`)' },
        503: { description: 'the ledger (Postgres) did not answer (Retry-After: 5)' },
      },
      handler: async ({ query, principal, request }) => {
        const selector = selectorOf(query);
        const started = performance.now();
        const trace = await orStoreUnavailable('ledger (Postgres)', traceRecall(ledger, deps.cache, selector));
        const csv = wantsCsv(request.headers.accept) ? traceCsv(trace.lines) : undefined;
        const tookMs = round(performance.now() - started);
        if (query.mode === 'mock') {
          await orStoreUnavailable(
            'recall drills (Postgres)',
            drills.record({
              ranAt: new Date(clock()).toISOString(),
              actor: principal.actor,
              selector: selectorAnswer(selector),
              lots: trace.lots.map((l) => ({ sku: l.sku, lot: l.lot })),
              lines: trace.lines.length,
              units: trace.lines.reduce((sum, l) => sum + l.qty, 0),
              difference: trace.lots.reduce((sum, l) => sum + Math.abs(l.massBalance.difference), 0),
              tookMs,
            }),
          );
        }
        if (csv !== undefined) {
          return {
            status: 200,
            body: csv,
            headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="recall-trace.csv"', 'x-trace-took-ms': String(tookMs) },
          };
        }
        const body: typeof RecallTraceAnswer.Type = { selector: selectorAnswer(selector), lots: trace.lots, lines: trace.lines, tookMs };
        return { status: 200, body };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/recalls/drills',
      operationId: 'listRecallDrills',
      summary: 'Mock recalls run so far (`GET /v1/recalls/trace?mode=mock`), newest first (`?limit=1..500`)',
      tags: ['recall'],
      scope: 'stock:read',
      idempotent: false,
      params: NoParams,
      query: DrillsQuery,
      body: NoBody,
      responses: {
        200: { description: 'the drills, newest first', schema: RecallDrillsAnswer },
        400: { description: 'a limit outside 1..500' },
        503: { description: 'Postgres did not answer (Retry-After: 5)' },
      },
      handler: async ({ query }) => {
        const body: typeof RecallDrillsAnswer.Type = { drills: await orStoreUnavailable('recall drills (Postgres)', drills.list(query.limit)) };
        return { status: 200, body };
      },
    }),
  ];
};
