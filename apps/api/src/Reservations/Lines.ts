// The lines of a reservation or an order: 1–50 of them, each SKU at most once, 1–10,000 units each.
import { LocationId, Quantity, Sku } from '@larder/domain';
import { Schema } from 'effect';

export const MaxLines = 50;
export const MaxLineQty = 10_000;

export const Line = Schema.Struct({
  sku: Sku,
  qty: Quantity.pipe(Schema.lessThanOrEqualTo(MaxLineQty, { message: () => `a line is 1–${MaxLineQty} units` })),
  /** Take the units from this location; left out: the highest-priority location that can fill the whole line. */
  location: Schema.optionalWith(LocationId, { exact: true }),
}).annotations({ identifier: 'Line' });
export type Line = typeof Line.Type;

export const Lines = Schema.Array(Line).pipe(
  Schema.minItems(1, { message: () => `1 to ${MaxLines} lines` }),
  Schema.maxItems(MaxLines, { message: () => `1 to ${MaxLines} lines` }),
  Schema.filter((lines) => {
    const seen = new Set<string>();
    for (const [index, line] of lines.entries()) {
      if (seen.has(line.sku)) return { path: [index, 'sku'], message: `SKU ${line.sku} appears on more than one line` };
      seen.add(line.sku);
    }
    return true;
  }),
);

/** One SKU a line holds: the SKU itself, or (a pack line) each component × the line's qty; where it is held. */
export const HoldAnswer = Schema.Struct({ sku: Schema.String, qty: Schema.Int, location: Schema.optional(Schema.String) }).annotations({ identifier: 'ComponentHold' });

/** A line as answered (plain strings and numbers): as asked, and the holds it is made of. */
export const LineAnswer = Schema.Struct({
  sku: Schema.String,
  qty: Schema.Int,
  location: Schema.optional(Schema.String),
  /** `pack`: a variety pack, held as its components (`holds`). */
  kind: Schema.Literal('sku', 'pack'),
  holds: Schema.Array(HoldAnswer),
}).annotations({ identifier: 'LineAnswer' });
export type LineAnswer = typeof LineAnswer.Type;
