// A SKU's levels as readers see them, read back after a scenario: through the API (`GET /v1/stock`,
// 100 SKUs a request) and straight from the runner's projection in KV `stock`.
import { decodeStockView, type Names } from '@larder/messaging';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Either } from 'effect';

export interface Levels {
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly version: number;
  /** Epoch ms of the last change (the view's `asOf`). */
  readonly asOfMs: number;
}

const field = (o: object, name: string): number | undefined => {
  const v: unknown = Reflect.get(o, name);
  return typeof v === 'number' ? v : undefined;
};

/** Decodes one `GET /v1/stock/{sku}` answer (or an item of the batch); undefined when not one. */
export const levelsOf = (item: unknown): (Levels & { readonly sku: string }) | undefined => {
  if (typeof item !== 'object' || item === null) return undefined;
  const sku: unknown = Reflect.get(item, 'sku');
  const asOf: unknown = Reflect.get(item, 'asOf');
  const [onHand, reserved, available, version] = ['onHand', 'reserved', 'available', 'version'].map((f) => field(item, f));
  if (typeof sku !== 'string' || typeof asOf !== 'string' || onHand === undefined || reserved === undefined || available === undefined || version === undefined) return undefined;
  return { sku, onHand, reserved, available, version, asOfMs: Date.parse(asOf) };
};

export const readStockViaApi = async (apiUrl: string, apiKey: string, skus: ReadonlyArray<string>): Promise<Map<string, Levels>> => {
  const out = new Map<string, Levels>();
  for (let i = 0; i < skus.length; i += 100) {
    const query = skus.slice(i, i + 100).map((s) => `sku=${encodeURIComponent(s)}`).join('&');
    const response = await fetch(`${apiUrl}/v1/stock?${query}`, { headers: { 'x-api-key': apiKey } });
    if (response.status !== 200) throw new Error(`GET /v1/stock: HTTP ${response.status} ${await response.text()}`);
    const body: unknown = await response.json();
    const items: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'items') : undefined;
    if (!Array.isArray(items)) throw new Error(`GET /v1/stock: no items in ${JSON.stringify(body).slice(0, 200)}`);
    for (const item of items) {
      const levels = levelsOf(item);
      if (levels !== undefined) out.set(levels.sku, levels);
    }
  }
  return out;
};

export const readStockViaKv = async (nc: NatsConnection, names: Names, skus: ReadonlyArray<string>): Promise<Map<string, Levels>> => {
  const kv = await new Kvm(nc).open(names.buckets.stock);
  const out = new Map<string, Levels>();
  let next = 0;
  const worker = async () => {
    while (next < skus.length) {
      const sku = skus[next++];
      if (sku === undefined) continue;
      const entry = await kv.get(sku);
      if (entry === null || entry.operation !== 'PUT') continue;
      const view = decodeStockView(entry.value);
      if (Either.isLeft(view)) throw new Error(`KV ${names.buckets.stock} ${sku}: ${view.left.reason}`);
      const v = view.right;
      out.set(sku, { onHand: v.onHand, reserved: v.reserved, available: v.available, version: v.seq, asOfMs: v.asOf });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return out;
};
