// The request-path client (DESIGN.md §2): every sync command of one event-loop turn for the same
// shard travels in one NATS message to the shard's owner, with a reply subject on the process's one
// wildcard inbox; the owner answers the batch in one message. "No responders" fails at once.
import { EpochMillis, type Command } from '@larder/domain';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { decodeReplyBatch } from '../Codec/ReplyBatch.js';
import type { ReplyOutcome } from '../Codec/ReplyOutcome.js';
import { encodeRequestBatch, type RequestItem } from '../Codec/RequestBatch.js';
import { HeaderNames } from '../Names/HeaderNames.js';
import type { Names } from '../Names/Names.js';
import type { Shard } from '../Sharding/Shard.js';
import type { TraceParent } from '../Tracing/TraceParent.js';

export type RequestFailure =
  | { readonly _tag: 'NoResponders'; readonly shard: number }
  | { readonly _tag: 'Timeout'; readonly shard: number; readonly waitedMs: number }
  | { readonly _tag: 'Malformed'; readonly shard: number; readonly reason: string }
  | { readonly _tag: 'Closed'; readonly shard: number };

export interface RequestClient {
  /**
   * Sends one command to its shard's owner; the answer, or a failure by `deadline` (epoch ms).
   * `traceparent` (the caller's span, when it traces) travels on the command's own batch item.
   */
  readonly send: (command: Command, deadline: number, traceparent?: TraceParent) => Effect.Effect<ReplyOutcome, RequestFailure>;
  readonly inFlight: () => number;
  readonly close: () => void;
}

interface Item {
  readonly id: string;
  readonly command: Command;
  readonly deadline: number;
  readonly traceparent: TraceParent | undefined;
  readonly sentAt: number;
  readonly settle: (result: Either.Either<ReplyOutcome, RequestFailure>) => void;
}

interface Batch {
  readonly shard: Shard;
  readonly items: Map<string, Item>;
  earliest: number;
}

export interface RequestClientOptions {
  /** The process's inbox prefix (`Names.inbox.prefix`); replies arrive on `<prefix>.req.<n>`. */
  readonly inboxPrefix: string;
}

export const makeRequestClient = (nc: NatsConnection, names: Names, options: RequestClientOptions): RequestClient => {
  const replyPrefix = `${options.inboxPrefix}.req`;
  const queued = new Map<Shard, Array<Item>>();
  const batches = new Map<number, Batch>();
  let batchCounter = 0;
  let itemCounter = 0;
  let flushScheduled = false;
  let closed = false;

  const settleBatch = (batchNo: number, outcome: (item: Item) => Either.Either<ReplyOutcome, RequestFailure>) => {
    const batch = batches.get(batchNo);
    if (batch === undefined) return;
    batches.delete(batchNo);
    for (const item of batch.items.values()) item.settle(outcome(item));
  };

  const subscription: Subscription = nc.subscribe(`${replyPrefix}.*`, {
    callback: (error, msg) => {
      if (error !== null) return;
      const batchNo = Number(msg.subject.slice(replyPrefix.length + 1));
      const batch = batches.get(batchNo);
      if (batch === undefined) return; // every item already timed out
      const { shard } = batch;
      if (msg.headers?.code === 503) return settleBatch(batchNo, () => Either.left({ _tag: 'NoResponders', shard }));
      const refused = msg.headers?.get(HeaderNames.reason) ?? '';
      if (refused !== '') return settleBatch(batchNo, () => Either.left({ _tag: 'Malformed', shard, reason: `the owner refused the batch: ${refused}` }));
      const reply = decodeReplyBatch(msg.data);
      if (Either.isLeft(reply)) {
        return settleBatch(batchNo, () => Either.left({ _tag: 'Malformed', shard, reason: reply.left.reason }));
      }
      for (const { id, outcome } of reply.right.items) {
        const item = batch.items.get(id);
        if (item === undefined) continue;
        batch.items.delete(id);
        item.settle(Either.right(outcome));
      }
      // Items the owner did not answer are a protocol error, not a silent hang.
      settleBatch(batchNo, () => Either.left({ _tag: 'Malformed', shard, reason: 'the reply left this item out' }));
    },
  });

  const flush = () => {
    flushScheduled = false;
    for (const [shard, items] of queued) {
      const batchNo = ++batchCounter;
      const map = new Map<string, Item>();
      let earliest = Infinity;
      for (const item of items) {
        map.set(item.id, item);
        earliest = Math.min(earliest, item.deadline);
      }
      batches.set(batchNo, { shard, items: map, earliest });
      // Without a traceparent the item is written exactly as before tracing existed (no extra field).
      const [first, ...rest] = items.map((i): RequestItem => {
        const deadline = EpochMillis.make(i.deadline, { disableValidation: true });
        return i.traceparent === undefined
          ? { id: i.id, command: i.command, deadline }
          : { id: i.id, command: i.command, deadline, traceparent: i.traceparent };
      });
      if (first === undefined) continue;
      const payload = encodeRequestBatch({ v: 1, items: [first, ...rest] });
      nc.publish(names.requests.subject(shard), payload, { reply: `${replyPrefix}.${batchNo}` });
    }
    queued.clear();
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [batchNo, batch] of batches) {
      if (batch.earliest > now) continue;
      let earliest = Infinity;
      for (const [id, item] of batch.items) {
        if (item.deadline <= now) {
          batch.items.delete(id);
          item.settle(Either.left({ _tag: 'Timeout', shard: batch.shard, waitedMs: now - item.sentAt }));
        } else earliest = Math.min(earliest, item.deadline);
      }
      if (batch.items.size === 0) batches.delete(batchNo);
      else batch.earliest = earliest;
    }
  }, 20);
  sweep.unref();

  const send = (command: Command, deadline: number, traceparent?: TraceParent) =>
    Effect.async<ReplyOutcome, RequestFailure>((resume) => {
      const shard = names.shardOf(command.sku);
      if (closed) return resume(Either.left({ _tag: 'Closed', shard }));
      const item: Item = { id: (++itemCounter).toString(36), command, deadline, traceparent, sentAt: Date.now(), settle: resume };
      const list = queued.get(shard);
      if (list === undefined) queued.set(shard, [item]);
      else list.push(item);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });

  return {
    send,
    inFlight: () => [...batches.values()].reduce((n, b) => n + b.items.size, 0),
    close: () => {
      closed = true;
      clearInterval(sweep);
      subscription.unsubscribe();
      for (const batchNo of [...batches.keys()]) settleBatch(batchNo, (i) => Either.left({ _tag: 'Closed', shard: names.shardOf(i.command.sku) }));
    },
  };
};
