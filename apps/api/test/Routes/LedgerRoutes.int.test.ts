// The audit ledger over real HTTP (DESIGN.md §5, §6): each change made through the API appears in
// GET /v1/skus/{sku}/ledger with who, why, its reference and the levels before and after, newest
// first, in pages.
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const Levels = Schema.Struct({ onHand: Schema.Int, reserved: Schema.Int });
const LedgerBody = Schema.Struct({
  sku: Schema.String,
  entries: Schema.Array(
    Schema.Struct({
      type: Schema.String,
      at: Schema.String,
      actor: Schema.String,
      reason: Schema.String,
      reference: Schema.NullOr(Schema.String),
      quantity: Schema.NullOr(Schema.Int),
      before: Levels,
      after: Levels,
    }),
  ),
  nextCursor: Schema.NullOr(Schema.String),
});

let f: SystemFixture;
let sku: string;
beforeAll(async () => {
  f = await makeSystemFixture();
  sku = uniqueSku('LEDGER');
  expect((await f.api.post('/v1/restocks', { sku, qty: 12, reference: 'po-ledger-1' }, { key: f.keys.write })).status).toBe(202);
  await f.waitForStock(sku, (v) => v.onHand === 12);
  expect((await f.api.post('/v1/adjustments', { sku, delta: -3, reason: 'damaged', reference: 'adj-ledger-1' }, { key: f.keys.write })).status).toBe(202);
});
afterAll(async () => f?.cleanup());

const ledger = async (query = '') => decodeBody(LedgerBody, await f.api.get(`/v1/skus/${sku}/ledger${query}`));

/** The ledger is a projection of the journal: poll until it holds `n` entries. */
const ledgerWith = async (n: number) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = await ledger();
    if (page.entries.length >= n || Date.now() > deadline) return page;
    await new Promise((done) => setTimeout(done, 50));
  }
};

describe('GET /v1/skus/{sku}/ledger', () => {
  it('has an entry per change, newest first, with who, why, the reference and the levels before and after', async () => {
    const page = await ledgerWith(2);
    expect(page.sku).toBe(sku);
    expect(page.entries).toHaveLength(2);
    expect(page.entries[0]).toMatchObject({
      actor: 'apikey:test-write',
      reason: 'damaged',
      reference: 'adj-ledger-1',
      quantity: -3,
      before: { onHand: 12, reserved: 0 },
      after: { onHand: 9, reserved: 0 },
    });
    expect(page.entries[1]).toMatchObject({
      actor: 'apikey:test-write',
      reference: 'po-ledger-1',
      quantity: 12,
      before: { onHand: 0, reserved: 0 },
      after: { onHand: 12, reserved: 0 },
    });
  });

  it('pages with limit and the cursor it answers', async () => {
    await ledgerWith(2);
    const first = await ledger('?limit=1');
    expect(first.entries.map((e) => e.reference)).toEqual(['adj-ledger-1']);
    expect(first.nextCursor).not.toBeNull();
    const second = await ledger(`?limit=1&before=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.entries.map((e) => e.reference)).toEqual(['po-ledger-1']);
    const rest = second.nextCursor === null ? [] : (await ledger(`?limit=1&before=${encodeURIComponent(second.nextCursor)}`)).entries;
    expect(rest).toEqual([]);
  });

  it('a SKU without changes → 200 with no entries', async () => {
    const answer = decodeBody(LedgerBody, await f.api.get(`/v1/skus/${uniqueSku('NO-LEDGER')}/ledger`));
    expect(answer.entries).toEqual([]);
    expect(answer.nextCursor).toBeNull();
  });

  it('a limit out of range, a cursor that is not one, or an invalid SKU → 400', async () => {
    for (const query of ['?limit=0', '?limit=100000', '?limit=abc', '?before=not-a-cursor']) {
      expect(problemOf(await f.api.get(`/v1/skus/${sku}/ledger${query}`)), query).toEqual(problem(400, 'invalid-request'));
    }
    expect(problemOf(await f.api.get('/v1/skus/A.B/ledger'))).toEqual(problem(400, 'invalid-request'));
  });

  it('needs stock:read (a stock:write key → 403; no credentials → 401)', async () => {
    expect(problemOf(await f.api.get(`/v1/skus/${sku}/ledger`, { key: f.keys.write }))).toEqual(problem(403, 'forbidden'));
    expect(problemOf(await f.api.get(`/v1/skus/${sku}/ledger`, { key: null }))).toEqual(problem(401, 'unauthorized'));
  });
});
