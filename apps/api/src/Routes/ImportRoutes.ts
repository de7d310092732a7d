// Bulk imports for the back office (DESIGN.md §10): a CSV of catalogue entries or of received stock,
// read as it streams, answered with a report per row. Idempotent per row key (the catalogue: the SKU;
// restocks: sku, location, reference), so the same file uploaded twice applies once; a bad row is
// refused with its reason and never blocks the others; a file that is not the expected CSV is a 400.
import type { Actor } from '@larder/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { CsvUploadBody } from '../Http/CsvUpload.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoParams, NoQuery } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { CatalogueColumns } from '../Imports/CatalogueRow.js';
import { CsvMalformed, CsvTooLarge, readCsvRows, type CsvColumns, type CsvRow } from '../Imports/CsvRows.js';
import { inBatches } from '../Imports/ImportBatches.js';
import { importCatalogueBatch } from '../Imports/ImportCatalogue.js';
import { makeImportedRowStore } from '../Imports/ImportedRowStore.js';
import { ImportAnswer, totalsOf, type RowReport } from '../Imports/ImportReport.js';
import { importRestockBatch } from '../Imports/ImportRestocks.js';
import { rawRestockKey, RestockColumns } from '../Imports/RestockRow.js';
import { actorOf } from '../Reservations/ActorOf.js';

export interface ImportRouteDeps {
  readonly orm: MikroORM;
  readonly gateway: CommandGateway;
  /** The largest file accepted (bytes); past it the answer is 413. */
  readonly limitBytes: number;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Streams the file through `handle` batch by batch; the reports in file order, or the problem that stopped it. */
const runImport = async (
  request: { readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>> },
  upload: typeof CsvUploadBody.Type,
  columns: CsvColumns,
  limitBytes: number,
  keyOf: (cells: Readonly<Record<string, string | undefined>>) => string,
  handle: (batch: ReadonlyArray<CsvRow>) => Promise<ReadonlyArray<RowReport>>,
): Promise<ReadonlyArray<RowReport>> => {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    upload.stream.resume(); // drained, not read: the answer goes out without waiting for the rest
    throw new Problem({ type: 'payload-too-large', detail: `the file is ${mb(declared)}; an import takes at most ${mb(limitBytes)} (LARDER_IMPORT_LIMIT_BYTES): split it` });
  }
  // An empty body may reach us already ended, and an ended stream would never yield its end to the parser.
  if (declared === 0 || upload.stream.readableEnded) {
    throw new Problem({ type: 'invalid-request', detail: `the file is empty: the first line must be the header (${[...columns.required, ...columns.optional].join(',')})` });
  }
  const reports: Array<RowReport> = [];
  try {
    await inBatches(readCsvRows(upload.stream, columns, limitBytes), keyOf, async (batch) => {
      reports.push(...(await handle(batch)));
    });
  } catch (error) {
    if (error instanceof CsvMalformed) throw new Problem({ type: 'invalid-request', detail: `the file is not an import CSV: ${error.detail}` });
    if (error instanceof CsvTooLarge) {
      const through = reports.at(-1)?.row;
      throw new Problem({
        type: 'payload-too-large',
        detail: `the file is larger than ${mb(error.limitBytes)} (LARDER_IMPORT_LIMIT_BYTES): split it. ${through === undefined ? 'No row was processed' : `Rows through line ${through} were processed; uploading them again is safe (they report unchanged)`}`,
      });
    }
    throw error;
  }
  return reports;
};

const answer = (kind: ImportAnswer['import'], rows: ReadonlyArray<RowReport>) => {
  const body: ImportAnswer = { import: kind, totals: totalsOf(rows), rows };
  return { status: 200, body };
};

const common = {
  tags: ['imports'],
  scope: 'stock:write',
  // An Idempotency-Key is required like on every POST, but the answers are not stored: the row keys make
  // a retry safe, and a retry answers from the rows as they stand (`unchanged`).
  idempotent: true,
  answersRetries: true,
  params: NoParams,
  query: NoQuery,
  body: CsvUploadBody,
  bodyMediaType: 'text/csv',
} as const;

const responses = (what: string) => ({
  200: { description: `a report per row (applied, unchanged or refused with the reason) and the totals; ${what}`, schema: ImportAnswer },
  400: { description: 'not an import CSV (no header, a missing or unknown column), not text/csv, or no Idempotency-Key' },
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:write' },
  409: { description: 'an upload with this Idempotency-Key is still running on this instance' },
  413: { description: 'the file is larger than the import limit (LARDER_IMPORT_LIMIT_BYTES, 20 MB by default); rows before the limit were processed' },
  503: { description: 'Postgres did not answer (Retry-After: 5); rows before it were processed: upload the file again' },
});

export const importRoutes = (deps: ImportRouteDeps) => {
  const clock = deps.clock ?? Date.now;
  const restockStore = makeImportedRowStore(deps.orm, 'restock');
  return [
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/imports/catalogue',
      operationId: 'importCatalogue',
      summary: 'Create or update catalogue entries from a CSV `sku,name[,lowStockThreshold][,safetyStock]` (empty cell: keep the value)',
      responses: responses('an entry with the same values is unchanged'),
      handler: async ({ body, principal, request }) => {
        const actor: Actor = actorOf(principal);
        const catalogueDeps = { orm: deps.orm, gateway: deps.gateway, actor, clock };
        const rows = await orStoreUnavailable(
          'catalogue (Postgres)',
          runImport(request, body, CatalogueColumns, deps.limitBytes, (cells) => cells['sku'] ?? '', (batch) => importCatalogueBatch(catalogueDeps, batch)),
        );
        return answer('catalogue', rows);
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/imports/restocks',
      operationId: 'importRestocks',
      summary: 'Stock received, from a CSV `sku,qty,reference[,location]`: one Restock per row, once per (sku, location, reference)',
      responses: responses('a row already applied is unchanged (same qty) or refused (another qty)'),
      handler: async ({ body, principal, request }) => {
        const batchDeps = { gateway: deps.gateway, store: restockStore, actor: actorOf(principal), clock };
        const rows = await orStoreUnavailable(
          'import records (Postgres)',
          runImport(request, body, RestockColumns, deps.limitBytes, rawRestockKey, (batch) => importRestockBatch(batchDeps, batch)),
        );
        return answer('restocks', rows);
      },
    }),
  ];
};
