// Seeds the bench SKUs through the API the way a back office would (PUT /v1/skus, then POST
// /v1/restocks with an Idempotency-Key) and waits until GET /v1/stock shows every one of them.
import { setTimeout as sleep } from 'node:timers/promises';

export interface SeedItem {
  readonly sku: string;
  readonly qty: number;
}

const SeedTimeoutMs = 60_000;

const headersOf = (apiKey: string) => ({ 'content-type': 'application/json', 'x-api-key': apiKey });

const expectStatus = async (what: string, response: Response, wanted: ReadonlyArray<number>) => {
  if (!wanted.includes(response.status)) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
};

/** The SKUs present in a batch read with `onHand` as seeded. */
const visible = async (baseUrl: string, apiKey: string, items: ReadonlyArray<SeedItem>): Promise<number> => {
  const query = items.map((i) => `sku=${encodeURIComponent(i.sku)}`).join('&');
  const response = await fetch(`${baseUrl}/v1/stock?${query}`, { headers: headersOf(apiKey) });
  await expectStatus('GET /v1/stock', response, [200]);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('items' in body) || !Array.isArray(body.items)) return 0;
  const onHand = new Map<unknown, unknown>();
  for (const item of body.items) if (typeof item === 'object' && item !== null && 'sku' in item && 'onHand' in item) onHand.set(item.sku, item.onHand);
  return items.filter((i) => onHand.get(i.sku) === i.qty).length;
};

/** Returns how long it took until the reads showed every SKU, in ms. */
export const seedStock = async (baseUrl: string, apiKey: string, items: ReadonlyArray<SeedItem>): Promise<number> => {
  const t0 = performance.now();
  const headers = headersOf(apiKey);
  for (const item of items) {
    const put = await fetch(`${baseUrl}/v1/skus/${encodeURIComponent(item.sku)}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ name: `bench ${item.sku}` }),
    });
    await expectStatus(`PUT /v1/skus/${item.sku}`, put, [200, 201]);
    const restock = await fetch(`${baseUrl}/v1/restocks`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `bench-seed-${item.sku}` },
      body: JSON.stringify({ sku: item.sku, qty: item.qty, reference: 'bench-api-seed' }),
    });
    await expectStatus(`POST /v1/restocks ${item.sku}`, restock, [202]);
  }
  for (;;) {
    const seen = await visible(baseUrl, apiKey, items);
    if (seen === items.length) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > SeedTimeoutMs) throw new Error(`after ${SeedTimeoutMs} ms GET /v1/stock shows ${seen} of ${items.length} seeded SKUs`);
    await sleep(100);
  }
};
