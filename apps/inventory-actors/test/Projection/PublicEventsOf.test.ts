// Specification of the public analyst events between the last published view and the newest one.
import { describe, expect, it } from '@effect/vitest';
import type { AppliedBatch } from '../../src/Projection/Projector.js';
import { publicEventsOf } from '../../src/Projection/PublicEventsOf.js';
import { adjust, decidedSku, policy, release, reserve, restock, sale, viewAfter } from './Fixtures/DecidedSku.js';

/** Publishes `given`, then runs each `when` batch (coalesced) and returns the events of the move. */
const eventsAfter = (given: AppliedBatch, ...when: ReadonlyArray<AppliedBatch>) => {
  const last = when.at(-1) ?? given;
  return publicEventsOf(viewAfter(given), viewAfter(last), when);
};
const kinds = (events: ReadonlyArray<{ readonly kind: string; readonly location?: string | undefined }>) => events.map((e) => `${e.kind}@${e.location ?? '-'}`);

describe('given no published view (unknown)', () => {
  it('reports every location as changed and no crossing', () => {
    const jerky = decidedSku('J-1');
    const batch = jerky.run(restock(5, 'main'), restock(1, 'cold'));
    expect(kinds(publicEventsOf(undefined, viewAfter(batch), [batch]))).toStrictEqual(['changed@cold', 'changed@main']);
  });
});

describe('given 10 available and a low-stock threshold of 3', () => {
  const setUp = () => {
    const jerky = decidedSku('J-2', 10);
    return { jerky, given: jerky.run(restock(10), policy({ lowStockThreshold: 3 })) };
  };

  it('a sale of 7 is a change and falls low', () => {
    const { jerky, given } = setUp();
    const events = eventsAfter(given, jerky.run(sale(7)));
    expect(events).toMatchObject([
      { v: 1, kind: 'changed', sku: jerky.sku, location: 'main', onHand: 3, reserved: 0, available: 3, safetyStock: 0, seq: 11 },
      { kind: 'low', available: 3, seq: 11 },
    ]);
  });

  it('a hold of all 10 is a change, not low (out is the announcer\'s, judged per batch)', () => {
    const { jerky, given } = setUp();
    expect(kinds(eventsAfter(given, jerky.run(reserve('r1', 10))))).toStrictEqual(['changed@main']);
  });

  it('a sale of 2 is only a change', () => {
    const { jerky, given } = setUp();
    expect(kinds(eventsAfter(given, jerky.run(sale(2))))).toStrictEqual(['changed@main']);
  });

  it('a hold made and released before publishing changes nothing', () => {
    const { jerky, given } = setUp();
    expect(eventsAfter(given, jerky.run(reserve('r1', 4)), jerky.run(release('r1')))).toStrictEqual([]);
  });
});

describe('given 2 available, already low', () => {
  it('selling one more is a change, not a second low', () => {
    const jerky = decidedSku('J-3');
    const given = jerky.run(restock(2), policy({ lowStockThreshold: 3 }));
    expect(kinds(eventsAfter(given, jerky.run(sale(1))))).toStrictEqual(['changed@main']);
  });
});

describe('given out of stock', () => {
  const setUp = () => {
    const jerky = decidedSku('J-4');
    return { jerky, given: jerky.run(restock(4), policy({ lowStockThreshold: 10 }), sale(4)) };
  };

  it('a restock is a change (rising into the low zone is not low; back is the announcer\'s)', () => {
    const { jerky, given } = setUp();
    expect(kinds(eventsAfter(given, jerky.run(restock(5))))).toStrictEqual(['changed@main']);
  });
});

describe('given stock only at main', () => {
  it('stock arriving at a new location is a change there', () => {
    const jerky = decidedSku('J-5');
    const given = jerky.run(restock(4, 'main'));
    expect(kinds(eventsAfter(given, jerky.run(restock(2, 'cold'))))).toStrictEqual(['changed@cold']);
  });
});

describe('given 1 unit on hand, then sales without stock in two coalesced batches', () => {
  const jerky = decidedSku('J-6', 20);
  const given = jerky.run(restock(1));
  const first = jerky.run(sale(3));
  const second = jerky.run(adjust(-2));
  const events = eventsAfter(given, first, second);

  it('keeps one shortfall per ShortfallRecorded, each with its own batch seq, before the change', () => {
    expect(events.map((e) => [e.kind, e.seq, 'shortfall' in e ? e.shortfall : undefined])).toStrictEqual([
      ['shortfall', 21, 2],
      ['shortfall', 22, 2],
      ['changed', 22, undefined],
    ]);
  });

  it('gives each shortfall the levels right after it', () => {
    expect(events[0]).toMatchObject({ onHand: -2, available: 0, location: 'main' });
    expect(events[1]).toMatchObject({ onHand: -4, available: 0 });
  });
});
