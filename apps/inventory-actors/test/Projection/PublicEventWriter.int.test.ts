// Public events on the real STOCK stream: each kind on its own subject, and a republished list
// (a retry after a failure) deduplicated by its message ids.
import { afterAll, beforeAll, describe, expect, it } from '@effect/vitest';
import { Effect } from 'effect';
import { publicEventsOf } from '../../src/Projection/PublicEventsOf.js';
import { makePublicEventWriter } from '../../src/Projection/PublicEventWriter.js';
import { decidedSku, restock, sale, viewAfter } from './Fixtures/DecidedSku.js';
import { openProjectionServices, type ProjectionServices } from './Fixtures/ProjectionServices.js';

let s: ProjectionServices;
beforeAll(async () => {
  s = await openProjectionServices();
});
afterAll(async () => {
  await s?.close();
});

describe('given a sale beyond the stock on hand', () => {
  it('publishes each event once on its subject, even when the list is published again', async () => {
    const jerky = decidedSku('PUB-1', 5);
    const given = jerky.run(restock(2));
    const batch = jerky.run(sale(3), sale(1));
    const events = publicEventsOf(viewAfter(given), viewAfter(batch), [batch]);
    expect(events.map((e) => e.kind)).toStrictEqual(['shortfall', 'shortfall', 'changed']);

    const writer = makePublicEventWriter({ js: s.js, names: s.names });
    await Effect.runPromise(writer.publish(events));
    await Effect.runPromise(writer.publish(events));

    const info = await s.jsm.streams.info(s.names.stock.stream);
    expect(info.state.messages).toBe(3);
    const subjects = await Promise.all(
      [1, 2, 3].map(async (seq) => (await s.jsm.streams.getMessage(s.names.stock.stream, { seq }))?.subject),
    );
    expect(subjects).toStrictEqual([
      s.names.stock.subject('shortfall', jerky.sku),
      s.names.stock.subject('shortfall', jerky.sku),
      s.names.stock.subject('changed', jerky.sku),
    ]);
  });
});
