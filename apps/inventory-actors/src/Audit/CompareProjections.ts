// Field-by-field comparisons of what a store holds with what the journal's fold says at the same
// sequence: StockViews (KV `stock`, the Redis mirror) and snapshot states (Postgres). Pure.
import type { Reservation, SkuState } from '@larder/domain';
import type { StockView, StockViewLocation } from '@larder/messaging';
import { HashMap, Option } from 'effect';
import type { RedisStockHash } from '../Projection/RedisStockWriter.js';
import type { Difference } from './SkuAudit.js';

type Scalar = string | number | boolean | null | undefined;

const text = (value: Scalar): string => (value === undefined ? 'absent' : String(value));

const differ = (out: Array<Difference>, field: string, expected: Scalar, found: Scalar) => {
  if (expected !== found) out.push({ field, expected: text(expected), found: text(found) });
};

const viewFields = ['available', 'onHand', 'reserved', 'safetyStock', 'status', 'shortfall', 'lowStockThreshold', 'asOf'] as const;
const locationFields = ['available', 'onHand', 'reserved', 'safetyStock', 'lowStockThreshold'] as const;

const byName = (locations: ReadonlyArray<StockViewLocation>) => new Map(locations.map((l) => [l.location, l]));

/** Differences of a stored view from the view the fold gives (`available` first: what readers act on). */
export const compareViews = (expected: StockView, found: StockView): ReadonlyArray<Difference> => {
  const out: Array<Difference> = [];
  for (const field of viewFields) differ(out, field, expected[field], found[field]);
  const mine = byName(expected.locations);
  const theirs = byName(found.locations);
  for (const name of new Set([...mine.keys(), ...theirs.keys()])) {
    const e = mine.get(name);
    const f = theirs.get(name);
    if (e === undefined || f === undefined) {
      differ(out, `locations.${name}`, e === undefined ? 'absent' : 'present', f === undefined ? 'absent' : 'present');
      continue;
    }
    for (const field of locationFields) differ(out, `locations.${name}.${field}`, e[field], f[field]);
  }
  return out;
};

const hashFields = ['available', 'onHand', 'reserved', 'safetyStock', 'status', 'asOf'] as const;

/** The Redis hash's own scalars (what readers filter on) against the expected view. */
export const compareHash = (expected: StockView, found: RedisStockHash): ReadonlyArray<Difference> => {
  const out: Array<Difference> = [];
  for (const field of hashFields) differ(out, `hash.${field}`, expected[field], found[field]);
  return out;
};

const holdFields = ['qty', 'status', 'expiresAt', 'location'] as const;

const holdDifferences = (out: Array<Difference>, id: string, e: Option.Option<Reservation>, f: Option.Option<Reservation>) => {
  if (Option.isNone(e) || Option.isNone(f)) {
    differ(out, `open.${id}`, Option.isNone(e) ? 'absent' : 'open', Option.isNone(f) ? 'absent' : 'open');
    return;
  }
  for (const field of holdFields) differ(out, `open.${id}.${field}`, e.value[field], f.value[field]);
};

/** A snapshot's state against the fold: version, levels per location, and the open holds. */
export const compareStates = (expected: SkuState, found: SkuState): ReadonlyArray<Difference> => {
  const out: Array<Difference> = [];
  for (const name of new Set([...Object.keys(expected.positions), ...Object.keys(found.positions)])) {
    const e = expected.positions[name];
    const f = found.positions[name];
    if (e === undefined || f === undefined) {
      differ(out, `positions.${name}`, e === undefined ? 'absent' : 'present', f === undefined ? 'absent' : 'present');
      continue;
    }
    for (const field of ['onHand', 'reserved', 'safetyStock', 'lowStockThreshold'] as const) {
      differ(out, `positions.${name}.${field}`, e[field], f[field]);
    }
  }
  differ(out, 'version', expected.version, found.version);
  differ(out, 'open.count', HashMap.size(expected.open), HashMap.size(found.open));
  const ids = new Set([...HashMap.keys(expected.open), ...HashMap.keys(found.open)]);
  for (const id of ids) holdDifferences(out, id, HashMap.get(expected.open, id), HashMap.get(found.open, id));
  return out;
};
