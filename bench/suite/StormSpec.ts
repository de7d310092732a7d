// What the isolation scenario asks of its storm child (passed as JSON in the STORM variable).
import { Schema } from 'effect';

export const StormSpec = Schema.Struct({
  apiUrl: Schema.String,
  apiKey: Schema.String,
  flashSku: Schema.String,
  flashClients: Schema.Int,
  flashRequests: Schema.Int,
  restockSkus: Schema.Array(Schema.String),
  restockConnections: Schema.Int,
  /** The storm stops by itself after this long if no SIGTERM came first. */
  seconds: Schema.Number,
});
export type StormSpec = typeof StormSpec.Type;
