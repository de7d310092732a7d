// What the consoles scenario asks of its child (JSON in the CONSOLES variable), and what the child
// reports: per client, what it follows and the `event: stock` frames it had at each mark (SIGUSR2) and at the end.
import { Schema } from 'effect';

export const ConsolesSpec = Schema.Struct({
  apiUrl: Schema.String,
  apiKey: Schema.String,
  clients: Schema.Int,
  /** Client i follows these SKUs when i is even (`?sku=…`), every SKU when odd. */
  hotSkus: Schema.Array(Schema.String),
  /** Every client must have had `event: ready` within this long. */
  readyTimeoutMs: Schema.Number,
});
export type ConsolesSpec = typeof ConsolesSpec.Type;

const ConsolesMark = Schema.Struct({
  /** ms since every client was ready. */
  atMs: Schema.Number,
  /** Each client's `event: stock` frames so far. */
  frames: Schema.Array(Schema.Int),
});

export const ConsolesDone = Schema.Struct({
  msg: Schema.Literal('consoles done'),
  /** From the first connection to the last `event: ready`. */
  connectMs: Schema.Number,
  clients: Schema.Array(
    Schema.Struct({
      follows: Schema.Literal('hot', 'all'),
      snapshotFrames: Schema.Int,
      stockFrames: Schema.Int,
      bytes: Schema.Int,
      /** The API ended the stream before the child closed it. */
      cutOff: Schema.Boolean,
    }),
  ),
  marks: Schema.Array(ConsolesMark),
});
export type ConsolesDone = typeof ConsolesDone.Type;

/** The log line the child writes when it has taken its n-th mark (from 1). */
export const markLine = (n: number) => `"consoles mark ${n}"`;
