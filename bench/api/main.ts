// `npm run bench:api [-- --smoke]`: the sales API over HTTP — reads from memory, one-line holds —
// against a bare Fastify route and Postgres / Redis reserve routes, on one runner and one API child.
import { MaxQuantity } from '@larder/domain';
import { freePort } from '@larder/testing';
import type { FastifyInstance } from 'fastify';
import { loadAverage, machineFacts } from '../actors/MachineFacts.js';
import { localNatsServerPid } from '../actors/ProcessCpu.js';
import { connectServices } from '../actors/Services.js';
import { parseApiBenchOptions } from './ApiBenchOptions.js';
import { makeApiIsolation, type Removed } from './ApiIsolation.js';
import { apiRatios } from './ApiRatios.js';
import { writeApiResults } from './ApiResultsFile.js';
import { apiResultsTable, footnotes, ratioTable } from './ApiResultsTable.js';
import { makeApiScenarios, type ApiScenarioResult } from './ApiScenario.js';
import { BaselinePath, startBaselineServer } from './BaselineServer.js';
import { startChildService, type ChildExit, type ChildService } from '../actors/ChildService.js';
import { checkHolds, type HoldsCheck } from './HoldsCheck.js';
import { makeReserveBaselineStore, type BaselineStockCheck, type BaselineStoreRemoved } from './ReserveBaselineStore.js';
import { ReservePath } from './ReserveRoute.js';
import { runApiScenario } from './RunApiScenario.js';
import { seedStock } from './SeedStock.js';
import { startSystem, stopSystem, type RunningSystem, type StoppedSystem } from './StartSystem.js';

const StopGraceMs = 15_000;
const options = parseApiBenchOptions(process.argv.slice(2));
const services = await connectServices();
const machine = machineFacts(services.nc);
const startedAt = new Date().toISOString();
const [load1 = 0] = machine.loadAverageAtStart;
const contention = `load average at start ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min) on ${machine.cores} cores`;
if (load1 > machine.cores / 2) process.stderr.write(`⚠ ${contention}: other work competes with the benchmark, figures will be low and noisy\n`);

const readSkus = Array.from({ length: options.readSkus }, (_, i) => `BENCH-API-${String(i).padStart(2, '0')}`);
const holdSku = 'BENCH-API-HOLD';
const isolation = makeApiIsolation(services);
// The reservation baselines' own schema and Redis prefix, created only when one of them is run.
const baseStore = makeReserveBaselineStore(services.databaseUrl, services.redisUrl, 'BENCH-BASE-HOLD');
let baseStoreCreated = false;
// Ctrl-C: stop the scenario in hand, but still stop the children and remove the namespace.
const interrupt = new Promise<string>((resolve) => process.once('SIGINT', () => resolve('interrupted (SIGINT)')));

