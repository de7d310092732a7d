// After the reservation scenario: the hold SKU's `reserved`, read through the API once its
// projection has settled, against the 201 answers counted. Holds still in flight when a run ended
// were applied but never answered, so `reserved` may exceed the 201s by at most the connections.
import { setTimeout as sleep } from 'node:timers/promises';

export interface HoldsCheck {
  readonly answered201: number;
  readonly reserved: number;
  readonly onHand: number;
  readonly available: number;
  /** reserved − answered201: holds placed whose answer the load generator never read. */
  readonly unanswered: number;
}

const SettleMs = 1_000;
const TimeoutMs = 30_000;

const numberField = (body: unknown, field: string): number => {
  if (typeof body !== 'object' || body === null || !(field in body)) throw new Error(`GET /v1/stock: no ${field} in ${JSON.stringify(body)}`);
  const value: unknown = Reflect.get(body, field);
  if (typeof value !== 'number') throw new Error(`GET /v1/stock: ${field} is not a number in ${JSON.stringify(body)}`);
  return value;
};

export const checkHolds = async (baseUrl: string, apiKey: string, sku: string, answered201: number): Promise<HoldsCheck> => {
  const t0 = performance.now();
  let last = { version: -1, at: performance.now() };
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/stock/${encodeURIComponent(sku)}`, { headers: { 'x-api-key': apiKey } });
    if (response.status !== 200) throw new Error(`GET /v1/stock/${sku}: HTTP ${response.status} ${await response.text()}`);
    const body: unknown = await response.json();
    const version = numberField(body, 'version');
    if (version !== last.version) last = { version, at: performance.now() };
    else if (performance.now() - last.at >= SettleMs || performance.now() - t0 > TimeoutMs) {
      const reserved = numberField(body, 'reserved');
      return { answered201, reserved, onHand: numberField(body, 'onHand'), available: numberField(body, 'available'), unanswered: reserved - answered201 };
    }
    await sleep(100);
  }
};
