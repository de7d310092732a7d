// A drop as the brand defines it (DESIGN.md §10 "Drops"): a name, an opening and a closing time, and
// per SKU the units ring-fenced and the limit per customer. Kept in KV `drops` under its id, written
// only once every SKU's owner took the allocation; the figures live in the SKU actors (their views).
import { DropId, EpochMillis, Quantity, Sku } from '@larder/domain';
import { Either, Schema } from 'effect';

/** ISO 8601 with a time zone, e.g. `2026-12-07T18:00:00Z`. */
export const IsoInstant = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: () => 'a time is ISO 8601 with a time zone, e.g. "2026-12-07T18:00:00Z"',
  }),
  Schema.filter((s) => !Number.isNaN(Date.parse(s)) || 'not a real date and time'),
);

export const DropSkuTerms = Schema.Struct({
  sku: Sku,
  /** Units ring-fenced for the drop, taken from available stock. */
  allocation: Quantity,
  /** Units one customer may hold or buy in the drop, across any number of reservations. */
  limitPerCustomer: Quantity,
});
export type DropSkuTerms = typeof DropSkuTerms.Type;

const uniqueSkus = (skus: ReadonlyArray<{ readonly sku: string }>) =>
  new Set(skus.map((s) => s.sku)).size === skus.length || 'each SKU appears once in a drop';

export const DropRequest = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  opensAt: IsoInstant,
  closesAt: IsoInstant,
  skus: Schema.Array(DropSkuTerms).pipe(Schema.minItems(1), Schema.maxItems(100), Schema.filter(uniqueSkus)),
})
  .pipe(Schema.filter((d) => Date.parse(d.closesAt) > Date.parse(d.opensAt) || { path: ['closesAt'], message: 'closesAt must be after opensAt' }))
  .annotations({ identifier: 'DropRequest' });
export type DropRequest = typeof DropRequest.Type;

export const DropDefinition = Schema.Struct({
  v: Schema.Literal(1),
  dropId: DropId,
  name: Schema.String,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  skus: Schema.Array(DropSkuTerms),
  createdAt: EpochMillis,
  updatedAt: EpochMillis,
  /** When an operator closed it (a drop also closes by itself at `closesAt`). */
  closedAt: Schema.NullOr(EpochMillis),
});
export type DropDefinition = typeof DropDefinition.Type;

const decodeDefinitionEither = Schema.decodeUnknownEither(Schema.parseJson(DropDefinition));
const utf8 = new TextDecoder();

export const encodeDefinition = (d: DropDefinition): string => JSON.stringify(d);
export const decodeDefinition = (bytes: Uint8Array): Either.Either<DropDefinition, { readonly reason: string }> =>
  Either.mapLeft(decodeDefinitionEither(utf8.decode(bytes)), (error) => ({ reason: error.message }));
