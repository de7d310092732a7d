// Malformed and hostile input over real HTTP: every case is a 4xx application/problem+json with a
// stable `type`, and none of them moves the stock (checked once at the end against a known view).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemType } from '../../src/Http/Problems.js';
import { problem, problemOf } from '../Support/Bodies.js';
import type { RawRequest } from '../Support/HttpClient.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let sku: string;
const seeded = 20;
beforeAll(async () => {
  f = await makeSystemFixture();
  sku = uniqueSku('BAD-INPUT');
  await f.seedStock(sku, seeded);
});
afterAll(async () => f?.cleanup());

const json = (body: unknown) => JSON.stringify(body);
const line = (qty: unknown, s: unknown = 'SKU') => ({ sku: s === 'SKU' ? sku : s, qty });
const reserveWith = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Omit<RawRequest, 'idempotencyKey'> => ({
  method: 'POST',
  path: '/v1/reservations',
  body,
  headers,
});
const reserveLines = (...lines: ReadonlyArray<unknown>) => reserveWith(json({ lines }));
const post = (path: string, body: unknown) => ({ method: 'POST', path, body: json(body), headers: { 'content-type': 'application/json' } });

type Case = readonly [string, () => Omit<RawRequest, 'idempotencyKey'>, number, ProblemType];

