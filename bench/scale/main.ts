// `npm run bench:scale`: the request path with 1, 2 and 3 shard runners in one run on this machine
// (leases split 32 shards between them), then the takeover: one of three runners is SIGKILLed under
// load and the time until its shards are leased and answering again is measured.
import { makeNames, makeRequestClient, Namespace, ProcessId, Shards, decodeShardLease, type Shard } from '@larder/messaging';
import { deleteNamespaceStreams, deleteRedisKeys, dropPostgresSchema, makeTestNamespace, startLarderProcess, type LarderProcess } from '@larder/testing';
import { Kvm } from '@nats-io/kv';
import { nuid } from '@nats-io/transport-node';
import { Either } from 'effect';
import { Redis } from 'ioredis';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { benchSku, reserveCommand } from '../actors/BenchCommands.js';
import { runClosedLoop } from '../actors/ClosedLoop.js';
import { loadAverage, machineFacts } from '../actors/MachineFacts.js';
import { percentiles } from '../actors/Percentiles.js';
import { sendRequestWith } from '../actors/SendRequest.js';
import { connectServices } from '../actors/Services.js';
import { stockUp } from '../actors/StockUp.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : Number(found.slice(name.length + 3));
};
const smoke = process.argv.includes('--smoke');
const SHARDS = 32;
const skuCount = arg('skus', smoke ? 64 : 1_000);
const clients = arg('clients', smoke ? 20 : 200);
const seconds = arg('seconds', smoke ? 2 : 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const services = await connectServices();
const ns = makeTestNamespace();
const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(SHARDS) });
const env = {
  NATS_URL: services.natsUrl,
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  LARDER_NAMESPACE: ns.nats,
  LARDER_SHARDS: String(SHARDS),
  LARDER_DB_SCHEMA: ns.postgresSchema,
  LARDER_REDIS_PREFIX: ns.redisPrefix,
  LOG_LEVEL: 'info',
};
const client = makeRequestClient(services.nc, names, { inboxPrefix: names.inbox.prefix(ProcessId.make(`bench-${nuid.next()}`)) });
const send = sendRequestWith(client);
const runners: Array<LarderProcess> = [];
const skus = Array.from({ length: skuCount }, (_, i) => benchSku(i));

const holders = async () => {
  const kv = await new Kvm(services.nc).open(names.buckets.shardLeases);
  const out = new Map<Shard, string>();
  for (const shard of names.allShards) {
    const entry = await kv.get(names.keys.lease(shard));
    if (entry === null || entry.operation !== 'PUT') continue;
    const lease = decodeShardLease(entry.value);
    if (Either.isRight(lease)) out.set(shard, lease.right.runner);
  }
  return out;
};
const runnerId = (p: LarderProcess) => /"runner":"(runner-[A-Za-z0-9_-]+)"/.exec(p.output())?.[1] ?? 'unknown';
/** Until `n` runners hold every shard between them. */
const settled = async (n: number) => {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const h = await holders();
    if (h.size === SHARDS && new Set(h.values()).size === n) return;
  }
  throw new Error(`${n} runner(s) did not settle on ${SHARDS} shards within 60 s`);
};
const addRunner = async () => {
  runners.push(await startLarderProcess({ name: `runner-${runners.length + 1}`, entry: 'apps/inventory-actors/src/main.ts', env, ready: '"runner ready"', readyTimeoutMs: 90_000 }));
  await settled(runners.length);
};

let counter = 0;
const measure = async () => {
  const total = 10_000_000;
  let refused = 0;
  const loop = runClosedLoop(total, clients, async () => {
    const sku = skus[Math.floor(Math.random() * skus.length)] ?? skus[0];
    if (sku === undefined) return;
    const r = await send(reserveCommand(sku, `scale-${++counter}`));
    if (Either.isLeft(r) || r.right._tag !== 'Accepted') refused++;
  });
  await sleep(1_000); // warm-up, not counted
  const from = loop.started();
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const sent = loop.started() - from;
  const elapsed = (performance.now() - t0) / 1_000;
  loop.stop();
  await loop.done;
  const sample = loop.latencies.slice(from, from + sent).filter((x) => x > 0);
  return { runners: runners.length, perSecond: Math.round(sent / elapsed), latencyMs: percentiles(Float64Array.from(sample)), notAccepted: refused };
};

const results: Array<Awaited<ReturnType<typeof measure>>> = [];
let takeover: Record<string, number | string> | undefined;
try {
  await addRunner();
  await stockUp(send, skus, 1_000_000, 50);
  for (let n = 1; n <= 3; n++) {
    if (n > 1) await addRunner();
    const r = await measure();
    results.push(r);
    console.log(`${n} runner(s): ${r.perSecond} holds/s, p50 ${r.latencyMs.p50Ms} ms, p99 ${r.latencyMs.p99Ms} ms`);
  }

  // Takeover: kill the second runner under load; watch its shards come back.
  const victim = runners[1];
  if (victim === undefined) throw new Error('no second runner');
  const victimId = runnerId(victim);
  const before = await holders();
  const lost = [...before].filter(([, r]) => r === victimId).map(([s]) => s);
  const probe = new Map(lost.map((s) => [s, skus.find((k) => names.shardOf(k) === s)]));
  const loop = runClosedLoop(10_000_000, clients, async () => {
    const sku = skus[Math.floor(Math.random() * skus.length)] ?? skus[0];
    if (sku !== undefined) await send(reserveCommand(sku, `scale-${++counter}`));
  });
  await sleep(1_000);
  const killedAt = performance.now();
  await victim.kill('SIGKILL');
  let leasedMs = Number.NaN;
  let servingMs = Number.NaN;
  const answering = new Set<Shard>();
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && (Number.isNaN(leasedMs) || answering.size < lost.length); ) {
    const h = await holders();
    if (Number.isNaN(leasedMs) && lost.every((s) => h.has(s) && h.get(s) !== victimId)) leasedMs = performance.now() - killedAt;
    await Promise.all(
      [...probe].filter(([s]) => !answering.has(s)).map(async ([s, sku]) => {
        if (sku === undefined) return answering.add(s);
        const r = await send(reserveCommand(sku, `probe-${++counter}`));
        if (Either.isRight(r) && r.right._tag === 'Accepted') answering.add(s);
      }),
    );
    if (answering.size === lost.length && Number.isNaN(servingMs)) servingMs = performance.now() - killedAt;
    await sleep(50);
  }
  loop.stop();
  await loop.done;
  takeover = { shardsLost: lost.length, leasedAgainMs: Math.round(leasedMs), servingAgainMs: Math.round(servingMs) };
  console.log(`takeover after SIGKILL of 1 of 3 runners (${lost.length} shards): leased again after ${takeover['leasedAgainMs']} ms, all answering after ${takeover['servingAgainMs']} ms`);
} finally {
  for (const r of runners) await r.stop().catch(() => undefined);
  client.close();
  await deleteNamespaceStreams(services.nc, ns.nats);
  await dropPostgresSchema(services.databaseUrl, ns.postgresSchema);
  const redis = new Redis(services.redisUrl);
  await deleteRedisKeys(redis, ns.redisPrefix);
  await redis.quit();
}

const facts = { ...machineFacts(services.nc), loadAverageAtEnd: loadAverage() };
const file = `bench/results/${new Date().toISOString().slice(0, 10)}-scale-${os.hostname()}${smoke ? '-smoke' : ''}.json`;
await writeFile(file, `${JSON.stringify({ shards: SHARDS, skus: skuCount, clients, seconds, facts, results, takeover }, null, 2)}\n`);
console.log(`written ${file}`);
await services.close();
