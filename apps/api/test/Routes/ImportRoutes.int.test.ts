// Bulk imports over real HTTP (DESIGN.md §10, issue 17): a 10,000-row restock file with 3 bad rows
// applies its 9,997 good rows once however often it is uploaded, and refuses the 3 with their reasons;
// a catalogue file creates, updates and leaves alone; a file that is not the expected CSV is a 400.
import { randomUUID } from 'node:crypto';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import type { ApiClient } from '../Support/HttpClient.js';
import { queryPostgres } from '@larder/testing';
import { restockCommandId } from '../../src/Imports/RestockRow.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const Report = Schema.Struct({
  import: Schema.Literal('catalogue', 'restocks'),
  totals: Schema.Struct({ rows: Schema.Int, applied: Schema.Int, unchanged: Schema.Int, refused: Schema.Int }),
  rows: Schema.Array(
    Schema.Struct({
      row: Schema.Int,
      key: Schema.String,
      status: Schema.Literal('applied', 'unchanged', 'refused'),
      change: Schema.optional(Schema.Literal('created', 'updated')),
      reason: Schema.optional(Schema.String),
    }),
  ),
});
type Report = typeof Report.Type;
const Entry = Schema.Struct({ name: Schema.String, policy: Schema.Struct({ lowStockThreshold: Schema.NullOr(Schema.Int), safetyStock: Schema.Int }) });
const Batch = Schema.Struct({ items: Schema.Array(Schema.Struct({ sku: Schema.String, onHand: Schema.Int })), missing: Schema.Array(Schema.String) });

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const upload = (path: string, csv: string, api: ApiClient = f.api, contentType = 'text/csv') =>
  api.raw({ method: 'POST', path, body: csv, headers: { 'content-type': contentType }, idempotencyKey: randomUUID(), key: f.keys.write });
const report = async (path: string, csv: string) => decodeBody(Report, await upload(path, csv));
const catalogueCsv = (rows: ReadonlyArray<string>) => ['sku,name,lowStockThreshold,safetyStock', ...rows].join('\n');

/** 100 catalogued SKUs the restock file spreads over. */
const skus = Array.from({ length: 100 }, () => uniqueSku('IMP'));

describe('POST /v1/imports/catalogue', () => {
  it('creates every entry, then reports the same file unchanged, then updates only what changed', async () => {
    const first = await report('/v1/imports/catalogue', catalogueCsv(skus.map((sku, i) => `${sku},Jerky ${i},${i % 2 === 0 ? 5 : ''},`)));
    expect(first.totals).toEqual({ rows: 100, applied: 100, unchanged: 0, refused: 0 });
    expect(first.rows.every((r) => r.change === 'created')).toBe(true);
    expect(first.rows[0]).toMatchObject({ row: 2, key: skus[0] });

    const again = await report('/v1/imports/catalogue', catalogueCsv(skus.map((sku, i) => `${sku},Jerky ${i},${i % 2 === 0 ? 5 : ''},`)));
    expect(again.totals).toEqual({ rows: 100, applied: 0, unchanged: 100, refused: 0 });

    // Columns in another order, empty cells keep values: one renamed, one with safety stock.
    const changed = await report('/v1/imports/catalogue', ['name,sku,safetyStock', `Jerky 0 (new recipe),${skus[0]},`, `Jerky 1,${skus[1]},2`, `Jerky 2,${skus[2]},`].join('\n'));
    expect(changed.rows.map((r) => [r.status, r.change])).toEqual([['applied', 'updated'], ['applied', 'updated'], ['unchanged', undefined]]);
    expect(decodeBody(Entry, await f.api.get(`/v1/skus/${skus[0]}`))).toEqual({ name: 'Jerky 0 (new recipe)', policy: { lowStockThreshold: 5, safetyStock: 0 } });
    expect(decodeBody(Entry, await f.api.get(`/v1/skus/${skus[1]}`))).toEqual({ name: 'Jerky 1', policy: { lowStockThreshold: null, safetyStock: 2 } });
  });

  it('refuses bad rows with their reason and applies the good ones around them', async () => {
    const sku = uniqueSku('IMP-CAT');
    const r = await report('/v1/imports/catalogue', catalogueCsv(['not a sku!,Name,,', `${sku},,,`, `${sku}-B,Fine,-1,`, `${sku},"Quoted, with comma",3,1`]));
    expect(r.rows.map((row) => row.status)).toEqual(['refused', 'refused', 'refused', 'applied']);
    expect(r.rows[0]?.reason).toMatch(/^sku "not a sku!"/);
    expect(r.rows[1]?.reason).toBe('name is empty');
    expect(r.rows[2]?.reason).toMatch(/^lowStockThreshold "-1"/);
    expect(decodeBody(Entry, await f.api.get(`/v1/skus/${sku}`))).toEqual({ name: 'Quoted, with comma', policy: { lowStockThreshold: 3, safetyStock: 1 } });
  });
});

