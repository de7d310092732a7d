// Every wire name of Larder, built under one namespace (DESIGN.md §7, habit 11): subjects,
// queue groups, streams, durable consumers, KV buckets and keys, inboxes. Nowhere else.
import type { ChannelId, LocationId, Sku } from '@larder/domain';
import type { Either } from 'effect';
import { allShards, type Shard, type Shards, shardOf } from '../Sharding/Shard.js';
import type { InvalidSubject } from './InvalidSubject.js';
import type { Namespace } from './Namespace.js';
import type { ProcessId } from './ProcessId.js';
import type { DropEventKind } from '../Codec/DropPublicEvent.js';
import type { LotEventKind } from '../Codec/LotPublicEvent.js';
import type { StockEventKind } from './StockEventKind.js';
import { makeSubjectParser, type SubjectAddress } from './SubjectParser.js';

/** A JetStream stream: its name and the subjects it captures. */
export interface StreamNames {
  readonly stream: string;
  readonly streamSubjects: ReadonlyArray<string>;
}

export interface Names {
  readonly namespace: Namespace;
  readonly shards: Shards;
  /** Every shard, 0..shards-1. */
  readonly allShards: ReadonlyArray<Shard>;
  /** The shard that owns a SKU (fnv1a32 mod shards). */
  readonly shardOf: (sku: Sku) => Shard;
  /** Sync commands, core NATS request/reply, subscribed only by the shard's lease holder. */
  readonly requests: {
    /** `<ns>.inv.req.<shard>` */
    readonly subject: (shard: Shard) => string;
    /** `<ns>_inv_req_<shard>`: one group per shard, so a handoff never delivers a request twice. */
    readonly queueGroup: (shard: Shard) => string;
  };
  /** Async commands, stream INV_CMD (work queue). */
  readonly commands: StreamNames & {
    /** `<ns>.inv.cmd.<shard>.<sku>`, the shard computed from the SKU. */
    readonly subject: (sku: Sku) => string;
    /** `<ns>.inv.cmd.<shard>.*`: the filter of a shard's durable consumer. */
    readonly shardFilter: (shard: Shard) => string;
    /** `cmd_shard_<shard>`: the durable consumer of a shard. */
    readonly durable: (shard: Shard) => string;
  };
  /** The journal, stream INV_EVT. */
  readonly journal: StreamNames & {
    /** `<ns>.inv.evt.<shard>.<sku>`, the shard computed from the SKU. */
    readonly subject: (sku: Sku) => string;
    /** `<ns>.inv.evt.<shard>.*`: every SKU of a shard, for replay on takeover. */
    readonly shardFilter: (shard: Shard) => string;
  };
  /** Poison messages, stream INV_DLQ. */
  readonly deadLetters: StreamNames & {
    /** `<ns>.inv.dlq.<shard>` */
    readonly subject: (shard: Shard) => string;
  };
  /** Public analyst events, stream STOCK. */
  readonly stock: StreamNames & {
    /** `<ns>.stock.v1.<kind>.<sku>` */
    readonly subject: (kind: StockEventKind, sku: Sku) => string;
    /** `<ns>.stock.v1.drop.<kind>.<dropId>.<sku>`: a drop opened, sold out or closed at one SKU. */
    readonly dropSubject: (kind: DropEventKind, dropId: string, sku: Sku) => string;
    /** `<ns>.stock.v1.lot.<kind>.<sku>`: a lot's moment (expiring, removed, quarantined, released). */
    readonly lotSubject: (kind: LotEventKind, sku: Sku) => string;
    /** `<ns>.stock.v1.notify.<sku>`: customers who asked to be told when the SKU is back, published when it is. */
    readonly notifySubject: (sku: Sku) => string;
  };
  /** KV bucket names (letters, digits, `_`). */
  readonly buckets: {
    /** `<ns>_stock`: the read projection. */
    readonly stock: string;
    /** `<ns>_shard_leases`: shard ownership. */
    readonly shardLeases: string;
    /** `<ns>_runners`: runner membership. */
    readonly runners: string;
    /**
     * `<ns>_requests`: every POST's record under its Idempotency-Key (one key space for every route);
     * a hold's record is its reservation (terms, decision, the answer a retry gets).
     */
    readonly requests: string;
    /** `<ns>_drops`: each drop's definition (name, times, SKUs with allocation and limit) under its id. */
    readonly drops: string;
    /** `<ns>_webhooks`: each webhook endpoint's registration (url, events, secret) under its id. */
    readonly webhooks: string;
    /** `<ns>_catalogue`: pack recipes (`pack.<sku>`), stock locations (`location.<id>`) and sales channels (`channel.<id>`), watched by every API instance and runner. */
    readonly catalogue: string;
    /**
     * `<ns>_availability`: per SKU (key `<sku>`), whether each scope (the SKU, each location, each
     * channel) was last announced in stock or out, and at which journal sequence: the record that makes
     * `stock.v1.back` fire once per rise from 0 across restarts, takeovers and journal replays (ADR 0019).
     */
    readonly availability: string;
  };
  /** Notify-me (docs/demand-signals.md): the API's consumer of back-in-stock events. */
  readonly notify: {
    /** `notify_back`: one durable pull consumer on STOCK shared by every API instance. */
    readonly durable: string;
    /** `<ns>.stock.v1.back.>`: its filter, every back-in-stock event of every SKU. */
    readonly backFilter: string;
  };
  /** Webhook delivery (ADR 0015): durable consumers on STOCK per endpoint, its log, dead letters and replays. */
  readonly webhooks: {
    /** `webhook_<id>`: an endpoint's durable pull consumer on the STOCK stream. */
    readonly durable: (endpointId: string) => string;
    /** `<NS>_WEBHOOK_LOG`: every delivery attempt, capped per endpoint (max_msgs_per_subject). */
    readonly log: StreamNames & { readonly subject: (endpointId: string) => string };
    /** `<NS>_WEBHOOK_DLQ`: deliveries that spent their retry budget, until replayed. */
    readonly deadLetters: StreamNames & { readonly subject: (endpointId: string) => string };
    /** `<NS>_WEBHOOK_REPLAY` (work queue): dead letters sent again, consumed by `webhook_replay_<id>`. */
    readonly replays: StreamNames & { readonly subject: (endpointId: string) => string; readonly durable: (endpointId: string) => string };
  };
  /**
   * How NATS stores a KV bucket (the server's convention, for the few places that go under the KV
   * client: compare-and-set publishes, listing a bucket's keys from its stream).
   */
  readonly kv: {
    /** `KV_<bucket>`: the bucket's stream. */
    readonly stream: (bucket: string) => string;
    /** `$KV.<bucket>.<key>` (`>` for every key): a key's subject in that stream. */
    readonly subject: (bucket: string, key: string) => string;
  };
  /** KV keys. */
  readonly keys: {
    /** `<sku>` in the stock bucket. */
    readonly stock: (sku: Sku) => string;
    /** `pack.<sku>` in the catalogue bucket: a pack's recipe. */
    readonly pack: (sku: Sku) => string;
    /** `location.<id>` in the catalogue bucket: a stock location's name and priority. */
    readonly location: (id: LocationId) => string;
    /** `channel.<id>` in the catalogue bucket: a sales channel's shelf-life terms. */
    readonly channel: (id: ChannelId) => string;
    /** `channel.>`: every sales channel's key (a watch filter). */
    readonly channelAll: string;
    /** `shard.<shard>` in the lease bucket. */
    readonly lease: (shard: Shard) => string;
    /** `<processId>` in the runners bucket. */
    readonly runner: (processId: ProcessId) => string;
    /** `k.<digest>` in the requests bucket: the record of the POST whose caller and key have this digest (base64url). */
    readonly request: (digest: string) => string;
    /** `i.<base64url id>` in the requests bucket: the key digest of a client-chosen reservation id (an id may hold `:`, a KV key may not). */
    readonly reservationId: (reservationId: string) => string;
    /** `p.<digest>` in the requests bucket: a reservation of several SKUs still being placed. */
    readonly placing: (digest: string) => string;
    /** `p.>`: every placing marker, for the sweep that releases abandoned holds. */
    readonly placingAll: string;
    /** The key digest a placing marker's key names. */
    readonly digestOfPlacing: (key: string) => string;
  };
  /** The single wildcard inbox of a process (replies to request batches and journal PubAcks). */
  readonly inbox: {
    /** `<ns>._INBOX.<processId>`: the client's `inboxPrefix`. */
    readonly prefix: (processId: ProcessId) => string;
    /** `<ns>._INBOX.<processId>.>`: the one subscription that receives every reply. */
    readonly wildcard: (processId: ProcessId) => string;
  };
  /** Operator requests to one runner (drain, hand a shard over), core NATS request/reply. */
  readonly control: {
    /** `<ns>.ops.runner.<processId>` */
    readonly subject: (processId: ProcessId) => string;
  };
  /** `<ns>.inv.cmd.<shard>.<sku>` → `{shard, sku}`, or why it is not one. */
  readonly parseCommandSubject: (subject: string) => Either.Either<SubjectAddress, InvalidSubject>;
  /** `<ns>.inv.evt.<shard>.<sku>` → `{shard, sku}`, or why it is not one. */
  readonly parseEventSubject: (subject: string) => Either.Either<SubjectAddress, InvalidSubject>;
}

