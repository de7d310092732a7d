// The request-path client against the real NATS server: "no responders" fails at once, silence fails
// at the deadline, one event-loop turn's commands for one shard travel in one message (one per
// shard), and a reply that leaves an item out fails that item instead of leaving it hanging.
import { Actor, CommandId, EpochMillis, Quantity, Reference, Restock, Sku, type Command } from '@larder/domain';
import { headers, type Msg, type Subscription } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeRequestBatch,
  encodeReplyBatch,
  HeaderNames,
  makeRequestClient,
  type ReplyItem,
  type ReplyOutcome,
  type RequestClient,
  type RequestFailure,
  type RequestItem,
  Shard,
} from '../../src/index.js';
import { connectTestNats, type TestNats } from './Support/TestNats.js';

let t: TestNats;
beforeAll(async () => {
  t = await connectTestNats();
});
afterAll(async () => t?.cleanup());

let clients = 0;
const openClient = (): RequestClient => makeRequestClient(t.nc, t.names, { inboxPrefix: t.inboxPrefix(`client-${++clients}`) });
let commandCount = 0;
const restock = (sku: Sku): Command =>
  Restock.make({
    commandId: CommandId.make(`cmd-${++commandCount}`),
    actor: Actor.make('service:test'),
    now: EpochMillis.make(Date.now()),
    sku,
    qty: Quantity.make(1),
    reference: Reference.make('po-1'),
  });

/** `count` SKUs that all hash to `shard`. */
const skusOf = (shard: Shard, count: number): ReadonlyArray<Sku> => {
  const out: Array<Sku> = [];
  for (let i = 0; out.length < count; i++) {
    const sku = Sku.make(`SKU-${i}`);
    if (t.names.shardOf(sku) === shard) out.push(sku);
  }
  return out;
};
const shardA = Shard.make(0);
const shardB = Shard.make(1);

/** The answer as a plain object, so `toEqual` compares values, not Either instances. */
type Settled = { readonly outcome: ReplyOutcome } | { readonly failure: RequestFailure };
const send = (client: RequestClient, command: Command, deadline: number): Promise<Settled> =>
  Effect.runPromise(
    Effect.match(client.send(command, deadline), { onSuccess: (outcome) => ({ outcome }), onFailure: (failure) => ({ failure }) }),
  );
const failureOf = (s: Settled): RequestFailure | undefined => ('failure' in s ? s.failure : undefined);

const accepted: ReplyOutcome = { _tag: 'Accepted', seq: null, levels: { onHand: 1, reserved: 0, safetyStock: 0, available: 1 } };

/** A plain responder on a shard's request subject: records every batch and answers with `answer`. */
const respond = async (
  shard: Shard,
  answer: (items: ReadonlyArray<RequestItem>, msg: Msg) => void,
): Promise<{ readonly batches: Array<ReadonlyArray<RequestItem>>; readonly sub: Subscription }> => {
  const batches: Array<ReadonlyArray<RequestItem>> = [];
  const sub = t.nc.subscribe(t.names.requests.subject(shard), {
    callback: (error, msg) => {
      if (error !== null) return;
      // A batch that does not decode is neither recorded nor answered: the counts below catch it.
      const batch = decodeRequestBatch(msg.data);
      if (Either.isLeft(batch)) return;
      batches.push(batch.right.items);
      answer(batch.right.items, msg);
    },
  });
  await t.nc.flush(); // the server knows the subscription before anything is sent
  return { batches, sub };
};

const replyWith = (msg: Msg, items: ReadonlyArray<ReplyItem>) => {
  const [first, ...rest] = items;
  if (first !== undefined) msg.respond(encodeReplyBatch({ v: 1, items: [first, ...rest] }));
};
const acceptAll = (items: ReadonlyArray<RequestItem>, msg: Msg) => replyWith(msg, items.map((i) => ({ id: i.id, outcome: accepted })));

describe('a shard nobody serves', () => {
  it('fails with NoResponders at once, well before the deadline', async () => {
    const client = openClient();
    const [sku = Sku.make('none')] = skusOf(shardA, 1);
    let timer: NodeJS.Timeout | undefined;
    // An ordering check, not a timing claim: the answer must come before a timer that ends before the deadline.
    const stillWaiting = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), 4_000)));
    const result = await Promise.race([send(client, restock(sku), Date.now() + 5_000), stillWaiting]);
    clearTimeout(timer);
    client.close();
    expect(result).toEqual({ failure: { _tag: 'NoResponders', shard: shardA } });
  });
});

