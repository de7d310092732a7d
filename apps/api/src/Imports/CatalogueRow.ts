// One row of a catalogue import (`sku,name[,lowStockThreshold][,safetyStock]`), checked without I/O:
// the change it asks for (an empty cell keeps the entry's value; none for a new entry), or why it is
// refused; and whether it would change an entry as it stands.
import { MaxQuantity, Sku, Units } from '@larder/domain';
import { Either, ParseResult, Schema } from 'effect';
import { CatalogEntryRequest, type CatalogRow } from '../Catalog/CatalogEntry.js';
import type { CsvColumns } from './CsvRows.js';

export const CatalogueColumns: CsvColumns = { required: ['sku', 'name'], optional: ['lowStockThreshold', 'safetyStock'] };

export interface CatalogueLine {
  readonly sku: Sku;
  readonly change: CatalogEntryRequest;
}

export type CheckedCatalogue = { readonly _tag: 'Valid'; readonly line: CatalogueLine } | { readonly _tag: 'Invalid'; readonly key: string; readonly reason: string };

const WholeNumber = /^\+?\d+$/;

const unitsOf = (column: string, value: string | undefined): Either.Either<Units | undefined, string> => {
  if (value === undefined) return Either.right(undefined);
  const n = WholeNumber.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n <= MaxQuantity
    ? Either.right(Units.make(n))
    : Either.left(`${column} ${JSON.stringify(value)}: a whole number of units from 0 to ${MaxQuantity}, or empty to keep the current value`);
};

const firstMessage = (error: ParseResult.ParseError) => ParseResult.ArrayFormatter.formatErrorSync(error)[0]?.message ?? 'not valid';

const decodeName = Schema.decodeUnknownEither(CatalogEntryRequest.fields.name);

export const checkCatalogueRow = (cells: Readonly<Record<string, string | undefined>>): CheckedCatalogue => {
  const key = cells['sku'] ?? '';
  const parts = Either.all({
    sku: Either.mapLeft(Schema.decodeUnknownEither(Sku)(cells['sku'] ?? ''), (e) => `sku ${JSON.stringify(key)}: ${firstMessage(e)}`),
    name: cells['name'] === undefined ? Either.left('name is empty') : Either.mapLeft(decodeName(cells['name']), (e) => `name: ${firstMessage(e)}`),
    lowStockThreshold: unitsOf('lowStockThreshold', cells['lowStockThreshold']),
    safetyStock: unitsOf('safetyStock', cells['safetyStock']),
  });
  return Either.match(parts, {
    onLeft: (reason) => ({ _tag: 'Invalid', key, reason }),
    onRight: ({ sku, name, lowStockThreshold, safetyStock }) => ({
      _tag: 'Valid',
      line: {
        sku,
        change: { name, ...(lowStockThreshold === undefined ? {} : { lowStockThreshold }), ...(safetyStock === undefined ? {} : { safetyStock }) },
      },
    }),
  });
};

/** True when applying `change` to `entry` would change nothing. */
export const changesNothing = (entry: CatalogRow, change: CatalogEntryRequest) =>
  entry.name === change.name &&
  (change.lowStockThreshold === undefined || change.lowStockThreshold === entry.lowStockThreshold) &&
  (change.safetyStock === undefined || change.safetyStock === entry.safetyStock);

/** The policy fields of `change` that differ from `entry` (all given ones for a new entry): what the actor must be told. */
export const policyChange = (entry: CatalogRow | undefined, change: CatalogEntryRequest) => ({
  ...(change.safetyStock !== undefined && change.safetyStock !== entry?.safetyStock ? { safetyStock: change.safetyStock } : {}),
  ...(change.lowStockThreshold !== undefined && change.lowStockThreshold !== entry?.lowStockThreshold ? { lowStockThreshold: change.lowStockThreshold } : {}),
});