describe('POST /v1/imports/restocks', () => {
  const rows = skus.map(() => 0);
  const lines: Array<string> = ['sku,qty,reference,location'];
  for (let i = 0; i < 9_997; i++) {
    const qty = (i % 7) + 1;
    rows[i % 100] = (rows[i % 100] ?? 0) + qty;
    lines.push(`${skus[i % 100]},${qty},po-${i},${i % 3 === 0 ? 'main' : ''}`);
  }
  const unknownSku = uniqueSku('NOT-CATALOGUED');
  // Bad rows in the middle, at file lines 2002, 5003 and 8004.
  lines.splice(2001, 0, `${skus[0]},-4,po-negative,`);
  lines.splice(5002, 0, `bad sku!,3,po-bad-sku,`);
  lines.splice(8003, 0, `${unknownSku},3,po-unknown,`);
  const csv = lines.join('\n');

  const onHand = async () => {
    const answer = decodeBody(Batch, await f.api.get(`/v1/stock?${skus.map((s) => `sku=${s}`).join('&')}`));
    return new Map(answer.items.map((i) => [i.sku, i.onHand]));
  };
  const waitForSums = async () => {
    const deadline = Date.now() + 40_000;
    let levels = await onHand();
    while (Date.now() < deadline && skus.some((s, i) => levels.get(s) !== rows[i])) {
      await new Promise((done) => setTimeout(done, 200));
      levels = await onHand();
    }
    return skus.map((s) => levels.get(s));
  };

  it('applies the 9,997 good rows of a 10,000-row file once, even uploaded twice, and refuses the 3 bad ones with reasons', async () => {
    const first = await report('/v1/imports/restocks', csv);
    expect(first.totals).toEqual({ rows: 10_000, applied: 9_997, unchanged: 0, refused: 3 });
    const refusedRows = first.rows.filter((r) => r.status === 'refused');
    expect(refusedRows.map((r) => r.row)).toEqual([2002, 5003, 8004]);
    expect(refusedRows[0]?.reason).toMatch(/^qty "-4": a restock is a whole number of units from 1/);
    expect(refusedRows[1]?.reason).toMatch(/^sku "bad sku!"/);
    expect(refusedRows[2]?.reason).toMatch(new RegExp(`^SKU ${unknownSku} is not in the catalogue`));
    expect(await waitForSums()).toEqual(rows);

    const second = await report('/v1/imports/restocks', csv);
    expect(second.totals).toEqual({ rows: 10_000, applied: 0, unchanged: 9_997, refused: 3 });
    expect(second.rows.filter((r) => r.status === 'refused').map((r) => r.reason)).toEqual(refusedRows.map((r) => r.reason));
    // Nothing was sent: the levels stay the sums (a resend would have been deduplicated anyway).
    await new Promise((done) => setTimeout(done, 1_000));
    expect(await waitForSums()).toEqual(rows);
  }, 120_000);

  it('refuses a delivery line seen before with another quantity, and a repeat within the file is unchanged', async () => {
    const r = await report('/v1/imports/restocks', ['sku,reference,qty', `${skus[5]},po-5,99`, `${skus[7]},po-new-1,4`, `${skus[7]},po-new-1,4`].join('\n'));
    expect(r.rows.map((row) => row.status)).toEqual(['refused', 'applied', 'unchanged']);
    expect(r.rows[0]?.key).toBe(`${skus[5]}|main|po-5`);
    expect(r.rows[0]?.reason).toMatch(/already applied with qty 6 .*; this row says 99/);
  });
});

