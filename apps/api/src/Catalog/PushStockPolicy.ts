// Carries a catalogue change of safety stock or low-stock threshold to the SKU's actor, so
// availability reflects it: straight to the owner, else stored on INV_CMD for when it is back.
import { randomUUID } from 'node:crypto';
import { EpochMillis, type SetStockPolicy } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner, enqueueAll } from '../Reservations/AskOwner.js';
import { derivedId } from '../Reservations/DerivedIds.js';

/** `applied`: the owner took it; `queued`: stored on INV_CMD; `failed`: neither. */
export type PolicyDelivery = 'applied' | 'queued' | 'failed';

/** The policy fields to set, for whom, and when (epoch ms). */
export type PolicyChange = Omit<SetStockPolicy, '_tag' | 'commandId' | 'now'> & { readonly now: number };

export const pushStockPolicy = async (gateway: CommandGateway, change: PolicyChange): Promise<PolicyDelivery> => {
  // There is no key to derive it from: each change is its own command (the actor ignores one that changes nothing).
  const command: SetStockPolicy = { ...change, _tag: 'SetStockPolicy', commandId: derivedId('policy', change.sku, randomUUID()), now: EpochMillis.make(Math.floor(change.now)) };
  const reply = await askOwner(gateway, command);
  if (reply._tag !== 'Unanswered') return 'applied';
  return (await enqueueAll(gateway, [command])) ? 'queued' : 'failed';
};
