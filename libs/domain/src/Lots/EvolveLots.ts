// How events move a SKU's lots (pure, recomputed from each event's own fields): units into and out of
// each lot per location, quarantine and release, alert and removal marks, the SKU's lot policy; then
// the location's `blocked` level is recomputed from its out-of-sale lots, so it can never drift.
import type { Event, LotTake } from '../Events.js';
import { LocationId } from '../Ids.js';
import type { SkuState } from '../State.js';
import { positionAt } from '../State.js';
import { withBlocked } from '../StockLevels.js';
import type { LotInfo } from './Lot.js';
import { blockedAt, type LotRecord } from './LotStock.js';

const withUnits = (lot: LotRecord, location: LocationId, change: number): LotRecord => ({
  ...lot,
  units: { ...lot.units, [location]: (lot.units[location] ?? 0) + change },
});

const received = (lots: SkuState['lots'], info: LotInfo, location: LocationId, qty: number): SkuState['lots'] => {
  const known = lots[info.code];
  const lot: LotRecord = known ?? {
    code: info.code,
    bestBefore: info.bestBefore,
    producedOn: info.producedOn ?? null,
    establishment: info.establishment ?? null,
    units: {},
    quarantine: null,
    alerted: false,
    removed: false,
  };
  return { ...lots, [info.code]: withUnits(lot, location, qty) };
};

const taken = (lots: SkuState['lots'], takes: ReadonlyArray<LotTake> | undefined, location: LocationId, sign: number): SkuState['lots'] => {
  if (takes === undefined || takes.length === 0) return lots;
  const next = { ...lots };
  for (const t of takes) {
    const lot = next[t.lot];
    if (lot !== undefined) next[t.lot] = withUnits(lot, location, sign * t.qty);
  }
  return next;
};

const changeLot = (lots: SkuState['lots'], code: string, change: (lot: LotRecord) => LotRecord): SkuState['lots'] => {
  const lot = lots[code];
  return lot === undefined ? lots : { ...lots, [code]: change(lot) };
};

/** The lots after `event` (the same object when it touches none). */
const lotsAfter = (state: SkuState, event: Event): SkuState['lots'] => {
  const { lots } = state;
  switch (event._tag) {
    case 'StockRestocked':
      return event.lot === undefined ? lots : received(lots, event.lot, event.location, event.qty);
    case 'ReturnReceived':
      return event.lot === undefined || !event.restockable ? lots : received(lots, event.lot, event.location, event.qty);
    case 'StockCounted':
      return event.lot === undefined ? taken(lots, event.lots, event.location, -1) : changeLot(lots, event.lot, (lot) => ({ ...lot, units: { ...lot.units, [event.location]: event.counted } }));
    case 'ReservationCommitted':
    case 'SaleRecorded':
      return taken(lots, event.lots, event.location, -1);
    case 'StockAdjusted':
      return taken(lots, event.lots, event.location, event.delta < 0 ? -1 : 1);
    case 'LotQuarantined':
      return changeLot(lots, event.lot, (lot) => ({
        ...lot,
        quarantine: { since: lot.quarantine?.since ?? event.at, note: event.note, units: { ...(lot.quarantine?.units ?? {}), [event.location]: event.units } },
      }));
    case 'LotReleased':
      return changeLot(lots, event.lot, (lot) => ({ ...lot, quarantine: null }));
    case 'LotExpiring':
      return changeLot(lots, event.lot, (lot) => ({ ...lot, alerted: true }));
    case 'LotRemovedFromSale':
      return changeLot(lots, event.lot, (lot) => ({ ...lot, removed: true }));
    default:
      return lots;
  }
};

export const applyLots = (state: SkuState, event: Event): SkuState => {
  const withPolicy =
    event._tag === 'StockPolicySet' && (event.alertDays !== undefined || event.removalDays !== undefined)
      ? { ...state, lotPolicy: { alertDays: event.alertDays ?? null, removalDays: event.removalDays ?? null } }
      : state;
  const lots = lotsAfter(withPolicy, event);
  if (lots === withPolicy.lots) return withPolicy;
  // Released lots clear their mark at every location they are at: recompute each place the lot is.
  const places = new Set<string>([event.location]);
  if (event._tag === 'LotReleased' || event._tag === 'LotQuarantined' || event._tag === 'LotRemovedFromSale') {
    for (const name of Object.keys(lots[event.lot]?.units ?? {})) places.add(name);
  }
  let positions = withPolicy.positions;
  for (const name of places) {
    const position = positions[name] ?? positionAt(withPolicy, event.location);
    if (positions[name] === undefined && name !== event.location) continue;
    positions = { ...positions, [name]: withBlocked(position, blockedAt(lots, LocationId.make(name))) };
  }
  return { ...withPolicy, lots, positions };
};
