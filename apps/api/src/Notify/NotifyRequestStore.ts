// Notify-me requests in Postgres (`notify_request`, libs/persistence): a customer's wait for a SKU (and a
// channel; null = the SKU as a whole) kept once while it waits — the partial unique index makes a
// concurrent second POST find the first — deleted if the customer takes it back while it waits, and
// claimed in one statement by the back-in-stock event that wakes it, so two events (or two API
// instances) never tell a customer twice.
import { CustomerId, EpochMillis } from '@larder/domain';
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

const Millis = Schema.NumberFromString.pipe(Schema.int());

export const StoredNotifyRequest = Schema.Struct({
  id: Schema.String,
  sku: Schema.String,
  customerId: Schema.String,
  channel: Schema.NullOr(Schema.String),
  /** Epoch ms. */
  requestedAt: Millis,
});
export type StoredNotifyRequest = typeof StoredNotifyRequest.Type;

const ChannelCounts = Schema.Struct({ channel: Schema.NullOr(Schema.String), waiting: Schema.Int, notified: Schema.Int });
export type ChannelCounts = typeof ChannelCounts.Type;

/** A customer woken by a back-in-stock event, with when they asked and when they were marked notified (epoch ms). */
const Instant = Schema.compose(Millis, EpochMillis);
const WokenCustomer = Schema.Struct({ customerId: CustomerId, requestedAt: Instant, notifiedAt: Instant });
export type WokenCustomer = typeof WokenCustomer.Type;

const decodeRequests = Schema.decodeUnknownSync(Schema.Array(StoredNotifyRequest));
const decodeIds = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ id: Schema.String })));
const decodeCounts = Schema.decodeUnknownSync(Schema.Array(ChannelCounts));
const decodeWoken = Schema.decodeUnknownSync(Schema.Array(WokenCustomer));
const decodeWaiting = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ sku: Schema.String, waiting: Schema.Int })));

const columns = `"id", "sku", "customer_id" as "customerId", "channel", (extract(epoch from "requested_at") * 1000)::bigint::text as "requestedAt"`;
/** Requests for the same scope: `channel` null and a channel never collide (no channel id is empty). */
const sameChannel = `coalesce("channel", '') = coalesce(?::text, '')`;

const insertSql = `
insert into notify_request ("id", "sku", "customer_id", "channel", "requested_at")
values (?, ?, ?, ?::text, ?::timestamptz)
on conflict ("sku", "customer_id", (coalesce("channel", ''))) where "notified_at" is null do nothing
returning ${columns}`;

const waitingSql = `select ${columns} from notify_request where "sku" = ? and "customer_id" = ? and ${sameChannel} and "notified_at" is null`;

/** A customer takes a waiting request back; notified ones stay, they are history. */
const cancelSql = `delete from notify_request where "sku" = ? and "customer_id" = ? and ${sameChannel} and "notified_at" is null returning "id"`;

const countsSql = `
select "channel", (count(*) filter (where "notified_at" is null))::int as "waiting", (count(*) filter (where "notified_at" is not null))::int as "notified"
from notify_request where "sku" = ? group by "channel" order by "channel" nulls first`;

// A redelivered back event finds what it claimed before (`prior`, by its STOCK sequence, recent enough
// that a STOCK stream recreated since cannot alias it) and claims nothing more, so it publishes the very
// same batches again, under the same message ids. Otherwise the waiting requests of the scope are
// claimed; a concurrent claim of the same rows waits on their locks and then finds them taken.
const claimSql = `
with prior as (
  select "id", "customer_id", "requested_at", "notified_at" from notify_request
  where "sku" = ? and "notified_by" = ? and ${sameChannel} and "notified_at" >= ?::timestamptz
), claimed as (
  update notify_request set "notified_at" = ?::timestamptz, "notified_by" = ?
  where "sku" = ? and "notified_at" is null and ${sameChannel} and not exists (select 1 from prior)
  returning "id", "customer_id", "requested_at", "notified_at"
)
select "customer_id" as "customerId",
  (extract(epoch from "requested_at") * 1000)::bigint::text as "requestedAt",
  (extract(epoch from "notified_at") * 1000)::bigint::text as "notifiedAt"
from (select * from prior union all select * from claimed) as woken
order by "requested_at", "id"`;

const waitingBySkuSql = `
select "sku", count(*)::int as "waiting" from notify_request
where "notified_at" is null and "sku" in (select jsonb_array_elements_text(?::jsonb))
group by "sku"`;

/** How far back a redelivered back event looks for what it claimed: far longer than any redelivery takes. */
const PriorClaimMs = 24 * 60 * 60_000;

export interface NotifyRequestStore {
  /** Starts a wait, or finds the one already waiting (`created: false`). */
  readonly request: (request: StoredNotifyRequest) => Promise<{ readonly request: StoredNotifyRequest; readonly created: boolean }>;
  /**
   * Deletes the customer's request waiting for `sku` and `channel` (null: the SKU as a whole); false
   * when none waits (never asked, or already notified: notified requests are kept).
   */
  readonly cancel: (wait: { readonly sku: string; readonly customerId: string; readonly channel: string | null }) => Promise<boolean>;
  /** Per channel (null first), the requests waiting and those notified. */
  readonly counts: (sku: string) => Promise<ReadonlyArray<ChannelCounts>>;
  /**
   * Marks notified, by the back event at STOCK sequence `backStreamSeq`, the requests of `sku` waiting
   * for `channel` (null: the SKU as a whole), and answers them oldest first; a second call for the same
   * event answers the same customers and claims nobody new.
   */
  readonly claim: (wake: { readonly sku: string; readonly channel: string | null; readonly backStreamSeq: number; readonly now: number }) => Promise<ReadonlyArray<WokenCustomer>>;
  /** Requests waiting per SKU, for the SKUs given (absent: none waiting). */
  readonly waitingBySku: (skus: ReadonlyArray<string>) => Promise<ReadonlyMap<string, number>>;
}

export const makeNotifyRequestStore = (orm: MikroORM): NotifyRequestStore => ({
  request: async (request) => {
    const iso = new Date(request.requestedAt).toISOString();
    // A row inserted by a concurrent POST is not in this statement's snapshot: it is read by the next one.
    // Between the two, the waiting row may be notified and gone: then the insert is tried once more.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [inserted] = decodeRequests(await queryRows(orm, insertSql, [request.id, request.sku, request.customerId, request.channel, iso]));
      if (inserted !== undefined) return { request: inserted, created: true };
      const [waiting] = decodeRequests(await queryRows(orm, waitingSql, [request.sku, request.customerId, request.channel]));
      if (waiting !== undefined) return { request: waiting, created: false };
    }
    throw new Error(`the notify-me request of ${request.customerId} for ${request.sku} neither inserts nor is found waiting`);
  },
  cancel: async ({ sku, customerId, channel }) => decodeIds(await queryRows(orm, cancelSql, [sku, customerId, channel])).length > 0,
  counts: async (sku) => decodeCounts(await queryRows(orm, countsSql, [sku])),
  claim: async ({ sku, channel, backStreamSeq, now }) =>
    decodeWoken(
      await queryRows(orm, claimSql, [
        sku,
        backStreamSeq,
        channel,
        new Date(now - PriorClaimMs).toISOString(),
        new Date(now).toISOString(),
        backStreamSeq,
        sku,
        channel,
      ]),
    ),
  waitingBySku: async (skus) => {
    if (skus.length === 0) return new Map();
    const rows = decodeWaiting(await queryRows(orm, waitingBySkuSql, [JSON.stringify(skus)]));
    return new Map(rows.map((r) => [r.sku, r.waiting]));
  },
});
