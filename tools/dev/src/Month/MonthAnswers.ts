// The API answers `npm run demo:month` reads, decoded at the boundary: stock, the newest ledger entry,
// notify-me counts, a refusal's problem type and the restock suggestions.
import { RestockSuggestion } from '@larder/domain';
import { Schema } from 'effect';

export const decodeAvailable = Schema.decodeUnknownSync(Schema.Struct({ available: Schema.Int }));
export const decodeNewestOnHand = Schema.decodeUnknownSync(Schema.Struct({ entries: Schema.Array(Schema.Struct({ after: Schema.Struct({ onHand: Schema.Int }) })) }));
export const decodeNotifyCounts = Schema.decodeUnknownSync(Schema.Struct({ waiting: Schema.Int, notified: Schema.Int }));
export const decodeProblemType = Schema.decodeUnknownSync(Schema.Struct({ type: Schema.String }));

/** An item of GET /v1/restock-suggestions: the domain's suggestion, the policy's origin and the signals beside it. */
const SuggestionItem = Schema.Struct({
  ...RestockSuggestion.fields,
  policy: Schema.Struct({ ...RestockSuggestion.fields.policy.fields, defaulted: Schema.Boolean }),
  signals: Schema.Struct({
    pollVotes: Schema.Int,
    lostDemandUnits: Schema.Int,
    lostDemand: Schema.Struct({ units: Schema.Int, refusals: Schema.Int, days: Schema.Int }),
    notifyWaiting: Schema.Int,
  }),
});
export type SuggestionItem = typeof SuggestionItem.Type;

export const decodeSuggestions = Schema.decodeUnknownSync(Schema.Struct({ today: Schema.String, days: Schema.Int, items: Schema.Array(SuggestionItem) }));
