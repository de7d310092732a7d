// What a receiver gets: `{type, timestamp, data}` with the public event and its `version` (the journal
// seq), the same `webhook-id` on every attempt, and a body that is refused when it is not the event.
import { encodeDropPublicEvent, encodeNotifyPublicEvent, encodeStockPublicEvent, type DropPublicEvent, type NotifyPublicEvent, type StockPublicEvent } from '@larder/messaging';
import { CustomerId, DropId, EpochMillis, LocationId, Sku } from '@larder/domain';
import { Either, Schema } from 'effect';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliveryOf, payloadOf } from '../../src/Webhooks/WebhookPayload.js';

const at = EpochMillis.make(Date.parse('2025-03-01T09:00:00.000Z'));
const changed: StockPublicEvent = {
  v: 1,
  kind: 'changed',
  sku: Sku.make('jerky-original-100g'),
  location: LocationId.make('main'),
  onHand: 40,
  reserved: 5,
  available: 35,
  safetyStock: 0,
  seq: 1234,
  at,
};
const Body = Schema.parseJson(Schema.Struct({ type: Schema.String, timestamp: Schema.String, data: Schema.Record({ key: Schema.String, value: Schema.Unknown }) }));

describe('a stock event', () => {
  it('becomes {type, timestamp, data} with data.version = seq and webhook-id evt_<stream seq>', () => {
    const delivery = Either.getOrThrow(deliveryOf('stock.v1.changed', 77, encodeStockPublicEvent(changed)));
    expect(delivery.webhookId).toBe('evt_77');
    expect(Schema.decodeUnknownSync(Body)(payloadOf(delivery))).toEqual({
      type: 'stock.v1.changed',
      timestamp: '2025-03-01T09:00:00.000Z',
      data: { ...changed, version: 1234 },
    });
  });

  it('signs so that standardwebhooks verifies it', () => {
    const delivery = Either.getOrThrow(deliveryOf('stock.v1.changed', 77, encodeStockPublicEvent(changed)));
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const body = payloadOf(delivery);
    const now = new Date();
    const headers = { 'webhook-id': delivery.webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(delivery.webhookId, now, body) };
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'stock.v1.changed' });
  });

  it('is refused when the body is not a public event', () => {
    expect(Either.isLeft(deliveryOf('stock.v1.changed', 1, new TextEncoder().encode('{"v":1,"kind":"changed"}')))).toBe(true);
  });
});

describe('a drop event', () => {
  it('is read with the drop schema and carries its version too', () => {
    const event: DropPublicEvent = {
      v: 1, kind: 'soldout', dropId: DropId.make('ghost-pepper'), sku: Sku.make('jerky-ghost-100g'), location: LocationId.make('main'),
      opensAt: at, closesAt: EpochMillis.make(at + 3_600_000), allocation: 100, held: 60, committed: 40, remaining: 0, returned: 0,
      buyers: 80, refusedCustomers: 12, refusedUnits: 15, seq: 99, at,
    };
    const delivery = Either.getOrThrow(deliveryOf('stock.v1.drop.soldout', 5, encodeDropPublicEvent(event)));
    expect(delivery.data).toMatchObject({ dropId: 'ghost-pepper', remaining: 0, version: 99 });
  });
});

describe('a notify-me event', () => {
  const event: NotifyPublicEvent = {
    v: 1, kind: 'notify', sku: Sku.make('jerky-ghost-100g'), channel: null,
    customers: [{ customerId: CustomerId.make('cus_1'), requestedAt: EpochMillis.make(at - 86_400_000) }],
    batch: 1, batches: 1, back: { seq: 321, streamSeq: 9, at }, at: EpochMillis.make(at + 40),
  };

  it('is read with the notify schema; its version is the journal seq of the back event that woke the customers', () => {
    const delivery = Either.getOrThrow(deliveryOf('stock.v1.notify', 10, encodeNotifyPublicEvent(event)));
    expect(delivery).toMatchObject({ webhookId: 'evt_10', type: 'stock.v1.notify', at: at + 40 });
    expect(delivery.data).toEqual({ ...event, version: 321 });
  });

  it('is refused when it names no customer', () => {
    expect(Either.isLeft(deliveryOf('stock.v1.notify', 10, encodeNotifyPublicEvent({ ...event, customers: [] })))).toBe(true);
  });
});
