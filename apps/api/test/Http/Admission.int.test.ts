// Admission control over real HTTP (Admission.ts): an instance past its load threshold refuses new
// writes with 503 `overloaded` and Retry-After before doing anything for them, while reads and the end
// of a checkout go on; a shed hold retried with the same Idempotency-Key elsewhere is placed once.
// "Past the threshold" is made permanent by a threshold no running process stays under (a
// utilisation of 0.000001 over 10 ms samples), so the test does not depend on the machine's speed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let saturated: ApiInstance;
beforeAll(async () => {
  f = await makeSystemFixture();
  saturated = await f.startApiInstance({ LARDER_SHED_EVENT_LOOP_UTILIZATION: '0.000001', LARDER_SHED_EVENT_LOOP_DELAY_MS: '0', LARDER_SHED_SAMPLE_MS: '10' });
});
afterAll(async () => f?.cleanup());

const hold = (sku: string, key: string, api: ApiInstance) =>
  api.post('/v1/reservations', { lines: [{ sku, qty: 1 }] }, { key: f.keys.reserve, idempotencyKey: key });

describe('an API instance past its load threshold', () => {
  it('sheds a new hold with 503 overloaded and Retry-After, and nothing of it remains', async () => {
    const sku = uniqueSku('SHED');
    await f.seedStock(sku, 10);
    const key = randomUUID();

    const shed = await hold(sku, key, saturated);
    expect(problemOf(shed)).toEqual(problem(503, 'overloaded'));
    expect(shed.headers.get('retry-after')).toBe('1');

    // The retry with the same key, on an instance with room, is a first attempt: 201, one unit held.
    const placed = await hold(sku, key, f.api);
    expect(placed.status, placed.text).toBe(201);
    expect(placed.headers.get('idempotent-replayed')).toBeNull();
    const view = await f.waitForStock(sku, (v) => v.reserved === 1);
    expect(view).toMatchObject({ onHand: 10, reserved: 1, available: 9 });
  });

  it('still answers reads, and lets a checkout already holding stock commit', async () => {
    const sku = uniqueSku('SHED-READ');
    await f.seedStock(sku, 5);
    const held = decodeBody(HeldBody, await hold(sku, randomUUID(), f.api));

    const read = await saturated.get(`/v1/stock/${sku}`);
    expect(read.status, read.text).toBe(200);
    const commit = await saturated.post(`/v1/reservations/${held.reservationId}/commit`, {}, { key: f.keys.reserve, idempotencyKey: randomUUID() });
    expect(commit.status, commit.text).toBe(200);
    await f.waitForStock(sku, (v) => v.onHand === 4 && v.reserved === 0);
  });

  it('counts what it shed, by route, on /metrics', async () => {
    await hold(uniqueSku('SHED-METRIC'), randomUUID(), saturated);
    const metrics = await saturated.get('/metrics');
    expect(metrics.text).toMatch(/larder_http_shed_total\{route="\/v1\/reservations"\} [1-9]/);
  });
});