describe('a file that is not an import CSV', () => {
  it.each([
    ['empty', ''],
    ['without the required columns', 'sku,quantity,reference\nA,1,po'],
    ['with an unknown column', 'sku,qty,reference,colour\nA,1,po,red'],
    ['with a repeated column', 'sku,qty,qty,reference\nA,1,1,po'],
  ])('is a 400 problem when %s', async (_label, body) => {
    const answer = await upload('/v1/imports/restocks', body);
    expect(problemOf(answer)).toEqual(problem(400, 'invalid-request'));
  });

  it('is a 400 problem when sent as JSON, and without an Idempotency-Key', async () => {
    expect(problemOf(await upload('/v1/imports/catalogue', '{"sku":"A"}', f.api, 'application/json'))).toEqual(problem(400, 'invalid-request'));
    const noKey = await f.api.raw({ method: 'POST', path: '/v1/imports/catalogue', body: 'sku,name\n', headers: { 'content-type': 'text/csv' }, key: f.keys.write });
    expect(problemOf(noKey)).toEqual(problem(400, 'idempotency-key-required'));
  });

  it('is a 413 problem past the import limit', async () => {
    const small = await f.startApiInstance({ LARDER_IMPORT_LIMIT_BYTES: '1000' });
    const answer = await upload('/v1/imports/restocks', `sku,qty,reference\n${`${skus[0]},1,po-big\n`.repeat(200)}`, small);
    expect(problemOf(answer)).toEqual(problem(413, 'payload-too-large'));
  });
});

describe('a restock row left pending (its upload died between writing the row and storing its command)', () => {
  const sql = (text: string, params: ReadonlyArray<unknown> = []) => queryPostgres(f.serviceEnv['DATABASE_URL'] ?? '', f.serviceEnv['LARDER_DB_SCHEMA'] ?? '', text, params);
  const stockOf = async (sku: string) => decodeBody(Schema.Struct({ onHand: Schema.Int }), await f.api.get(`/v1/stock/${sku}`)).onHand;

  it('is sent again by the next upload when the ledger does not have its command, then answered unchanged', async () => {
    const sku = uniqueSku('IMP-PENDING');
    expect((await report('/v1/imports/catalogue', catalogueCsv([`${sku},Pending jerky,,`]))).totals.applied).toBe(1);
    const key = `${sku}|main|po-pending`;
    await sql(
      `insert into imported_row ("kind", "key", "content", "command_id", "actor", "applied_at", "state") values ('restock', $1, '{"qty":4}', $2, 'apikey:test-write', now(), 'pending')`,
      [key, restockCommandId(key)],
    );
    const first = await report('/v1/imports/restocks', `sku,qty,reference\n${sku},4,po-pending\n`);
    expect(first.rows.map((r) => r.status)).toEqual(['applied']);
    await f.waitForStock(sku, (v) => v.onHand === 4);
    const again = await report('/v1/imports/restocks', `sku,qty,reference\n${sku},4,po-pending\n`);
    expect(again.rows.map((r) => r.status)).toEqual(['unchanged']);
  });

  it('is answered unchanged, and not sent, when the ledger has its command: a late re-upload never applies it twice', async () => {
    const sku = uniqueSku('IMP-LEDGER');
    expect((await report('/v1/imports/catalogue', catalogueCsv([`${sku},Ledger jerky,,`]))).totals.applied).toBe(1);
    expect((await report('/v1/imports/restocks', `sku,qty,reference\n${sku},6,po-once\n`)).rows.map((r) => r.status)).toEqual(['applied']);
    await f.waitForStock(sku, (v) => v.onHand === 6);
    const key = `${sku}|main|po-once`;
    // As if the upload had died before marking the row applied; and the ledger has the restock.
    await sql(`update imported_row set "state" = 'pending' where "kind" = 'restock' and "key" = $1`, [key]);
    const deadline = Date.now() + 20_000;
    while ((await sql(`select 1 from ledger_entry where "command_id" = $1`, [restockCommandId(key)])).length === 0 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
    }
    const again = await report('/v1/imports/restocks', `sku,qty,reference\n${sku},6,po-once\n`);
    expect(again.rows.map((r) => r.status)).toEqual(['unchanged']);
    expect((await sql(`select "state" from imported_row where "kind" = 'restock' and "key" = $1`, [key]))).toEqual([{ state: 'applied' }]);
    await new Promise((done) => setTimeout(done, 500));
    expect(await stockOf(sku)).toBe(6);
  });
});
