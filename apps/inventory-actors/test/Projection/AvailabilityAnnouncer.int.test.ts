// The out/back announcer on the real KV `availability` bucket and STOCK stream (ADR 0019): two owners
// judging the same rise at once announce it once; announcements a crash left pending are published
// by whoever comes next, under their own ids, and cleared; a record that does not decode is started afresh.
import { EpochMillis, scopeKey, Sku, type ScopePosition } from '@larder/domain';
import { decodeStockPublicEvent, decodeStoredAvailability, encodeStockPublicEvent, encodeStoredAvailability, StockPublicEvent } from '@larder/messaging';
import { Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeLevels } from '../../src/Projection/AvailabilityScopes.js';
import { makeAvailabilityAnnouncer } from '../../src/Projection/AvailabilityAnnouncer.js';
import { openProjectionServices, realAnnouncer, type ProjectionServices } from './Fixtures/ProjectionServices.js';

let s: ProjectionServices;
beforeAll(async () => {
  s = await openProjectionServices();
});
afterAll(async () => {
  await s?.close();
});

const levels = (sku: Sku, seq: number, available: number): ScopeLevels => ({ v: 1, sku, scope: 'sku', onHand: available, reserved: 0, available, safetyStock: 0, seq, at: EpochMillis.make(Date.now()) });
const at = (sku: Sku, seq: number, available: number): ScopePosition<ScopeLevels> => ({ seq, scopes: [{ key: scopeKey.sku, available, detail: levels(sku, seq, available) }] });
const idOf = (sku: Sku) => (c: { readonly seq: number | null; readonly kind: string; readonly key: string }) => `${sku}:${c.seq}:${c.kind}:${c.key}`;

/** The out/back events of `sku` on STOCK, as `<kind>@<seq>`. */
const announced = async (sku: Sku) => {
  const subjects = new Set([s.names.stock.subject('out', sku), s.names.stock.subject('back', sku)]);
  const { state } = await s.jsm.streams.info(s.names.stock.stream);
  const found: Array<string> = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await s.jsm.streams.getMessage(s.names.stock.stream, { seq });
    if (m === null || !subjects.has(m.subject)) continue;
    const e = Either.getOrThrow(decodeStockPublicEvent(m.data));
    found.push(`${e.kind}@${e.seq}`);
  }
  return found;
};

describe('given two owners of one SKU for a moment (a takeover)', () => {
  it('announces a rise they both judge once, and records it', async () => {
    const sku = Sku.make('ANN-RACE-1');
    const positions = [at(sku, 7, 5)];
    const [a, b] = [realAnnouncer(s), realAnnouncer(s)];
    const results = await Promise.allSettled([a.announce(sku, positions, { sku: false }, idOf(sku)), b.announce(sku, positions, { sku: false }, idOf(sku))]);
    // The loser's compare-and-set fails; its retry reads the winner's record and judges nothing new.
    for (const r of results) if (r.status === 'rejected') await b.announce(sku, positions, { sku: false }, idOf(sku));
    expect(await announced(sku)).toStrictEqual(['back@7']);
    const entry = await s.availability.get(s.names.keys.stock(sku));
    expect(entry === null ? undefined : Either.getOrThrow(decodeStoredAvailability(entry.value))).toMatchObject({ seq: 7, inStock: { sku: true }, pending: [] });
  });
});

describe('given a record with an announcement decided but not confirmed published (a crash)', () => {
  it('publishes it before judging anything new, under its own id, then clears it', async () => {
    const sku = Sku.make('ANN-PENDING-1');
    const event = StockPublicEvent.make({ ...levels(sku, 3, 0), kind: 'out' }, { disableValidation: true });
    await s.availability.put(s.names.keys.stock(sku), encodeStoredAvailability({ v: 1, sku, seq: 3, inStock: { sku: false }, pending: [{ msgID: `${sku}:3:out:sku`, event }] }));
    await realAnnouncer(s).announce(sku, [at(sku, 4, 2)], undefined, idOf(sku));
    expect(await announced(sku)).toStrictEqual(['out@3', 'back@4']);
    const entry = await s.availability.get(s.names.keys.stock(sku));
    expect(entry === null ? undefined : Either.getOrThrow(decodeStoredAvailability(entry.value))).toMatchObject({ seq: 4, pending: [] });
  });
});

describe('given a record whose pending announcement did go out before the crash (long ago: no duplicate window helps)', () => {
  it('sees it as the last message on its subject and does not publish it again', async () => {
    const sku = Sku.make('ANN-PENDING-2');
    const event = StockPublicEvent.make({ ...levels(sku, 5, 4), kind: 'back' }, { disableValidation: true });
    // Published without the pending id, so JetStream's duplicate window cannot be what drops a second copy.
    await s.js.publish(s.names.stock.subject('back', sku), encodeStockPublicEvent(event));
    await s.availability.put(s.names.keys.stock(sku), encodeStoredAvailability({ v: 1, sku, seq: 5, inStock: { sku: true }, pending: [{ msgID: `${sku}:5:back:sku`, event }] }));
    await realAnnouncer(s).announce(sku, [at(sku, 6, 0)], undefined, idOf(sku));
    expect(await announced(sku)).toStrictEqual(['back@5', 'out@6']);
  });
});

describe('given a record that does not decode', () => {
  it('warns, judges from the baseline, and writes a good record over it', async () => {
    const sku = Sku.make('ANN-GARBLED-1');
    await s.availability.put(s.names.keys.stock(sku), new TextEncoder().encode('{"v":9}'));
    const warnings: Array<string> = [];
    const announcer = makeAvailabilityAnnouncer({ kv: s.availability, js: s.js, names: s.names, timeoutMs: 5_000, warn: (m) => warnings.push(m) });
    await announcer.announce(sku, [at(sku, 12, 0)], { sku: true }, idOf(sku));
    expect(await announced(sku)).toStrictEqual(['out@12']);
    expect(warnings.join('\n')).toContain(`the availability record of ${sku} does not decode`);
  });
});
