#!/usr/bin/env node
// `npm run demo:month [-- --seed 19 --out month.md --keep]`: replays a simulated month of orders on the
// real system (a shard runner and an API whose clock the simulation moves, in a namespace of their own),
// then prints the month's totals and GET /v1/restock-suggestions as markdown (docs/demand-signals.md,
// "A simulated month"). Without --keep everything it made is removed at the end.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeNewestOnHand, decodeNotifyCounts, decodeSuggestions, type SuggestionItem } from './Month/MonthAnswers.js';
import { expectStatus, makeMonthClient, type MonthClient } from './Month/MonthClient.js';
import { monthDays, monthSkus } from './Month/MonthPlan.js';
import { monthReport, type NotifyCounts } from './Month/MonthReport.js';
import { mulberry32 } from './Month/Mulberry32.js';
import { DayMs, replayMonth, type MonthRun } from './Month/ReplayMonth.js';
import { makeSimClock } from './Month/SimClock.js';
import { startSimulatedLarder, unreachableServices, type SimulatedLarder } from './Month/SimulatedLarder.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The suggestions once the ledger (written asynchronously by the runner) holds every sale and refusal of the month. */
const settledSuggestions = async (client: MonthClient, run: MonthRun): Promise<{ today: string; items: ReadonlyArray<SuggestionItem> }> => {
  const query = monthSkus.map((s) => `sku=${s.sku}`).join('&');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = decodeSuggestions(expectStatus('reading the suggestions', await client.get(`/v1/restock-suggestions?${query}`), 200).body);
    let settled = true;
    for (const total of run.skus) {
      const newest = decodeNewestOnHand(expectStatus(`reading the ledger of ${total.sku}`, await client.get(`/v1/skus/${total.sku}/ledger?limit=1`), 200).body).entries[0];
      const refusals = answer.items.filter((i) => i.sku === total.sku).reduce((sum, i) => sum + i.signals.lostDemand.refusals, 0);
      if (newest?.after.onHand !== run.onHand.get(total.sku) || refusals !== total.refusals) settled = false;
    }
    if (settled) return answer;
    if (Date.now() > deadline) throw new Error('the ledger did not catch up with the month within 60 s');
    await new Promise((done) => setTimeout(done, 250));
  }
};

const main = async () => {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '19' }, out: { type: 'string' }, keep: { type: 'boolean', default: false } } });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number, not ${values.seed}`);
  const down = await unreachableServices();
  if (down.length > 0) {
    for (const service of down) log(`not reachable: ${service} (start it, or set NATS_URL, DATABASE_URL, REDIS_URL)`);
    process.exit(1);
  }
  const began = Date.now();
  const todayMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const startMs = todayMs - monthDays * DayMs;
  const clock = makeSimClock(startMs);
  const larder: SimulatedLarder = await startSimulatedLarder(clock.now, log);
  let finished = false;
  const interrupted = async (signal: string) => {
    log(`\n${signal}: stopping the API and the runner${values.keep && finished ? '' : ', removing the namespace'}…`);
    await (values.keep && finished ? larder.stop() : larder.remove());
    process.exit(values.keep && finished ? 0 : 130);
  };
  process.once('SIGINT', () => void interrupted('SIGINT'));
  process.once('SIGTERM', () => void interrupted('SIGTERM'));
  try {
    const client = makeMonthClient(larder.apiUrl, larder.apiKey);
    const started = Date.now();
    log(`Larder up in ${((started - began) / 1000).toFixed(1)} s; replaying ${monthDays} days from ${new Date(startMs).toISOString().slice(0, 10)} (seed ${seed})`);
    const run = await replayMonth({ client, clock, random: mulberry32(seed), pollSecret: larder.pollSecret, startMs, log });
    const replayed = Date.now();
    clock.followRealTime();
    const { today, items } = await settledSuggestions(client, run);
    const notify = new Map<string, NotifyCounts>();
    for (const item of monthSkus) {
      notify.set(item.sku, decodeNotifyCounts(expectStatus(`notify-me of ${item.sku}`, await client.get(`/v1/skus/${item.sku}/notify-requests`), 200).body));
    }
    const report = monthReport({ seed, run, notify, today, items });
    process.stdout.write(report);
    if (values.out !== undefined) writeFileSync(values.out, report);
    log(`replay ${((replayed - started) / 1000).toFixed(1)} s, total ${((Date.now() - began) / 1000).toFixed(1)} s; 503 answers retried: ${client.retried()}`);
    finished = true;
    if (values.keep) {
      log(`
Kept: namespace ${larder.namespace.nats} (Postgres schema ${larder.namespace.postgresSchema}, Redis prefix ${larder.namespace.redisPrefix})
  console:  ${larder.apiUrl}/console/demand   (sign in with the key)
  API:      ${larder.apiUrl}
  key:      ${larder.apiKey}
  curl -s -H 'x-api-key: ${larder.apiKey}' '${larder.apiUrl}/v1/restock-suggestions?sku=JERKY-GHOST-50G'
Ctrl-C stops the API and the runner (the namespace stays: LARDER_NAMESPACE, LARDER_DB_SCHEMA and LARDER_REDIS_PREFIX name it).`);
      return;
    }
    await larder.remove();
    process.exit(0);
  } catch (error) {
    log(`demo:month failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await larder.remove().catch(() => undefined);
    process.exit(1);
  }
};

void main();
