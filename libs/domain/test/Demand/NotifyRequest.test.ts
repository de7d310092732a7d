// Specification of notify-me requests (DESIGN.md §10 "Demand"): the body a storefront posts, which waiting
// requests a back-in-stock event wakes (by its scope), and the batches the woken customers are told in.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { ChannelId, isWoken, MaxNotifyBatch, notifyBatches, NotifyRequestBody, wokenBy } from '../../src/index.js';

const decode = Schema.decodeUnknownEither(NotifyRequestBody, { onExcessProperty: 'error' });
const retail = ChannelId.make('retail');
const web = ChannelId.make('web');

describe('given a request body', () => {
  it('takes a customer id alone: the SKU as a whole', () => {
    expect(Either.getOrThrow(decode({ customerId: 'cus_123' }))).toEqual({ customerId: 'cus_123' });
  });

  it('takes a customer id with a channel', () => {
    expect(Either.getOrThrow(decode({ customerId: 'shopify:8123', channel: 'retail' }))).toEqual({ customerId: 'shopify:8123', channel: 'retail' });
  });

  it.each([
    ['no customer id', {}],
    ['an empty customer id', { customerId: '' }],
    ['a customer id with a space', { customerId: 'jane doe' }],
    ['a customer id of 129 characters', { customerId: 'c'.repeat(129) }],
    ['a channel that is not one', { customerId: 'cus_1', channel: 'Retail Store' }],
    ['a field of its own', { customerId: 'cus_1', email: 'jane@example.com' }],
  ])('refuses %s', (_, body) => {
    expect(Either.isLeft(decode(body))).toBe(true);
  });
});

describe('given a back-in-stock event', () => {
  it('of the SKU as a whole, wakes the requests with no channel', () => {
    const woken = wokenBy({ scope: 'sku' });
    expect(woken).toEqual({ _tag: 'Waiting', channel: null });
    expect(isWoken(woken, null)).toBe(true);
    expect(isWoken(woken, retail)).toBe(false);
  });

  it('of channel retail, wakes the requests for retail only', () => {
    const woken = wokenBy({ scope: 'channel', channel: retail });
    expect(woken).toEqual({ _tag: 'Waiting', channel: retail });
    expect(isWoken(woken, retail)).toBe(true);
    expect(isWoken(woken, web)).toBe(false);
    expect(isWoken(woken, null)).toBe(false);
  });

  it('of one location, wakes none', () => {
    const woken = wokenBy({ scope: 'location' });
    expect(woken).toEqual({ _tag: 'None' });
    expect(isWoken(woken, null)).toBe(false);
  });

  it('from before scopes (no scope: one location), wakes none', () => {
    expect(wokenBy({})).toEqual({ _tag: 'None' });
  });

  it('of a channel that names none, wakes none', () => {
    expect(wokenBy({ scope: 'channel' })).toEqual({ _tag: 'None' });
  });
});

describe('given the customers woken', () => {
  const customers = (n: number) => Array.from({ length: n }, (_, i) => `cus_${i}`);

  it('nobody: no notification at all', () => {
    expect(notifyBatches([])).toEqual([]);
  });

  it('up to 500: one notification with all of them, in order', () => {
    expect(notifyBatches(customers(3))).toEqual([['cus_0', 'cus_1', 'cus_2']]);
    expect(notifyBatches(customers(MaxNotifyBatch))).toHaveLength(1);
  });

  it('1,201: notifications of 500, 500 and 201, every customer once, in order', () => {
    const batches = notifyBatches(customers(1_201));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(batches.flat()).toEqual(customers(1_201));
  });

  it('a smaller batch size when asked', () => {
    expect(notifyBatches(customers(5), 2)).toEqual([['cus_0', 'cus_1'], ['cus_2', 'cus_3'], ['cus_4']]);
  });
});