describe('an owner that never answers', () => {
  it('fails with Timeout at the deadline, not before', async () => {
    const client = openClient();
    const { batches, sub } = await respond(shardA, () => undefined);
    const [sku = Sku.make('none')] = skusOf(shardA, 1);
    const deadline = Date.now() + 300;
    const result = await send(client, restock(sku), deadline);
    const settledAt = Date.now();
    sub.unsubscribe();
    client.close();
    expect(failureOf(result)?._tag).toBe('Timeout');
    expect(settledAt).toBeGreaterThanOrEqual(deadline);
    expect(batches).toHaveLength(1); // it reached a responder: this was silence, not "no responders"
  });

  it('fails what is still waiting with Closed when the client closes', async () => {
    const client = openClient();
    const { sub } = await respond(shardA, () => undefined);
    const [sku = Sku.make('none')] = skusOf(shardA, 1);
    const pending = send(client, restock(sku), Date.now() + 10_000);
    await expect.poll(() => client.inFlight()).toBe(1);
    client.close();
    expect(await pending).toEqual({ failure: { _tag: 'Closed', shard: shardA } });
    sub.unsubscribe();
  });
});

describe('batching per event-loop turn', () => {
  it('sends every command of one turn for one shard in ONE message and answers each', async () => {
    const client = openClient();
    const { batches, sub } = await respond(shardA, acceptAll);
    const skus = skusOf(shardA, 8);
    const commands = skus.map(restock);
    const results = await Promise.all(commands.map((c) => send(client, c, Date.now() + 5_000)));
    sub.unsubscribe();
    client.close();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((i) => i.command.commandId)).toEqual(commands.map((c) => c.commandId));
    expect(results).toEqual(commands.map(() => ({ outcome: accepted })));
  });

  it('sends the items of different shards in separate messages, each to its own shard', async () => {
    const client = openClient();
    const a = await respond(shardA, acceptAll);
    const b = await respond(shardB, acceptAll);
    const commands = [...skusOf(shardA, 3), ...skusOf(shardB, 3)].map(restock);
    const results = await Promise.all(commands.map((c) => send(client, c, Date.now() + 5_000)));
    a.sub.unsubscribe();
    b.sub.unsubscribe();
    client.close();
    expect(a.batches).toHaveLength(1);
    expect(b.batches).toHaveLength(1);
    expect(a.batches[0]?.map((i) => t.names.shardOf(i.command.sku))).toEqual([shardA, shardA, shardA]);
    expect(b.batches[0]?.map((i) => t.names.shardOf(i.command.sku))).toEqual([shardB, shardB, shardB]);
    expect(results).toEqual(commands.map(() => ({ outcome: accepted })));
  });

  it('sends commands of a later turn in a new message', async () => {
    const client = openClient();
    const { batches, sub } = await respond(shardA, acceptAll);
    const [first = Sku.make('none'), second = Sku.make('none')] = skusOf(shardA, 2);
    await send(client, restock(first), Date.now() + 5_000);
    await send(client, restock(second), Date.now() + 5_000);
    sub.unsubscribe();
    client.close();
    expect(batches.map((b) => b.length)).toEqual([1, 1]);
  });
});

describe('a reply that does not match the batch', () => {
  it('fails only the item the reply left out, with Malformed', async () => {
    const client = openClient();
    const skus = skusOf(shardA, 3);
    const [left = Sku.make('none')] = skus;
    const { sub } = await respond(shardA, (items, msg) =>
      replyWith(msg, items.filter((i) => i.command.sku !== left).map((i) => ({ id: i.id, outcome: accepted }))),
    );
    const results = await Promise.all(skus.map((s) => send(client, restock(s), Date.now() + 5_000)));
    sub.unsubscribe();
    client.close();
    expect(results[0]).toEqual({ failure: { _tag: 'Malformed', shard: shardA, reason: 'the reply left this item out' } });
    expect(results.slice(1)).toEqual([{ outcome: accepted }, { outcome: accepted }]);
  });

  it('fails the whole batch with Malformed when the owner refuses it with a reason header', async () => {
    const client = openClient();
    const { sub } = await respond(shardA, (_items, msg) => {
      const h = headers();
      h.set(HeaderNames.reason, 'RequestBatch: unsupported wire version 9');
      msg.respond(new Uint8Array(), { headers: h });
    });
    const results = await Promise.all(skusOf(shardA, 2).map((s) => send(client, restock(s), Date.now() + 5_000)));
    sub.unsubscribe();
    client.close();
    for (const r of results) {
      const failure = failureOf(r);
      expect(failure?._tag).toBe('Malformed');
      expect(failure?._tag === 'Malformed' ? failure.reason : '').toMatch(/refused the batch: .*wire version 9/);
    }
  });
});
