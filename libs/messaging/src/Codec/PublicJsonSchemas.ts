// JSON Schemas of the messages readers outside Larder consume, generated from the same Effect
// schemas the code uses. They are committed under docs/events/ and a test keeps them in step.
import { JSONSchema } from 'effect';
import { DropPublicEvent } from './DropPublicEvent.js';
import { LotPublicEvent } from './LotPublicEvent.js';
import { NotifyPublicEvent } from './NotifyPublicEvent.js';
import { StockPublicEvent } from './StockPublicEvent.js';
import { StockView } from './StockView.js';

/** File name under docs/events/ → its JSON Schema (draft-07). */
export const publicJsonSchemas = (): Readonly<Record<string, unknown>> => ({
  'stock.v1.schema.json': JSONSchema.make(StockPublicEvent),
  'stock-view.v1.schema.json': JSONSchema.make(StockView),
  'stock.v1.drop.schema.json': JSONSchema.make(DropPublicEvent),
  'stock.v1.lot.schema.json': JSONSchema.make(LotPublicEvent),
  'stock.v1.notify.schema.json': JSONSchema.make(NotifyPublicEvent),
});

export const renderJsonSchema = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`;
