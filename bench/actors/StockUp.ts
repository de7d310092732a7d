// Before a scenario: every SKU it uses gets enough stock that no measured command is refused.
// Restocks go on the request path so they are applied when this returns.
import type { Sku } from '@larder/domain';
import { Either } from 'effect';
import { restockCommand } from './BenchCommands.js';
import { runClosedLoop } from './ClosedLoop.js';
import type { SendRequest } from './SendRequest.js';

export const stockUp = async (send: SendRequest, skus: ReadonlyArray<Sku>, qty: number, clients: number): Promise<void> => {
  const problems: Array<string> = [];
  const loop = runClosedLoop(skus.length, clients, async (i) => {
    const sku = skus[i];
    if (sku === undefined) return;
    const result = await send(restockCommand(sku, qty));
    if (Either.isLeft(result) || result.right._tag !== 'Accepted') {
      problems.push(`${sku}: ${JSON.stringify(Either.isLeft(result) ? result.left : result.right)}`);
      loop.stop();
    }
  });
  await loop.done;
  if (problems.length > 0) throw new Error(`restocking before the scenario failed: ${problems.join('; ')}`);
};
