// One back event through the notifier with fakes: what it claims, publishes and how it settles the message
// — acked when done or when there is nothing to do (a bad payload included), nak'ed with a delay when
// Postgres or NATS fails, so the redelivery tells the customers claimed.
import { CustomerId, EpochMillis, LocationId, Sku } from '@larder/domain';
import { decodeNotifyPublicEvent, encodeStockPublicEvent, makeNames, Namespace, Shards, type StockPublicEvent } from '@larder/messaging';
import { Either } from 'effect';
import { describe, expect, it } from 'vitest';
import { notifyBackInStock, NotifyRetryMs, type BackMessage, type NotifyHandlerDeps } from '../../src/Notify/BackInStockNotifier.js';
import type { NotifyRequestStore, WokenCustomer } from '../../src/Notify/NotifyRequestStore.js';

const names = makeNames(Namespace.make('larder'), { shards: Shards.make(4) });
const sku = Sku.make('JERKY-GHOST-100G');
const at = EpochMillis.make(1_767_398_400_000);
const back = (scope: Partial<Pick<StockPublicEvent, 'scope' | 'location' | 'channel'>>): StockPublicEvent => ({
  v: 1, kind: 'back', sku, ...scope, onHand: 5, reserved: 0, available: 5, safetyStock: 0, seq: 77, at,
});

/** A STOCK message at sequence 900 whose settlement is recorded. */
const message = (data: Uint8Array) => {
  const settled: Array<string> = [];
  const m: BackMessage = {
    data,
    seq: 900,
    subject: names.stock.subject('back', sku),
    ack: () => settled.push('ack'),
    nak: (millis?: number) => settled.push(`nak ${millis ?? 0}`),
  };
  return { m, settled };
};

/** A store that fails loudly on anything the test did not supply. */
const store = (claim?: NotifyRequestStore['claim']): NotifyRequestStore => ({
  request: () => Promise.reject(new Error('request was not expected')),
  cancel: () => Promise.reject(new Error('cancel was not expected')),
  counts: () => Promise.reject(new Error('counts was not expected')),
  waitingBySku: () => Promise.reject(new Error('waitingBySku was not expected')),
  claim: claim ?? (() => Promise.reject(new Error('claim was not expected'))),
});

const woken = (n: number): Array<WokenCustomer> =>
  Array.from({ length: n }, (_, i) => ({ customerId: CustomerId.make(`cus_${i}`), requestedAt: EpochMillis.make(at - 1_000 + i), notifiedAt: EpochMillis.make(at + 5) }));

const deps = (overrides: Partial<NotifyHandlerDeps>) => {
  const published: Array<{ subject: string; msgID: string; data: Uint8Array }> = [];
  const warnings: Array<string> = [];
  const d: NotifyHandlerDeps = {
    names,
    store: store(),
    now: () => at + 5,
    warn: (detail) => warnings.push(detail),
    publish: async (subject, data, msgID) => {
      published.push({ subject, msgID, data });
    },
    ...overrides,
  };
  return { d, published, warnings };
};

describe('a back event of the SKU as a whole', () => {
  it('claims the requests with no channel by its STOCK sequence, publishes them in batches of 500, then acks', async () => {
    const claims: Array<unknown> = [];
    const { d, published } = deps({ store: store(async (wake) => (claims.push(wake), woken(501))) });
    const { m, settled } = message(encodeStockPublicEvent(back({ scope: 'sku' })));
    await notifyBackInStock(d, m);
    expect(claims).toEqual([{ sku, channel: null, backStreamSeq: 900, now: at + 5 }]);
    expect(published.map((p) => [p.subject, p.msgID])).toEqual([
      [names.stock.notifySubject(sku), 'notify:900:1'],
      [names.stock.notifySubject(sku), 'notify:900:2'],
    ]);
    const events = published.map((p) => Either.getOrThrow(decodeNotifyPublicEvent(p.data)));
    expect(events.map((e) => [e.batch, e.batches, e.customers.length])).toEqual([[1, 2, 500], [2, 2, 1]]);
    expect(events[1]).toMatchObject({ sku, channel: null, back: { seq: 77, streamSeq: 900, at }, at: at + 5, customers: [{ customerId: 'cus_500' }] });
    expect(settled).toEqual(['ack']);
  });

  it('with nobody waiting, publishes nothing and acks', async () => {
    const { d, published } = deps({ store: store(async () => []) });
    const { m, settled } = message(encodeStockPublicEvent(back({ scope: 'sku' })));
    await notifyBackInStock(d, m);
    expect(published).toEqual([]);
    expect(settled).toEqual(['ack']);
  });
});

describe('a back event of one location (or from before scopes)', () => {
  it.each([[{ scope: 'location' as const, location: LocationId.make('main') }], [{ location: LocationId.make('main') }]])('claims nothing and acks (%j)', async (scope) => {
    const { d, published } = deps({});
    const { m, settled } = message(encodeStockPublicEvent(back(scope)));
    await notifyBackInStock(d, m);
    expect(published).toEqual([]);
    expect(settled).toEqual(['ack']);
  });
});

describe('a payload that is not a public stock event', () => {
  it('is logged and acked, never claimed', async () => {
    const { d, warnings } = deps({});
    const { m, settled } = message(new TextEncoder().encode('{"v":1,"kind":"back"}'));
    await notifyBackInStock(d, m);
    expect(settled).toEqual(['ack']);
    expect(warnings).toEqual([expect.stringContaining('ignored STOCK message 900')]);
  });
});

describe('a failure', () => {
  it('of Postgres: nak’ed with a delay, nothing published', async () => {
    const { d, published, warnings } = deps({ store: store(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))) });
    const { m, settled } = message(encodeStockPublicEvent(back({ scope: 'sku' })));
    await notifyBackInStock(d, m);
    expect(published).toEqual([]);
    expect(settled).toEqual([`nak ${NotifyRetryMs}`]);
    expect(warnings).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });

  it('of NATS on a batch: nak’ed with a delay, so the redelivery publishes the claimed customers again', async () => {
    const { d } = deps({ store: store(async () => woken(2)), publish: () => Promise.reject(new Error('TIMEOUT')) });
    const { m, settled } = message(encodeStockPublicEvent(back({ scope: 'sku' })));
    await notifyBackInStock(d, m);
    expect(settled).toEqual([`nak ${NotifyRetryMs}`]);
  });
});
