// Poison on INV_CMD lands in INV_DLQ with a reason that names the problem, and the shard's consumer
// goes straight on with the next command; the operator's tool lists dead letters and replays each
// command exactly once (a command buried twice is still applied once).
import { positionAt, type Command, type Sku } from '@larder/domain';
import { encodeCommandMessage, encodeDeadLetter, HeaderNames, listDeadLetters, replayDeadLetters } from '@larder/messaging';
import { nuid } from '@nats-io/transport-node';
import { Either } from 'effect';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mainLocation, restock, sku } from './Support/Commands.js';
import { deadLettersOf, sameBytes } from './Support/DeadLettersOf.js';
import { eventsOf, replayedState } from './Support/JournalOf.js';
import { makeRunnerFixture, now, type RunnerFixture } from './Support/RunnerFixture.js';

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
});
afterAll(async () => f?.cleanup());

const utf8 = (text: string) => new TextEncoder().encode(text);
/** A restock as plain JSON, to be broken one field at a time. */
const restockJson = (s: Sku) => ({
  _tag: 'Restock',
  commandId: `raw-${nuid.next()}`,
  actor: 'service:test',
  now: Date.now(),
  sku: s,
  qty: 5,
  reference: 'po-poison',
});
const commandIdsOf = async (s: Sku) => (await eventsOf(f, s)).map((e) => e.commandId);

describe('poison published to inv.cmd.<shard>.<sku>', () => {
  const otherSku = sku('POISON-OTHER-SKU');
  const cases: ReadonlyArray<{ readonly name: string; readonly payload: (s: Sku) => Uint8Array; readonly reason: RegExp }> = [
    { name: 'bytes that are not JSON', payload: () => utf8('restock 5 units, please'), reason: /CommandMessage: not UTF-8 JSON/ },
    {
      name: 'JSON of an unknown wire version',
      payload: (s) => utf8(JSON.stringify({ v: 2, command: restockJson(s) })),
      reason: /unsupported wire version 2/,
    },
    {
      name: 'an unknown command _tag',
      payload: (s) => utf8(JSON.stringify({ v: 1, command: { ...restockJson(s), _tag: 'TeleportStock' } })),
      reason: /command\._tag: .*actual "TeleportStock"/,
    },
    {
      name: 'a valid command for another SKU than the subject names',
      payload: () => encodeCommandMessage({ v: 1, command: restock(otherSku, 5) }),
      reason: /the subject names SKU "POISON-\d+" but the command is for "POISON-OTHER-SKU"/,
    },
    {
      name: 'a negative quantity',
      payload: (s) => utf8(JSON.stringify({ v: 1, command: { ...restockJson(s), qty: -5 } })),
      reason: /command\.qty: .*-5/,
    },
  ];

  it.each(cases.map((c, i) => ({ ...c, s: sku(`POISON-${i}`) })))(
    '$name: dead-lettered with its reason, and the next command is applied',
    async ({ s, payload, reason }) => {
      const subject = f.names.commands.subject(s);
      const poison = payload(s);
      const msgId = `poison-${nuid.next()}`;
      await f.js.publish(subject, poison, { msgID: msgId });
      const next = restock(s, 3);
      await f.publish(next);

      await expect.poll(() => commandIdsOf(s), { timeout: 10_000 }).toEqual([next.commandId]);
      const find = async () => (await deadLettersOf(f)).find((d) => sameBytes(d.letter.original, poison));
      await expect.poll(find, { timeout: 10_000 }).toBeDefined();
      const stored = await find();
      expect(stored?.subject).toBe(f.names.deadLetters.subject(f.names.shardOf(s)));
      expect(stored?.letter.reason).toMatch(reason);
      expect(stored?.letter).toMatchObject({ v: 1, subject, deliveries: 1, headers: { [HeaderNames.messageId]: [msgId] } });
    },
  );

  // After the cases above: one letter each, and nothing left waiting or unacked on any shard.
  it('left nothing behind: the poison was acked, the other SKU untouched, INV_CMD drained', async () => {
    expect(await eventsOf(f, otherSku)).toEqual([]);
    await expect
      .poll(async () => (await f.jsm.streams.info(f.names.commands.stream)).state.messages, { timeout: 10_000 })
      .toBe(0);
    for (const shard of f.names.allShards) {
      const info = await f.jsm.consumers.info(f.names.commands.stream, f.names.commands.durable(shard));
      expect({ shard, pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ shard, pending: 0, unacked: 0 });
    }
    expect(await deadLettersOf(f)).toHaveLength(cases.length);
  });
});