const results: Array<ApiScenarioResult> = [];
let system: RunningSystem | null = null;
let baselineChild: ChildService | null = null;
let baselineInline: FastifyInstance | null = null;
let stopped: StoppedSystem | null = null;
let baselineExit: ChildExit | null = null;
let removed: Removed | null;
let holds: HoldsCheck | null = null;
let baselinePg: ChildService | null = null;
let baselineRedis: ChildService | null = null;
let baselinePgExit: ChildExit | null = null;
let baselineRedisExit: ChildExit | null = null;
const baselineStock: Array<BaselineStockCheck> = [];
let baseStoreRemoved: BaselineStoreRemoved | null = null;
let seedMs = 0;
try {
  process.stderr.write(`▶ starting a runner and an API on namespace ${isolation.id}… `);
  system = await startSystem(isolation);
  process.stderr.write(`ready (runner ${system.runner.readyMs} ms, api ${system.api.readyMs} ms)\n`);
  seedMs = await seedStock(system.baseUrl, system.apiKey, [...readSkus.map((sku) => ({ sku, qty: 1_000 })), { sku: holdSku, qty: MaxQuantity }]);
  process.stderr.write(`▶ seeded ${readSkus.length + 1} SKUs, visible in GET /v1/stock after ${seedMs} ms\n`);

  const inlinePort = await freePort();
  baselineInline = await startBaselineServer(inlinePort);
  const childPort = await freePort();
  baselineChild = await startChildService({ name: 'baseline', entry: 'bench/api/BaselineChild.ts', env: { PORT: String(childPort) }, ready: '"baseline ready"', readyTimeoutMs: 30_000 });

  const pgPort = await freePort();
  const redisPort = await freePort();
  const scenarios = makeApiScenarios({
    apiUrl: system.baseUrl,
    apiKey: system.apiKey,
    readSkus,
    holdSku,
    baselineInlineUrl: `http://127.0.0.1:${inlinePort}${BaselinePath}`,
    baselineChildUrl: `http://127.0.0.1:${childPort}${BaselinePath}`,
    baselinePgUrl: `http://127.0.0.1:${pgPort}${ReservePath}`,
    baselineRedisUrl: `http://127.0.0.1:${redisPort}${ReservePath}`,
    baselineSku: baseStore.sku,
  }).filter((s) => options.only.length === 0 || options.only.some((o) => s.id.includes(o)));
  const runs = (id: string) => scenarios.some((s) => s.id === id);
  if (runs('baseline-pg') || runs('baseline-redis')) {
    baseStoreCreated = true;
    await baseStore.create();
    process.stderr.write(`▶ reserve baselines: schema ${baseStore.schema}, Redis prefix ${baseStore.redisPrefix}\n`);
  }
  const base = { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, BASE_SCHEMA: baseStore.schema, BASE_PREFIX: baseStore.redisPrefix };
  if (runs('baseline-pg')) {
    baselinePg = await startChildService({ name: 'baseline-pg', entry: 'bench/api/PgReserveChild.ts', env: { ...base, PORT: String(pgPort) }, ready: '"baseline-pg ready"', readyTimeoutMs: 30_000 });
  }
  if (runs('baseline-redis')) {
    baselineRedis = await startChildService({ name: 'baseline-redis', entry: 'bench/api/RedisReserveChild.ts', env: { ...base, PORT: String(redisPort) }, ready: '"baseline-redis ready"', readyTimeoutMs: 30_000 });
  }
  const deaths = [system.runner.died, system.api.died, baselineChild.died, ...[baselinePg, baselineRedis].flatMap((c) => (c === null ? [] : [c.died])), interrupt];
  const common = { runner: system.runner.pid, generator: process.pid, natsServer: localNatsServerPid() };
  for (const scenario of scenarios) {
    // baseline-inline's server is this process: no `server` entry, so `other` is still computed.
    const servers: Readonly<Record<string, number | null>> = { 'baseline-child': baselineChild.pid, 'baseline-pg': baselinePg?.pid ?? null, 'baseline-redis': baselineRedis?.pid ?? null };
    const server = scenario.id in servers ? { server: servers[scenario.id] ?? null } : scenario.id === 'baseline-inline' ? {} : { server: system.api.pid };
    process.stderr.write(`▶ ${scenario.id}: ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s, ${options.connections} connections… `);
    const result = await runApiScenario(scenario, options, { deaths, pids: { ...server, ...common } });
    process.stderr.write(`${result.measured.answersPerSecond} req/s, p99 ${result.measured.latency.p99Ms} ms, ${result.unexpected} unexpected\n`);
    results.push(result);
    if (scenario.id === 'reserve') {
      const answered201 = (result.warmup.statusCounts['201'] ?? 0) + (result.measured.statusCounts['201'] ?? 0);
      holds = await checkHolds(system.baseUrl, system.apiKey, holdSku, answered201);
    }
    if (scenario.id === 'baseline-pg' || scenario.id === 'baseline-redis') {
      const answered201 = (result.warmup.statusCounts['201'] ?? 0) + (result.measured.statusCounts['201'] ?? 0);
      const stock = await baseStore.check(scenario.id, answered201);
      baselineStock.push(stock);
      process.stderr.write(`  ${scenario.id}: available ${stock.available}, oversold ${stock.oversold}\n`);
    }
    // Let the projections and snapshots of one scenario settle before the next one.
    await new Promise((r) => setTimeout(r, 1_000));
  }
} catch (error) {
  process.stderr.write(`\n✖ benchmark stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (baselineInline !== null) await baselineInline.close();
  if (baselineChild !== null) baselineExit = await baselineChild.stop(StopGraceMs).catch(() => null);
  if (baselinePg !== null) baselinePgExit = await baselinePg.stop(StopGraceMs).catch(() => null);
  if (baselineRedis !== null) baselineRedisExit = await baselineRedis.stop(StopGraceMs).catch(() => null);
  if (baseStoreCreated) {
    baseStoreRemoved = await baseStore.remove().catch((error: unknown) => {
      process.stderr.write(`✖ removing ${baseStore.schema} failed: ${String(error)}\n`);
      return null;
    });
  }
  if (system !== null) stopped = await stopSystem(system, StopGraceMs).catch(() => null);
  removed = await isolation.remove().catch((error: unknown) => {
    process.stderr.write(`✖ removing ${isolation.id} failed: ${String(error)}\n`);
    return null;
  });
  await services.close();
}

const table = apiResultsTable(results);
if (process.exitCode === 1) {
  if (results.length > 0) process.stdout.write(`\nCompleted before the failure:\n\n${table}\n`);
} else {
  const ratios = apiRatios(results);
  const title = `## Larder sales API over HTTP${options.smoke ? ' (smoke)' : ''}`;
  const facts = `${machine.hostname}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, nats-server ${machine.natsServer}; ${contention}. One runner + one API child (32 shards), load generator (autocannon) in this process: all share the ${machine.cores} cores with NATS, Postgres, Redis and anything else running.`;
  process.stdout.write(`\n${title}\n\n${facts}\n\n${table}\n\nEach route ÷ the baselines:\n\n${ratioTable(ratios)}\n\n${footnotes(results, holds, baselineStock)}\n`);
  const kind = options.smoke ? 'smoke' : options.only.length > 0 ? 'partial' : 'full';
  const path = await writeApiResults(machine.hostname, kind, {
    benchmark: 'api',
    startedAt,
    finishedAt: new Date().toISOString(),
    note: `${machine.cores} cores shared by the generator, the API, the runner, NATS, Postgres, Redis and any other work on the machine; ${contention}`,
    loadAverageAtEnd: loadAverage(),
    options,
    machine,
    namespace: isolation.id,
    seedVisibleMs: seedMs,
    children: {
      runner: system === null ? null : { readyMs: system.runner.readyMs, warnings: system.runner.warnings(), exit: stopped?.runner ?? null },
      api: system === null ? null : { readyMs: system.api.readyMs, warnings: system.api.warnings(), exit: stopped?.api ?? null },
      baseline: baselineChild === null ? null : { readyMs: baselineChild.readyMs, exit: baselineExit },
      baselinePg: baselinePg === null ? null : { readyMs: baselinePg.readyMs, warnings: baselinePg.warnings(), exit: baselinePgExit },
      baselineRedis: baselineRedis === null ? null : { readyMs: baselineRedis.readyMs, warnings: baselineRedis.warnings(), exit: baselineRedisExit },
    },
    results,
    ratios,
    holds,
    baselineStock,
    removed,
    baselineStoreRemoved: baseStoreRemoved,
  });
  process.stdout.write(`\nwrote ${path}\n`);
}
for (const [name, exit] of Object.entries({ api: stopped?.api, runner: stopped?.runner, baseline: baselineExit, baselinePg: baselinePgExit, baselineRedis: baselineRedisExit })) {
  if (exit === undefined || exit === null) continue;
  if (exit.killed || exit.code !== 0) process.stderr.write(`⚠ ${name} did not stop cleanly after SIGTERM: ${JSON.stringify(exit)}\n`);
}
