// A view's scopes for back in stock (ADR 0019): the SKU (or pack) as a whole, each location, and each
// registered sales channel (what a hold on it could take at the view's own time, so a replay judges the
// same), each with the levels its `out` or `back` event carries.
import { scopeKey, sellableFrom, type ScopePosition } from '@larder/domain';
import { channelViewOf, StockPublicEvent, type ChannelRecord, type StockView } from '@larder/messaging';

/** An announcement's event, but for its kind (decided by the judge). */
export type ScopeLevels = Omit<StockPublicEvent, 'kind'>;

/** The levels of an event about `view`, from the figures of one of its scopes. */
export const levelsOf = (view: StockView, l: Pick<StockView, 'onHand' | 'reserved' | 'available' | 'safetyStock'>) => ({
  v: 1 as const,
  sku: view.sku,
  onHand: l.onHand,
  reserved: l.reserved,
  available: l.available,
  safetyStock: l.safetyStock,
  seq: view.seq,
  at: view.asOf,
});

/**
 * The scopes of `view` at journal sequence `seq` (null for a pack's view: it has none of its own).
 * `componentView` gives a pack's components (for its channels).
 */
export const scopePositionOf = (
  view: StockView,
  seq: number | null,
  channels: ReadonlyArray<ChannelRecord>,
  componentView: (sku: string) => StockView | undefined = () => undefined,
): ScopePosition<ScopeLevels> => ({
  seq,
  scopes: [
    { key: scopeKey.sku, available: view.available, detail: { ...levelsOf(view, view), scope: 'sku' } },
    ...view.locations.map((l) => ({ key: scopeKey.location(l.location), available: l.available, detail: { ...levelsOf(view, l), scope: 'location' as const, location: l.location } })),
    ...channels.map((c) => {
      const seen = channelViewOf(view, sellableFrom(view.asOf, c), componentView);
      return { key: scopeKey.channel(c.channel), available: seen.available, detail: { ...levelsOf(view, seen), scope: 'channel' as const, channel: c.channel } };
    }),
  ],
});
