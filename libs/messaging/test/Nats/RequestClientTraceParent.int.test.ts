// What tracing changes on the request path's wire, seen by a raw subscriber on the real NATS server:
// without a traceparent the batch is byte for byte what it was before tracing existed (no field, no
// header); with one, each item carries its own, so commands of many traces can share one message.
import { Actor, CommandId, EpochMillis, Quantity, Reference, Restock, Sku, type Command } from '@larder/domain';
import type { Msg } from '@nats-io/transport-node';
import { Effect, Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeReplyBatch, makeRequestClient, Shard, type ReplyOutcome, type RequestClient, type TraceParent } from '../../src/index.js';
import { connectTestNats, type TestNats } from './Support/TestNats.js';

let t: TestNats;
beforeAll(async () => {
  t = await connectTestNats();
});
afterAll(async () => t?.cleanup());

const shard = Shard.make(2);
let counter = 0;
const restockOnShard = (): Command => {
  for (let i = 0; ; i++) {
    const sku = Sku.make(`TRACE-${++counter}-${i}`);
    if (t.names.shardOf(sku) !== shard) continue;
    return Restock.make({
      commandId: CommandId.make(`cmd-trace-${counter}`),
      actor: Actor.make('service:test'),
      now: EpochMillis.make(1_764_000_000_000),
      sku,
      qty: Quantity.make(1),
      reference: Reference.make('po-1'),
    });
  }
};
/** Just enough of a batch to answer it and see its traceparents (the codec's tests cover the rest). */
const readItems = Schema.decodeUnknownSync(
  Schema.parseJson(Schema.Struct({ items: Schema.Array(Schema.Struct({ id: Schema.String, traceparent: Schema.optional(Schema.String) })) })),
);
const itemsOf = (msg: Msg | undefined) => readItems(new TextDecoder().decode(msg?.data)).items;
const accepted: ReplyOutcome = { _tag: 'Accepted', seq: null, levels: { onHand: 1, reserved: 0, safetyStock: 0, available: 1 } };

/** Records every raw message on the shard's request subject and answers each item Accepted. */
const rawResponder = async () => {
  const seen: Array<Msg> = [];
  const sub = t.nc.subscribe(t.names.requests.subject(shard), {
    callback: (error, msg) => {
      if (error !== null) return;
      seen.push(msg);
      const [first, ...rest] = itemsOf(msg).map((i) => ({ id: i.id, outcome: accepted }));
      if (first !== undefined) msg.respond(encodeReplyBatch({ v: 1, items: [first, ...rest] }));
    },
  });
  await t.nc.flush();
  return { seen, sub };
};

const openClient = (label: string): RequestClient => makeRequestClient(t.nc, t.names, { inboxPrefix: t.inboxPrefix(label) });

describe('the request batch on the wire', () => {
  it('without a traceparent: exactly the pre-tracing bytes, and no headers', async () => {
    const client = openClient('untraced');
    const { seen, sub } = await rawResponder();
    const commands = [restockOnShard(), restockOnShard()];
    const deadline = Date.now() + 5_000;
    await Promise.all(commands.map((c) => Effect.runPromise(client.send(c, deadline))));
    sub.unsubscribe();
    client.close();
    expect(seen).toHaveLength(1);
    const [msg] = seen;
    const text = new TextDecoder().decode(msg?.data);
    const ids = itemsOf(msg).map((i) => i.id);
    const expected = JSON.stringify({ v: 1, items: commands.map((command, i) => ({ id: ids[i], command, deadline })) });
    expect(text).toBe(expected);
    expect(text).not.toContain('traceparent');
    expect(msg?.headers).toBeUndefined();
  });

  it('with traceparents: each item of the one message carries its own, and an untraced item none', async () => {
    const client = openClient('traced');
    const { seen, sub } = await rawResponder();
    const first: TraceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const second: TraceParent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const deadline = Date.now() + 5_000;
    await Promise.all([
      Effect.runPromise(client.send(restockOnShard(), deadline, first)),
      Effect.runPromise(client.send(restockOnShard(), deadline)),
      Effect.runPromise(client.send(restockOnShard(), deadline, second)),
    ]);
    sub.unsubscribe();
    client.close();
    expect(seen).toHaveLength(1);
    const items = itemsOf(seen[0]);
    expect(items.map((i) => i.traceparent)).toEqual([first, undefined, second]);
    const raw = new TextDecoder().decode(seen[0]?.data);
    expect(raw.match(/"traceparent"/g)).toHaveLength(2);
  });
});