// No quantity here is 7: the final check holds 7 units and must see exactly 7 reserved.
const cases: ReadonlyArray<Case> = [
  ['malformed JSON', () => reserveWith('{"lines": [{"sku": "A", "qty": 1}'), 400, 'invalid-request'],
  ['an empty body', () => reserveWith(''), 400, 'invalid-request'],
  ['a JSON array as the body', () => reserveWith(json([line(1)])), 400, 'invalid-request'],
  ['JSON null as the body', () => reserveWith('null'), 400, 'invalid-request'],
  ['lines as a string', () => reserveWith(json({ lines: 'all of them' })), 400, 'invalid-request'],
  ['a line that is a number', () => reserveLines(3), 400, 'invalid-request'],
  ['sku as a number', () => reserveLines(line(1, 12345)), 400, 'invalid-request'],
  ['qty 0', () => reserveLines(line(0)), 400, 'invalid-request'],
  ['qty negative', () => reserveLines(line(-1)), 400, 'invalid-request'],
  ['qty fractional (1.5)', () => reserveLines(line(1.5)), 400, 'invalid-request'],
  ['qty huge (1e9)', () => reserveLines(line(1e9)), 400, 'invalid-request'],
  ['qty as a string', () => reserveLines(line('1')), 400, 'invalid-request'],
  ['qty null', () => reserveLines(line(null)), 400, 'invalid-request'],
  ['qty missing', () => reserveLines({ sku }), 400, 'invalid-request'],
  ['a unicode SKU', () => reserveLines(line(1, 'JËRKY-ORIGINAL')), 400, 'invalid-request'],
  ['an emoji SKU', () => reserveLines(line(1, '🥩')), 400, 'invalid-request'],
  ['a SKU with "."', () => reserveLines(line(1, 'JERKY.ORIGINAL')), 400, 'invalid-request'],
  ['a SKU with "*"', () => reserveLines(line(1, 'JERKY*')), 400, 'invalid-request'],
  ['a SKU with ">"', () => reserveLines(line(1, 'JERKY>')), 400, 'invalid-request'],
  ['a SKU with a space', () => reserveLines(line(1, 'JERKY ORIGINAL')), 400, 'invalid-request'],
  ['an empty SKU', () => reserveLines(line(1, '')), 400, 'invalid-request'],
  ['a SKU of 65 characters', () => reserveLines(line(1, 'J'.repeat(65))), 400, 'invalid-request'],
  ['an empty lines array', () => reserveLines(), 400, 'invalid-request'],
  ['51 lines', () => reserveLines(line(1), ...Array.from({ length: 50 }, (_, i) => line(1, `LINE-${i}`))), 400, 'invalid-request'],
  ['the same SKU on two lines', () => reserveLines(line(1), line(2)), 400, 'invalid-request'],
  ['a valid line next to an invalid one', () => reserveLines(line(1), line(1, 'BAD SKU')), 400, 'invalid-request'],
  ['an unknown field at the top level', () => reserveWith(json({ lines: [line(1)], price: 5 })), 400, 'invalid-request'],
  ['an unknown field in a line', () => reserveLines({ ...line(1), price: 5 }), 400, 'invalid-request'],
  ['ttlSeconds negative', () => reserveWith(json({ lines: [line(1)], ttlSeconds: -5 })), 400, 'invalid-request'],
  ['a 10 MB body', () => reserveWith(json({ lines: [line(1)], padding: 'x'.repeat(10 * 1024 * 1024) })), 413, 'payload-too-large'],
  ['content-type text/plain', () => reserveWith(json({ lines: [line(1)] }), { 'content-type': 'text/plain' }), 415, 'unsupported-media-type'],
  ['content-type application/xml', () => reserveWith('<lines/>', { 'content-type': 'application/xml' }), 415, 'unsupported-media-type'],
  // Bytes, so fetch adds no content-type of its own (a string body would be sent as text/plain).
  ['no content-type', () => ({ ...reserveWith(''), body: new TextEncoder().encode(json({ lines: [line(1)] })), headers: {} }), 415, 'unsupported-media-type'],
  [
    'content-type form-urlencoded',
    () => reserveWith('lines=1', { 'content-type': 'application/x-www-form-urlencoded' }),
    415,
    'unsupported-media-type',
  ],
  ['a restock of qty 0', () => post('/v1/restocks', { sku, qty: 0, reference: 'po-bad' }), 400, 'invalid-request'],
  ['a restock of qty 1.5', () => post('/v1/restocks', { sku, qty: 1.5, reference: 'po-bad' }), 400, 'invalid-request'],
  ['a restock without a reference', () => post('/v1/restocks', { sku, qty: 5 }), 400, 'invalid-request'],
  ['a restock of a SKU with ">"', () => post('/v1/restocks', { sku: 'A>B', qty: 5, reference: 'po-bad' }), 400, 'invalid-request'],
  ['an adjustment of delta 0', () => post('/v1/adjustments', { sku, delta: 0, reason: 'damaged', reference: 'adj-bad' }), 400, 'invalid-request'],
  ['an adjustment with an unknown reason', () => post('/v1/adjustments', { sku, delta: -1, reason: 'whim', reference: 'adj-bad' }), 400, 'invalid-request'],
  [
    'a return with restockable as a string',
    () => post('/v1/returns', { sku, qty: 1, orderId: 'o-bad', restockable: 'yes', reference: 'rma-bad' }),
    400,
    'invalid-request',
  ],
  ['an order with qty -2', () => post('/v1/orders', { orderId: 'o-bad', lines: [line(-2)] }), 400, 'invalid-request'],
  ['an order without an orderId', () => post('/v1/orders', { lines: [line(1)] }), 400, 'invalid-request'],
  ['an order with an unknown field', () => post('/v1/orders', { orderId: 'o-bad', lines: [line(1)], paid: true }), 400, 'invalid-request'],
];

describe('bad input', () => {
  it.each(cases.map(([name, request, status, type]) => ({ name, request, status, type })))('$name → $status $type', async ({ request, status, type }) => {
    const answer = await f.api.raw({ ...request(), idempotencyKey: `bad-${uniqueSku('k')}` });
    expect(problemOf(answer), answer.text.slice(0, 500)).toEqual(problem(status, type));
  });

  it('left the stock untouched: one valid hold of 7 and restock of 7 later, the view shows exactly those', async () => {
    expect((await f.api.post('/v1/reservations', { lines: [line(7)] })).status).toBe(201);
    expect((await f.api.post('/v1/restocks', { sku, qty: 7, reference: 'po-control' })).status).toBe(202);
    const view = await f.waitForStock(sku, (v) => v.reserved === 7 && v.onHand === seeded + 7);
    expect(view).toMatchObject({ onHand: seeded + 7, reserved: 7, available: seeded });
  });
});
