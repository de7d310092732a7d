// Carries a catalogue change of safety stock or low-stock threshold to the SKU's actor, so
// availability reflects it: straight to the owner, else stored on INV_CMD for when it is back.
import type { SetStockPolicy } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner, enqueueAll } from '../Reservations/AskOwner.js';

/** `applied`: the owner took it; `queued`: stored on INV_CMD; `failed`: neither. */
export type PolicyDelivery = 'applied' | 'queued' | 'failed';

export const pushStockPolicy = async (gateway: CommandGateway, command: SetStockPolicy): Promise<PolicyDelivery> => {
  const reply = await askOwner(gateway, command);
  if (reply._tag !== 'Unanswered') return 'applied';
  return (await enqueueAll(gateway, [command])) ? 'queued' : 'failed';
};
