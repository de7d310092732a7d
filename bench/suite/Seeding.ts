// Stock for a scenario's SKUs, put in the way the actors benchmark does it: `Restock` commands on
// the request path (batched per shard, applied when answered), 200 at a time; then waiting until
// the API instance(s) read them, so no measured request finds a SKU it does not know yet.
import { Sku, type Command } from '@larder/domain';
import { makeRequestClient, ProcessId, type Names } from '@larder/messaging';
import { nuid, type NatsConnection } from '@nats-io/transport-node';
import { Either } from 'effect';
import { setTimeout as sleep } from 'node:timers/promises';
import { reserveCommand, restockCommand } from '../actors/BenchCommands.js';
import { runClosedLoop } from '../actors/ClosedLoop.js';
import { sendRequestWith, type SendRequest } from '../actors/SendRequest.js';
import { readStockViaApi } from './StockReadback.js';

export interface CommandSender {
  readonly send: SendRequest;
  readonly close: () => void;
}

export const makeCommandSender = (nc: NatsConnection, names: Names): CommandSender => {
  const client = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(ProcessId.make(`bench-${nuid.next()}`)) });
  return { send: sendRequestWith(client), close: () => client.close() };
};

const VisibleTimeoutMs = 120_000;

/** Waits until every API instance shows `onHand` = qty for every SKU; returns the ms it took. */
export const waitVisible = async (apis: ReadonlyArray<string>, apiKey: string, skus: ReadonlyArray<string>, qty: number): Promise<number> => {
  const t0 = performance.now();
  for (const api of apis) {
    let pending = skus;
    while (pending.length > 0) {
      const levels = await readStockViaApi(api, apiKey, pending);
      pending = pending.filter((sku) => levels.get(sku)?.onHand !== qty);
      if (pending.length === 0) break;
      if (performance.now() - t0 > VisibleTimeoutMs) throw new Error(`after ${VisibleTimeoutMs} ms ${api} still does not show ${pending.length} seeded SKUs (e.g. ${pending[0]})`);
      await sleep(100);
    }
  }
  return Math.round(performance.now() - t0);
};

const OwnerWaitMs = 60_000;

/**
 * Sends until Accepted (null) or a final answer (its description). A shard without an owner yet (a
 * lease being taken, or lapsed on a starved machine) answers no-responders or `Retry`: sent again, same id.
 */
const sendRetrying = async (sender: CommandSender, command: Command): Promise<string | null> => {
  for (const started = performance.now(); ; await sleep(50)) {
    const result = await sender.send(command);
    if (Either.isRight(result) && result.right._tag === 'Accepted') return null;
    const retryable = Either.isLeft(result) ? result.left._tag === 'NoResponders' || result.left._tag === 'Timeout' : result.right._tag === 'Retry';
    if (!retryable || performance.now() - started > OwnerWaitMs) return JSON.stringify(Either.isLeft(result) ? result.left : result.right);
  }
};

/**
 * Restocks every SKU with `qty` (once per SKU and namespace: the command id is derived from the SKU).
 */
export const seedSkus = async (sender: CommandSender, apis: ReadonlyArray<string>, apiKey: string, skus: ReadonlyArray<string>, qty: number): Promise<number> => {
  const t0 = performance.now();
  const problems: Array<string> = [];
  const loop = runClosedLoop(skus.length, 200, async (i) => {
    const sku = skus[i];
    if (sku === undefined) return;
    const failure = await sendRetrying(sender, restockCommand(Sku.make(sku), qty));
    if (failure !== null) {
      problems.push(`${sku}: ${failure}`);
      loop.stop();
    }
  });
  await loop.done;
  if (problems.length > 0) throw new Error(`restocking before the scenario failed: ${problems.slice(0, 3).join('; ')}`);
  await waitVisible(apis, apiKey, skus, qty);
  return Math.round(performance.now() - t0);
};

/** Single-unit holds (an hour long) on the request path, `perSku` on each SKU: open holds to recover. */
export const holdOnRequestPath = async (sender: CommandSender, skus: ReadonlyArray<string>, perSku: number, prefix: string): Promise<number> => {
  let accepted = 0;
  const problems: Array<string> = [];
  const total = skus.length * perSku;
  const loop = runClosedLoop(total, 200, async (i) => {
    const sku = skus[i % skus.length];
    if (sku === undefined) return;
    const failure = await sendRetrying(sender, reserveCommand(Sku.make(sku), `${prefix}-${i}`));
    if (failure === null) accepted++;
    else problems.push(`${sku}: ${failure}`);
  });
  await loop.done;
  if (problems.length > 0) throw new Error(`holds before the scenario failed: ${problems.slice(0, 3).join('; ')}`);
  return accepted;
};