export interface NamesOptions {
  readonly shards: Shards;
}

/** The names of one deployment. Stream names use the namespace uppercased (`LARDER_INV_CMD`). */
export const makeNames = (namespace: Namespace, options: NamesOptions): Names => {
  const { shards } = options;
  const ns = namespace;
  const NS = namespace.toUpperCase();
  const cmd = `${ns}.inv.cmd`;
  const evt = `${ns}.inv.evt`;
  const dlq = `${ns}.inv.dlq`;
  const stock = `${ns}.stock.v1`;
  const inbox = (processId: ProcessId) => `${ns}._INBOX.${processId}`;
  return {
    namespace,
    shards,
    allShards: allShards(shards),
    shardOf: (sku) => shardOf(sku, shards),
    requests: {
      subject: (shard) => `${ns}.inv.req.${shard}`,
      queueGroup: (shard) => `${ns}_inv_req_${shard}`,
    },
    commands: {
      stream: `${NS}_INV_CMD`,
      streamSubjects: [`${cmd}.>`],
      subject: (sku) => `${cmd}.${shardOf(sku, shards)}.${sku}`,
      shardFilter: (shard) => `${cmd}.${shard}.*`,
      durable: (shard) => `cmd_shard_${shard}`,
    },
    journal: {
      stream: `${NS}_INV_EVT`,
      streamSubjects: [`${evt}.>`],
      subject: (sku) => `${evt}.${shardOf(sku, shards)}.${sku}`,
      shardFilter: (shard) => `${evt}.${shard}.*`,
    },
    deadLetters: {
      stream: `${NS}_INV_DLQ`,
      streamSubjects: [`${dlq}.>`],
      subject: (shard) => `${dlq}.${shard}`,
    },
    stock: {
      stream: `${NS}_STOCK`,
      streamSubjects: [`${stock}.>`],
      subject: (kind, sku) => `${stock}.${kind}.${sku}`,
      dropSubject: (kind, dropId, sku) => `${stock}.drop.${kind}.${dropId}.${sku}`,
      lotSubject: (kind, sku) => `${stock}.lot.${kind}.${sku}`,
      notifySubject: (sku) => `${stock}.notify.${sku}`,
    },
    buckets: {
      stock: `${ns}_stock`,
      shardLeases: `${ns}_shard_leases`,
      runners: `${ns}_runners`,
      requests: `${ns}_requests`,
      drops: `${ns}_drops`,
      webhooks: `${ns}_webhooks`,
      catalogue: `${ns}_catalogue`,
      availability: `${ns}_availability`,
    },
    notify: {
      durable: 'notify_back',
      backFilter: `${stock}.back.>`,
    },
    webhooks: {
      durable: (id) => `webhook_${id}`,
      log: { stream: `${NS}_WEBHOOK_LOG`, streamSubjects: [`${ns}.webhooks.log.>`], subject: (id) => `${ns}.webhooks.log.${id}` },
      deadLetters: { stream: `${NS}_WEBHOOK_DLQ`, streamSubjects: [`${ns}.webhooks.dlq.>`], subject: (id) => `${ns}.webhooks.dlq.${id}` },
      replays: {
        stream: `${NS}_WEBHOOK_REPLAY`,
        streamSubjects: [`${ns}.webhooks.replay.>`],
        subject: (id) => `${ns}.webhooks.replay.${id}`,
        durable: (id) => `webhook_replay_${id}`,
      },
    },
    kv: {
      stream: (bucket) => `KV_${bucket}`,
      subject: (bucket, key) => `$KV.${bucket}.${key}`,
    },
    keys: {
      stock: (sku) => sku,
      pack: (sku) => `pack.${sku}`,
      location: (id) => `location.${id}`,
      channel: (id) => `channel.${id}`,
      channelAll: 'channel.>',
      lease: (shard) => `shard.${shard}`,
      runner: (processId) => processId,
      request: (digest) => `k.${digest}`,
      reservationId: (id) => `i.${Buffer.from(id).toString('base64url')}`,
      placing: (digest) => `p.${digest}`,
      placingAll: 'p.>',
      digestOfPlacing: (key) => key.slice(2),
    },
    inbox: {
      prefix: inbox,
      wildcard: (processId) => `${inbox(processId)}.>`,
    },
    control: {
      subject: (processId) => `${ns}.ops.runner.${processId}`,
    },
    parseCommandSubject: makeSubjectParser(cmd, shards),
    parseEventSubject: makeSubjectParser(evt, shards),
  };
};
