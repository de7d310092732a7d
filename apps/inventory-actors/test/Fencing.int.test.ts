// Fencing end to end: when another writer has appended to a SKU behind its actor's back, the actor's
// next append must fail the Expected-Last-Subject-Sequence check, catch up and decide again; it must
// never acknowledge a command whose events are not in the journal.
import { decide, positionAt, type Event, type Sku } from '@larder/domain';
import { Effect, Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openActorServices, type ActorServices } from './Support/ActorServices.js';
import { mainLocation, reserve, restock, sku } from './Support/Commands.js';
import { eventsOf, journalOf, replayedState } from './Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';

let f: RunnerFixture;
let services: ActorServices;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
  services = await openActorServices(f);
});
afterAll(async () => {
  await services?.close();
  await f?.cleanup();
});

/** Another writer's batch, fenced on the true last sequence: the SKU's actor in memory does not know it. */
const appendBehindTheActor = async (s: Sku, units: number) => {
  const records = await journalOf(f, s);
  const decision = decide(restock(s, units), await replayedState(f, s));
  if (Either.isLeft(decision)) throw new Error(`the foreign restock was refused: ${decision.left._tag}`);
  const [head, ...tail]: ReadonlyArray<Event> = decision.right;
  if (head === undefined) throw new Error('the foreign restock decided no events');
  await Effect.runPromise(services.journal.append(s, Date.now(), [head, ...tail], records.at(-1)?.seq ?? 0));
};
const commandIdsOf = async (s: Sku) => (await eventsOf(f, s)).map((e) => e.commandId);

describe('an actor whose SKU another writer appended to', () => {
  // nats-server 2.9 answers a failed expectation with `error` plus `stream`/`seq: 0`: a refusal, never a PubAck.
  it('catches up, decides again, and acknowledges only what the journal holds', async () => {
    const s = sku('JERKY-FENCE-1');
    expect(Either.isRight(await f.request(restock(s, 10)))).toBe(true);
    await appendBehindTheActor(s, 5);

    const reply = await f.request(reserve(s, 'after-foreign-append', 3), 3_000);
    expect(Either.isRight(reply) ? reply.right : reply.left).toMatchObject({
      _tag: 'Accepted',
      levels: { onHand: 15, reserved: 3, available: 12 },
    });
    const reserved = (await eventsOf(f, s)).flatMap((e) => (e._tag === 'StockReserved' ? [e.reservationId] : []));
    expect(reserved).toEqual(['after-foreign-append']);
    expect(positionAt(await replayedState(f, s), mainLocation)).toMatchObject({ onHand: 15, reserved: 3 });
  });

  it('acks an async command only once its events are in the journal', async () => {
    const s = sku('JERKY-FENCE-2');
    const first = restock(s, 10);
    await f.publish(first);
    await expect.poll(() => commandIdsOf(s), { timeout: 10_000 }).toEqual([first.commandId]);
    await appendBehindTheActor(s, 5);

    const late = restock(s, 1);
    await f.publish(late);
    const shard = f.names.shardOf(s);
    const settled = async () => {
      const info = await f.jsm.consumers.info(f.names.commands.stream, f.names.commands.durable(shard));
      return info.num_pending === 0 && info.num_ack_pending === 0;
    };
    await expect.poll(settled, { timeout: 10_000 }).toBe(true); // acked: the runner is done with it
    expect(await commandIdsOf(s)).toContain(late.commandId);
  });
});