describe('listing and replaying dead letters', () => {
  // Each case starts from an empty DLQ (the poison cases above left theirs).
  beforeEach(async () => {
    await f.jsm.streams.purge(f.names.deadLetters.stream);
  });

  /** A command buried in INV_DLQ as if it had failed `deliveries` times, with its original headers. */
  const bury = async (command: Command) => {
    const letter = encodeDeadLetter({
      v: 1,
      reason: 'gave up after 5 deliveries: journal_unavailable: test',
      subject: f.names.commands.subject(command.sku),
      original: encodeCommandMessage({ v: 1, command }),
      headers: { [HeaderNames.messageId]: [command.commandId] },
      failedAt: now(),
      deliveries: 5,
    });
    await f.js.publish(f.names.deadLetters.subject(f.names.shardOf(command.sku)), letter);
  };
  /** A later command on the same SKU through INV_CMD: once it is applied, everything before it was decided. */
  const settle = async (s: Sku) => {
    const sentinel = restock(s, 1);
    await f.publish(sentinel);
    await expect.poll(async () => (await commandIdsOf(s)).includes(sentinel.commandId), { timeout: 10_000 }).toBe(true);
    return sentinel;
  };

  it('lists a dead letter, replays it once, and leaves INV_DLQ empty; a second replay does nothing', async () => {
    const s = sku('REPLAY-1');
    const command = restock(s, 7);
    await bury(command);

    const listed = await listDeadLetters(f.jsm, f.names);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.letter).toMatchObject(Either.right({ subject: f.names.commands.subject(s), deliveries: 5 }));

    expect(await replayDeadLetters(f.js, f.jsm, f.names)).toEqual({ replayed: 1, skipped: [] });
    await expect.poll(() => commandIdsOf(s), { timeout: 10_000 }).toEqual([command.commandId]);
    expect(await listDeadLetters(f.jsm, f.names)).toEqual([]);

    expect(await replayDeadLetters(f.js, f.jsm, f.names)).toEqual({ replayed: 0, skipped: [] });
    const sentinel = await settle(s);
    expect(await commandIdsOf(s)).toEqual([command.commandId, sentinel.commandId]);
  });

  it('applies a command dead-lettered twice only once', async () => {
    const s = sku('REPLAY-TWICE-1');
    const command = restock(s, 7);
    await bury(command);
    await bury(command);

    expect(await replayDeadLetters(f.js, f.jsm, f.names)).toEqual({ replayed: 2, skipped: [] });
    const sentinel = await settle(s);
    expect(await commandIdsOf(s)).toEqual([command.commandId, sentinel.commandId]);
    expect(positionAt(await replayedState(f, s), mainLocation).onHand).toBe(7 + 1);
    expect(await listDeadLetters(f.jsm, f.names)).toEqual([]);
  });

  it('skips a dead letter it cannot read, says why, and keeps it', async () => {
    const s = sku('REPLAY-MIXED-1');
    const command = restock(s, 2);
    await f.js.publish(f.names.deadLetters.subject(f.names.shardOf(s)), utf8('not a dead letter'));
    await bury(command);

    const result = await replayDeadLetters(f.js, f.jsm, f.names);
    expect(result.replayed).toBe(1);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.why).toMatch(/undecodable dead letter: DeadLetter: not UTF-8 JSON/);
    await expect.poll(() => commandIdsOf(s), { timeout: 10_000 }).toEqual([command.commandId]);
    const left = await listDeadLetters(f.jsm, f.names);
    expect(left.map((l) => ({ seq: l.seq, readable: Either.isRight(l.letter) }))).toEqual([{ seq: result.skipped[0]?.seq, readable: false }]);
  });
});
