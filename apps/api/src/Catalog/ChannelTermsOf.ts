// The shelf-life terms a hold or a sale carries to the SKU's owner (DESIGN.md §10 "Lots and shelf
// life"): those of the channel it names, registered in KV `catalogue` (default `web`). A named channel
// that is not registered is refused; `web` unregistered means no terms (every lot sellable, as before lots).
import { DefaultChannel, type ChannelId, type ChannelTerms } from '@larder/domain';
import type { ChannelRecord } from '@larder/messaging';
import type { CatalogueStore } from './CatalogueStore.js';
import { Problem } from '../Http/Problems.js';

export const termsOf = (record: ChannelRecord): ChannelTerms => ({
  channel: record.channel,
  minShelfLifeDays: record.minShelfLifeDays,
  handlingDays: record.handlingDays,
});

/** The channel's terms, undefined for an unregistered `web`; a Problem (422 unknown-channel) for any other unregistered channel. */
export const channelTermsOf = (catalogue: CatalogueStore, channel: ChannelId | undefined): ChannelTerms | undefined => {
  const id = channel ?? DefaultChannel;
  const record = catalogue.channel(id);
  if (record !== undefined) return termsOf(record);
  if (id === DefaultChannel) return undefined;
  throw new Problem({
    type: 'unknown-channel',
    detail: `channel ${id} is not registered (PUT /v1/channels/${id} with its minShelfLifeDays and handlingDays); nothing was done`,
    extensions: { channel: id },
  });
};
