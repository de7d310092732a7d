// One row of a restock import (`sku,qty,reference[,location,lot,best_before,produced_on]`), checked
// without I/O: its key (sku, location, reference) — the same delivery line uploaded again is the same
// key — and the restock it asks for (of a lot when `lot` is given, with its `best_before`), or why it is refused.
import { createHash } from 'node:crypto';
import { CalendarDate, CommandId, DefaultLocation, LocationId, LotCode, MaxQuantity, Quantity, Reference, Sku, type LotInfo } from '@larder/domain';
import { Either, ParseResult, Schema } from 'effect';
import type { CsvColumns } from './CsvRows.js';

export const RestockColumns: CsvColumns = { required: ['sku', 'qty', 'reference'], optional: ['location', 'lot', 'best_before', 'produced_on'] };

export interface RestockLine {
  readonly key: string;
  readonly sku: Sku;
  readonly qty: Quantity;
  readonly reference: Reference;
  readonly location: LocationId;
  readonly lot?: LotInfo;
}

export type CheckedRestock = { readonly _tag: 'Valid'; readonly line: RestockLine } | { readonly _tag: 'Invalid'; readonly key: string; readonly reason: string };

/** `sku|location|reference`: a SKU and a location never contain "|", so the key reads back unambiguously. */
export const restockKey = (sku: string, location: string, reference: string) => `${sku}|${location}|${reference}`;

/** The key of a row as written (before any check), used to keep repeats of a key out of one batch. */
export const rawRestockKey = (cells: Readonly<Record<string, string | undefined>>) =>
  restockKey(cells['sku'] ?? '', cells['location'] ?? DefaultLocation, cells['reference'] ?? '');

/** The Restock command id of a key: the same row always becomes the same command (deduplicated downstream). */
export const restockCommandId = (key: string): CommandId =>
  CommandId.make(`import:restock:${createHash('sha256').update(key).digest('base64url').slice(0, 43)}`);

const WholeNumber = /^[+-]?\d+$/;

const firstMessage = (error: ParseResult.ParseError) => ParseResult.ArrayFormatter.formatErrorSync(error)[0]?.message ?? 'not valid';

const decode = <A>(schema: Schema.Schema<A, string>, column: string, value: string | undefined): Either.Either<A, string> =>
  value === undefined
    ? Either.left(`${column} is empty`)
    : Either.mapLeft(Schema.decodeUnknownEither(schema)(value), (e) => `${column} ${JSON.stringify(value)}: ${firstMessage(e)}`);

const quantityOf = (value: string | undefined): Either.Either<Quantity, string> => {
  if (value === undefined) return Either.left('qty is empty');
  const n = WholeNumber.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MaxQuantity) {
    return Either.left(`qty ${JSON.stringify(value)}: a restock is a whole number of units from 1 to ${MaxQuantity} (take stock out with POST /v1/adjustments)`);
  }
  return Either.right(Quantity.make(n));
};

/** The row's lot: none without `lot` (then no dates either), else its code and best-before (required) and production date. */
const lotOf = (cells: Readonly<Record<string, string | undefined>>): Either.Either<LotInfo | undefined, string> => {
  if (cells['lot'] === undefined) {
    return cells['best_before'] === undefined && cells['produced_on'] === undefined ? Either.right(undefined) : Either.left('best_before and produced_on belong to a lot: give its code in lot');
  }
  return Either.all({
    code: decode(LotCode, 'lot', cells['lot']),
    bestBefore: decode(CalendarDate, 'best_before', cells['best_before']),
    producedOn: cells['produced_on'] === undefined ? Either.right(undefined) : decode(CalendarDate, 'produced_on', cells['produced_on']),
  }).pipe(Either.map(({ code, bestBefore, producedOn }): LotInfo => (producedOn === undefined ? { code, bestBefore } : { code, bestBefore, producedOn })));
};

export const checkRestockRow = (cells: Readonly<Record<string, string | undefined>>): CheckedRestock => {
  const key = rawRestockKey(cells);
  const parts = Either.all({
    sku: decode(Sku, 'sku', cells['sku']),
    qty: quantityOf(cells['qty']),
    reference: decode(Reference, 'reference', cells['reference']),
    location: cells['location'] === undefined ? Either.right(DefaultLocation) : decode(LocationId, 'location', cells['location']),
    lot: lotOf(cells),
  });
  return Either.match(parts, {
    onLeft: (reason) => ({ _tag: 'Invalid', key, reason }),
    onRight: ({ lot, ...p }) => ({ _tag: 'Valid', line: { ...p, ...(lot === undefined ? {} : { lot }), key: restockKey(p.sku, p.location, p.reference) } }),
  });
};
