// The lines of a reservation or an order: 1–50 of them, each SKU at most once, 1–10,000 units each.
import { Quantity, Sku } from '@larder/domain';
import { Schema } from 'effect';

export const MaxLines = 50;
export const MaxLineQty = 10_000;

export const Line = Schema.Struct({
  sku: Sku,
  qty: Quantity.pipe(Schema.lessThanOrEqualTo(MaxLineQty, { message: () => `a line is 1–${MaxLineQty} units` })),
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

/** A line as answered (plain strings and numbers). */
export const LineAnswer = Schema.Struct({ sku: Schema.String, qty: Schema.Int }).annotations({ identifier: 'LineAnswer' });
