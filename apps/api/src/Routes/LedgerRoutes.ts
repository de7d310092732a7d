// The audit ledger of one SKU (DESIGN.md §5, §6): who changed its stock, why, with which reference, and the
// levels before and after; newest first from Postgres, paged by an opaque cursor. No entries → an empty page.
import { Sku } from '@larder/domain';
import { encodeLedgerCursor, LedgerCursor, LedgerLevels, makeLedgerStore, type LedgerRow } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Schema } from 'effect';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody } from '../Http/Route.js';

export const DefaultLedgerLimit = 50;
export const MaxLedgerLimit = 200;

const LedgerQuery = Schema.Struct({
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, MaxLedgerLimit)), {
    default: () => DefaultLedgerLimit,
  }),
  /** The `nextCursor` of the previous page. */
  before: Schema.optional(LedgerCursor),
});

export const LedgerEntryAnswer = Schema.Struct({
  /** Journal sequence of the batch that carried the change, then its position in that batch. */
  seq: Schema.Int,
  idx: Schema.Int,
  /** The event, e.g. `StockReserved`, `StockAdjusted`, `ShortfallRecorded`. */
  type: Schema.String,
  /** When it happened (ISO 8601). */
  at: Schema.String,
  actor: Schema.String,
  reason: Schema.String,
  reference: Schema.NullOr(Schema.String),
  location: Schema.String,
  /** Units moved or counted (a signed delta for adjustments); null when none. */
  quantity: Schema.NullOr(Schema.Int),
  before: LedgerLevels,
  after: LedgerLevels,
  commandId: Schema.String,
  /** The event's other fields: reservationId, orderId, expiresAt (epoch ms), … */
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
}).annotations({ identifier: 'LedgerEntry' });

export const LedgerAnswer = Schema.Struct({
  sku: Schema.String,
  entries: Schema.Array(LedgerEntryAnswer),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'Ledger' });

const entryOf = (row: LedgerRow): typeof LedgerEntryAnswer.Type => ({
  seq: row.seq,
  idx: row.idx,
  type: row.eventType,
  at: new Date(row.at).toISOString(),
  actor: row.actor,
  reason: row.reason,
  reference: row.reference,
  location: row.location,
  quantity: row.quantity,
  before: row.before,
  after: row.after,
  commandId: row.commandId,
  details: row.details,
});

export const ledgerRoutes = (orm: MikroORM) => {
  const store = makeLedgerStore(orm);
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/skus/:sku/ledger',
      operationId: 'getSkuLedger',
      summary: 'Audit entries of one SKU, newest first (`?limit=1..200&before=<cursor>`)',
      tags: ['ledger'],
      scope: 'stock:read',
      idempotent: false,
      params: Schema.Struct({ sku: Sku }),
      query: LedgerQuery,
      body: NoBody,
      responses: {
        200: { description: 'a page of the SKU’s ledger (empty when it has none)', schema: LedgerAnswer },
        400: { description: 'a limit outside 1..200, or a cursor that is not one' },
        503: { description: 'the ledger (Postgres) did not answer (Retry-After: 5)' },
      },
      handler: async ({ params, query }) => {
        const page = await orStoreUnavailable(
          'ledger (Postgres)',
          Effect.runPromise(store.page({ sku: params.sku, limit: query.limit, ...(query.before === undefined ? {} : { before: query.before }) })),
        );
        const body: typeof LedgerAnswer.Type = {
          sku: params.sku,
          entries: page.entries.map(entryOf),
          nextCursor: page.next === null ? null : encodeLedgerCursor(page.next),
        };
        return { status: 200, body };
      },
    }),
  ];
};
