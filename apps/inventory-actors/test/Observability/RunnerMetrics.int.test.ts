// A runner with LARDER_METRICS_PORT set, on the real NATS, Postgres and Redis: commands on both paths,
// a stock-out, a shortfall and a poison message show up on its /metrics as Prometheus would scrape
// them, next to shard ownership and the process metrics; /healthz answers.
import { freePort } from '@larder/testing';
import { Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateDrop, closeDrop, dropHold, recordSale, reserve, restock, sku } from '../Support/Commands.js';
import { makeRunnerFixture, SHARDS, type RunnerFixture } from '../Support/RunnerFixture.js';
import { scrape } from './Fixtures/Scrape.js';

let f: RunnerFixture;
let url: string;
beforeAll(async () => {
  f = await makeRunnerFixture();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  await f.startInProcess({ LARDER_METRICS_PORT: String(port), LARDER_DLQ_POLL_MS: '200', LARDER_AUDIT_EVERY_MS: '0' });
});
afterAll(async () => f?.cleanup());

const accepted = (r: Awaited<ReturnType<RunnerFixture['request']>>) => Either.isRight(r) && r.right._tag === 'Accepted';

describe('a runner serving /metrics', () => {
  it('counts commands by path and outcome, appends, stock-outs, shortfalls and dead letters', async () => {
    const s = sku('METRICS-1');
    const before = await scrape(`${url}/metrics`);
    expect(before.value('larder_commands_total', { path: 'request', outcome: 'accepted' })).toBe(0);
    expect(before.value('larder_stockouts_total')).toBe(0);

    expect(accepted(await f.request(restock(s, 2)))).toBe(true);
    // Two holds take both units (a stock-out), the third is refused.
    const holds = await Promise.all([1, 2, 3].map((i) => f.request(reserve(s, `m-${i}`))));
    expect(holds.filter(accepted)).toHaveLength(2);
    // An order reported after the fact with nothing free: a shortfall of 3 units, through INV_CMD.
    await f.publish(recordSale(s, 'order-m-1', 3));
    // Poison: not a command at all.
    await f.js.publish(f.names.commands.subject(s), new TextEncoder().encode('restock 5 units, please'));

    await expect
      .poll(async () => (await scrape(`${url}/metrics`)).value('larder_dlq_depth'), { timeout: 15_000, interval: 100 })
      .toBe(1);
    await expect
      .poll(async () => (await scrape(`${url}/metrics`)).value('larder_commands_total', { path: 'inv_cmd', outcome: 'accepted' }), { timeout: 15_000 })
      .toBe(1);
    const after = await scrape(`${url}/metrics`);
    expect(after.value('larder_commands_total', { path: 'request', outcome: 'accepted' })).toBe(3);
    expect(after.value('larder_commands_total', { path: 'request', outcome: 'rejected' })).toBe(1);
    expect(after.value('larder_command_duration_seconds_count', { path: 'request' })).toBe(4);
    expect(after.value('larder_command_duration_seconds_count', { path: 'inv_cmd' })).toBe(1);
    // Appends: the restock, the holds (one or two group commits), the sale.
    const appends = after.value('larder_journal_append_commands_count') ?? 0;
    expect(appends).toBeGreaterThanOrEqual(3);
    expect(appends).toBeLessThanOrEqual(4);
    expect(after.value('larder_journal_append_duration_seconds_count')).toBe(appends);
    expect(after.value('larder_stockouts_total')).toBe(1);
    expect(after.value('larder_shortfalls_total')).toBe(1);
    expect(after.value('larder_shortfall_units_total')).toBe(3);
    expect(after.value('larder_actors_active')).toBeGreaterThanOrEqual(1);
  });

  it('counts holds in drops by outcome, drop moments by kind and the units closes give back (no per-drop label)', async () => {
    const s = sku('METRICS-DROP');
    expect(accepted(await f.request(restock(s, 10)))).toBe(true);
    expect(accepted(await f.request(allocateDrop(s, 'metrics-drop', 3, 1)))).toBe(true);
    // Held (and the opening recorded), over the customer's limit, held, held (sold out), lost demand.
    for (const [id, customer] of [['d-1', 'c-1'], ['d-2', 'c-1'], ['d-3', 'c-2'], ['d-4', 'c-3'], ['d-5', 'c-4']] as const) {
      await f.request(dropHold(s, 'metrics-drop', id, customer));
    }
    expect(accepted(await f.request(closeDrop(s, 'metrics-drop')))).toBe(true);
    const after = await scrape(`${url}/metrics`);
    expect(after.value('larder_drop_holds_total', { outcome: 'held' })).toBe(3);
    expect(after.value('larder_drop_holds_total', { outcome: 'limit_exceeded' })).toBe(1);
    expect(after.value('larder_drop_holds_total', { outcome: 'insufficient_stock' })).toBe(1);
    expect(after.value('larder_drop_events_total', { kind: 'opened' })).toBe(1);
    expect(after.value('larder_drop_events_total', { kind: 'soldout' })).toBe(1);
    expect(after.value('larder_drop_events_total', { kind: 'closed' })).toBe(1);
    expect(after.value('larder_drop_units_returned_total')).toBe(0);
  });

  it('reports the shards it hosts out of the deployment\'s, the process metrics, and /healthz', async () => {
    const now = await scrape(`${url}/metrics`);
    expect(now.value('larder_shards_total')).toBe(SHARDS);
    expect(now.value('larder_shards_owned')).toBe(SHARDS);
    for (let shard = 0; shard < SHARDS; shard++) expect(now.value('larder_shard_owned', { shard: String(shard) })).toBe(1);
    expect(now.value('larder_shard_rebalances_total')).toBeGreaterThanOrEqual(0);
    expect(now.value('larder_oversell_units')).toBe(0);
    expect(now.value('larder_runner_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(now.value('larder_runner_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  });
});
