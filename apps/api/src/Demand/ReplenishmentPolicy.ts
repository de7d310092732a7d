// A SKU's replenishment policy (DESIGN.md §10 "Demand"): lead time, service level and review period,
// set with PUT /v1/skus/{sku} and kept on its catalogue entry (jsonb); the defaults when none is set.
import { RestockInput } from '@larder/domain';
import { Schema } from 'effect';

export const ReplenishmentPolicy = Schema.Struct({
  /** Days from placing an order to its units being sellable. */
  leadTimeDays: RestockInput.fields.leadTimeDays,
  /** The chance of not running out while an order is on its way (0.5–0.9999). */
  serviceLevel: RestockInput.fields.serviceLevel,
  /** Days until the next chance to order (default 7). */
  reviewDays: RestockInput.fields.reviewDays,
}).annotations({ identifier: 'ReplenishmentPolicy' });
export type ReplenishmentPolicy = typeof ReplenishmentPolicy.Type;

/** The policy of a SKU that has none. */
export const DefaultReplenishment: ReplenishmentPolicy = ReplenishmentPolicy.make({ leadTimeDays: 14, serviceLevel: 0.95 });
