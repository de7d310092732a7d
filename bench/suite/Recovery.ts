// Scenario 6, recovery: a runner owning a shard of `skus` (10,000) SKUs, some hot with open holds,
// is SIGKILLed; measured: time from the SIGKILL until a hold on that shard succeeds again through
// the API, served by another runner process. `restart` (static ownership): the replacement is
// started right after the kill; `standby` (dynamic leases): a second runner is already running and
// takes the shard when the dead one's lease lapses. Broken down from the replacement's log lines.
import { Sku } from '@larder/domain';
import { decodeShardLease, Shard, shardOf, Shards } from '@larder/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Either } from 'effect';
import { Pool } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ChildService } from '../actors/ChildService.js';
import type { Services } from '../actors/Services.js';
import { reserveRequest } from './Requests.js';
import { atMost, round2, type ScenarioReport } from './ScenarioReport.js';
import { holdOnRequestPath, makeCommandSender, seedSkus } from './Seeding.js';
import { journalLastSeq, journalMovements } from './MovementSums.js';
import { readStockViaApi } from './StockReadback.js';
import type { Watchdog } from './SuiteContext.js';
import type { RecoveryMode, SuiteOptions } from './SuiteOptions.js';
import { makeSuiteSystem, SuiteShards, type SuiteSystem } from './SuiteSystem.js';

const TakeoverTimeoutMs = 120_000;
const ProbeEveryMs = 10;
const VictimShard = 0;

/** A log line's arrival time (performance.now) and its `msg`. */
interface LogLine {
  readonly at: number;
  readonly msg: string;
  readonly text: string;
}

const lineCollector = () => {
  const lines: Array<LogLine> = [];
  let partial = '';
  return {
    lines,
    onOutput: (chunk: string) => {
      const at = performance.now();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) {
        let msg = text;
        try {
          const parsed: unknown = JSON.parse(text);
          const m: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'msg') : undefined;
          if (typeof m === 'string') msg = m;
        } catch {
          // not JSON (a stack trace, tsx's own output): kept as text
        }
        lines.push({ at, msg, text });
      }
    },
  };
};

/** Starts the standby: pinned to the victim's shard like runner-a, so it can only wait for that lease. */
const startStandby = (system: SuiteSystem, onOutput: (text: string) => void): Promise<ChildService> =>
  // Its "runner ready" waits for its share, which it cannot have while runner-a lives: wait for its first line instead.
  system.startRunner('runner-standby', { ownedShards: String(VictimShard), onOutput, ready: 'waiting for', logLevel: 'debug' });

/** The runner id in the victim shard's lease, or null when there is none (no leases in this revision). */
const leaseHolder = async (services: Services, system: SuiteSystem): Promise<string | null> => {
  const kv = await new Kvm(services.nc).open(system.names.buckets.shardLeases).catch(() => null);
  const entry = kv === null ? null : await kv.get(system.names.keys.lease(Shard.make(VictimShard))).catch(() => null);
  const lease = entry === null || entry.operation !== 'PUT' ? null : decodeShardLease(entry.value);
  return lease === null || Either.isLeft(lease) ? null : lease.right.runner;
};

/** `count` SKU names that all fall in `shard`. */
export const skusInShard = (shard: number, count: number, prefix: string): ReadonlyArray<string> => {
  const out: Array<string> = [];
  const shards = Shards.make(SuiteShards);
  for (let n = 0; out.length < count; n++) {
    const sku = `${prefix}-${n}`;
    if (shardOf(Sku.make(sku), shards) === shard) out.push(sku);
  }
  return out;
};

/** Log lines when node is up and when the entry first connects (see StartMarkers.mjs). */
const startMarker = ['--import', fileURLToPath(new URL('./StartMarkers.mjs', import.meta.url))];
const SettleMs = 10_000;

interface ModeResult {
  readonly mode: RecoveryMode;
  readonly available: boolean;
  readonly why?: string;
  readonly takeoverMs?: number;
  readonly breakdownMs?: Readonly<Record<string, number | null>>;
  readonly activatedSkus?: number | null;
  readonly probes?: number;
  /** Open holds on the hot SKUs that must survive: those placed before, the probe before the kill, the first probe after. */
  readonly holdsExpected?: number;
  /** The same, read back through the API (the read projection, which may lag) and from the journal (the truth). */
  readonly holdsAfter?: number;
  readonly holdsInJournal?: number;
  /** The last probes (ms after the SIGKILL they were sent, their status, how long the answer took). */
  readonly lastProbes?: ReadonlyArray<{ readonly sentMs: number; readonly status: number; readonly tookMs: number }>;
}

const runMode = async (services: Services, options: SuiteOptions, watchdog: Watchdog, log: (line: string) => void, mode: RecoveryMode): Promise<ModeResult> => {
  const o = options.recovery;
  const alive = () => {
    const trouble = watchdog.trouble();
    if (trouble !== null) throw new Error(trouble);
  };
  // A shorter lease (`--lease-ttl-ms`) needs a balance round at least as often as a quarter of it, or
  // the standby notices the free lease up to 500 ms late.
  const ttl = o.leaseTtlMs;
  const system = makeSuiteSystem(
    services,
    watchdog.watch,
    ttl === null ? {} : { LARDER_LEASE_TTL_MS: String(ttl), LARDER_BALANCE_EVERY_MS: String(Math.min(500, Math.floor(ttl / 4))) },
  );
  const sender = makeCommandSender(services.nc, system.names);
  let probePool: Pool | null = null;
  try {
    const aLog = lineCollector();
    const bLog = lineCollector();
    const sLog = lineCollector();
    // Every shard but the victim's lives on runner-b; the victim's shard on runner-a (pinned, through a lease).
    let victim = await system.startRunner('runner-a', { ownedShards: String(VictimShard), onOutput: aLog.onOutput, logLevel: 'debug' });
    await system.startRunner('runner-b', { ownedShards: `1-${SuiteShards - 1}`, onOutput: bLog.onOutput, logLevel: 'debug' });
    if (mode === 'standby') {
      // A second runner pinned to the same shard, already running: it waits for runner-a's lease to lapse.
      const standby = await startStandby(system, sLog.onOutput);
      const lease = await leaseHolder(services, system);
      if (lease === null) return { mode, available: false, why: `no lease for shard ${VictimShard} in KV ${system.names.buckets.shardLeases}: dynamic leases are not in this revision` };
      if (!aLog.lines.some((l) => l.text.includes(lease))) {
        if (!sLog.lines.some((l) => l.text.includes(lease))) throw new Error(`recovery: shard ${VictimShard}'s lease is held by ${lease}, neither runner-a nor the standby`);
        victim = standby;
      }
    }
    const api = await system.startApi('api');
    const skus = skusInShard(VictimShard, o.skus, 'REC');
    const hot = skus.slice(0, o.hotSkus);
    const seedMs = await seedSkus(sender, [api.url], system.apiKey, skus, 1_000);
    alive();
    const jsm = await jetstreamManager(services.nc);
    const journalFrom = await journalLastSeq(jsm, system.names);
    const holdsBefore = await holdOnRequestPath(sender, hot, o.holdsPerHot, 'rec-hold');
    alive();
    log(`  ${mode}: seeded ${skus.length} SKUs of shard ${VictimShard} in ${seedMs} ms, ${holdsBefore} open holds on ${hot.length} hot SKUs`);
    const probeSku = hot[0] ?? 'REC-0';
    const pool = new Pool(api.url, { connections: 4, pipelining: 1 });
    probePool = pool;
    let probeN = 0;
    const probe = async (): Promise<number> => {
      const spec = reserveRequest(system.apiKey, probeSku, `rec-probe-${mode}-${probeN++}`);
      const { statusCode, body } = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
      await body.dump();
      return statusCode;
    };
    // Before the kill the shard must answer (a starved machine can make a lease renewal late: retried).
    let before = 0;
    for (const t0 = performance.now(); before !== 201 && performance.now() - t0 < 10_000; await sleep(before === 201 ? 0 : 100)) before = await probe();
    if (before !== 201) throw new Error(`recovery: a hold on ${probeSku} answered ${before} before the kill, for 10 s`);

    const replacementLog = lineCollector();
    const killAt = performance.now();
    await victim.kill('SIGKILL');
    const killedAt = performance.now();
    let spawnAt: number | null = null;
    const replacement =
      mode === 'restart'
        ? (async () => {
            spawnAt = performance.now();
            return system.startRunner('runner-a2', { ownedShards: String(VictimShard), onOutput: replacementLog.onOutput, nodeArgs: startMarker, logLevel: 'debug' });
          })()
        : Promise.resolve(null);
    // A child that fails to start is reported by the probe loop timing out and by the rejection below.
    replacement.catch(() => undefined);
    let firstSuccessAt: number | null = null;
    let probes = 0;
    let lastStatus = 0;
    const probeLog: Array<{ readonly sentMs: number; readonly status: number; readonly tookMs: number }> = [];
    while (performance.now() - killAt < TakeoverTimeoutMs && watchdog.trouble() === null) {
      probes++;
      const sentAt = performance.now();
      lastStatus = await probe();
      probeLog.push({ sentMs: round2(sentAt - killAt), status: lastStatus, tookMs: round2(performance.now() - sentAt) });
      if (lastStatus === 201) {
        firstSuccessAt = performance.now();
        break;
      }
      await sleep(ProbeEveryMs);
    }
    await replacement.catch(() => undefined);
    if (firstSuccessAt === null) {
      // What the new owner went through, from its log: the evidence of why it did not take over.
      const lines = mode === 'restart' ? replacementLog.lines : (victim.name === 'runner-a' ? sLog : aLog).lines.filter((l) => l.at > killAt);
      const seen = new Map<string, number>();
      for (const l of lines) {
        const kind = l.msg.replace(/REC-\d+/g, 'REC-…').replace(/\d+/g, 'N');
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }
      const summary = [...seen].slice(0, 12).map(([k, n]) => `${n}× "${k}"`).join('; ');
      return { mode, available: false, why: `no hold on shard ${VictimShard} succeeded within ${TakeoverTimeoutMs} ms of the SIGKILL (${probes} probes, last answer ${lastStatus}); the new owner logged: ${summary}` };
    }
    // The 201 is durable at once; the read projection follows within milliseconds.
    const expected = holdsBefore + 2;
    let holdsAfter = 0;
    for (const t0 = performance.now(); performance.now() - t0 < SettleMs; await sleep(100)) {
      const after = await readStockViaApi(api.url, system.apiKey, hot);
      holdsAfter = [...after.values()].reduce((n, l) => n + l.reserved, 0);
      if (holdsAfter === expected) break;
    }
    // The journal is what a lost hold would be missing from: every hold placed since the seeding, less
    // those released (a probe the API gave up on is compensated) or expired.
    const moves = await journalMovements(jetstream(services.nc), jsm, system.names, journalFrom, new Set(hot));
    let holdsInJournal = 0;
    for (const bySku of moves.values()) {
      holdsInJournal += (bySku.get('StockReserved') ?? 0) - (bySku.get('ReservationReleased') ?? 0) - (bySku.get('ReservationExpired') ?? 0);
    }
    const takeoverLines = mode === 'restart' ? replacementLog.lines : (victim.name === 'runner-a' ? sLog : aLog).lines.filter((l) => l.at > killAt);
    const at = (pattern: RegExp) => takeoverLines.find((l) => pattern.test(l.msg))?.at ?? null;
    const since = (a: number | null, b: number | null) => (a === null || b === null ? null : round2(b - a));
    const started = at(/^process started$/);
    // The background warm-up of the shard's other SKUs ends later, after serving started: not on the path.
    const warmedUp = at(/activated \d+ SKUs on takeover/);
    const hosting = at(new RegExp(`^shard ${VictimShard}: hosting`));
    const ready = mode === 'restart' ? at(/^runner ready$/) : hosting;
    const gone = (mode === 'restart' ? replacementLog.lines : takeoverLines).find((l) => /looks crashed/.test(l.msg))?.at ?? null;
    const activatedLine = takeoverLines.find((l) => /activated \d+ SKUs on takeover/.test(l.msg));
    const breakdownMs =
      mode === 'restart'
        ? {
            'SIGKILL → exit seen': round2(killedAt - killAt),
            'exit → spawn': since(killedAt, spawnAt),
            'spawn → node up (process start)': since(spawnAt, started),
            'node up → shard hosted (tsx compiles and loads the imports; NATS, topology, Postgres; the dead runner found gone and its lease freed; snapshot summary, journal scan)': since(started, hosting),
            'shard hosted → runner ready': since(hosting, ready),
            'ready → first 201 (first answer)': since(ready, firstSuccessAt),
            'background warm-up of the shard done, after the SIGKILL': since(killAt, warmedUp),
          }
        : {
            'SIGKILL → dead runner found gone by the standby (its balancing round, two pings)': since(killAt, gone),
            'SIGKILL → shard hosted by the standby (lease freed and taken, snapshot summary, journal scan, subscriptions)': since(killAt, hosting),
            'hosting → first 201 (first answer)': since(hosting, firstSuccessAt),
            'background warm-up of the shard done, after the SIGKILL': since(killAt, warmedUp),
          };
    const takeoverMs = round2(firstSuccessAt - killAt);
    log(`  ${mode}: first hold on shard ${VictimShard} ${takeoverMs} ms after SIGKILL (${probes} probes)`);
    return {
      mode,
      available: true,
      takeoverMs,
      breakdownMs,
      activatedSkus: activatedLine === undefined ? null : Number(/activated (\d+)/.exec(activatedLine.msg)?.[1] ?? NaN),
      probes,
      holdsExpected: expected,
      lastProbes: probeLog.slice(-5),
      holdsAfter,
      holdsInJournal,
    };
  } finally {
    sender.close();
    await probePool?.close();
    await system.remove();
  }
};

export const runRecovery = async (services: Services, options: SuiteOptions, watchdog: Watchdog, log: (line: string) => void): Promise<ScenarioReport> => {
  const results: Array<ModeResult> = [];
  for (const mode of options.recovery.modes) {
    if (watchdog.trouble() !== null) break;
    results.push(await runMode(services, options, watchdog, log, mode));
  }
  const o = options.recovery;
  return {
    id: 'recovery',
    title: `Recovery: SIGKILL of the runner owning a shard of ${o.skus.toLocaleString('en-US')} SKUs (${o.hotSkus} hot, ${o.holdsPerHot} open holds each) → first hold served by another runner`,
    runs: [],
    figures: Object.fromEntries(
      results.flatMap((r) =>
        r.available
          ? [
              [`${r.mode}: SIGKILL → first 201 ms`, r.takeoverMs ?? null],
              ...Object.entries(r.breakdownMs ?? {}).map(([k, v]) => [`${r.mode}: ${k} ms`, v] as const),
              [`${r.mode}: SKUs activated on takeover`, r.activatedSkus ?? null],
              [`${r.mode}: open holds on the hot SKUs, expected → read after through the API / in the journal`, `${r.holdsExpected} → ${r.holdsAfter} / ${r.holdsInJournal}`],
              [`${r.mode}: last probes (sent ms after SIGKILL → status in ms)`, (r.lastProbes ?? []).map((p) => `${p.sentMs} → ${p.status} in ${p.tookMs}`).join('; ')],
            ]
          : [[`${r.mode}: no takeover`, r.why ?? '?']],
      ),
    ),
    ratios: results.flatMap((r) => {
      const s = r.takeoverMs === undefined ? null : round2(r.takeoverMs / 1000);
      const lost = r.holdsExpected === undefined || r.holdsInJournal === undefined ? null : r.holdsExpected - r.holdsInJournal;
      return [
        { name: `takeover (${r.mode}): SIGKILL → first 201`, value: s, target: atMost(s, r.mode === 'standby' ? 1 : 1.5, 's'), unit: ' s' },
        { name: `takeover (${r.mode}): open holds lost (journal)`, value: lost, target: atMost(lost, 0, ''), unit: '' },
      ];
    }),
    oversell: [],
    notes: [
      o.leaseTtlMs === null
        ? 'Lease TTL: the runners\' default (LARDER_LEASE_TTL_MS unset). A SIGKILLed runner\'s connection closes at once: the other runners find it gone at their next balancing round (no responders on its control subject, twice) and free its lease without waiting for the TTL (ADR 0010, "Crashed owners"); the TTL is only for a runner that vanishes without closing its connection.'
        : `Lease TTL: ${o.leaseTtlMs} ms (--lease-ttl-ms; LARDER_LEASE_TTL_MS of every runner, balance round every ${Math.min(500, Math.floor(o.leaseTtlMs / 4))} ms). A SIGKILLed runner is found gone at the next balancing round and its lease freed without waiting for the TTL (ADR 0010, "Crashed owners").`,
      `Probes: one single-unit hold on a hot SKU of shard ${VictimShard} every ${ProbeEveryMs} ms through the API (503 while no runner answers). Times come from this process's clock when each of the replacement's log lines arrived (pino writes them at once); "node up" is a line printed by an --import before tsx loads.`,
      'Open holds after must equal those before plus the probe before the kill and the first successful one after it, in the journal (a takeover that lost a hold would show fewer) and, once the projection has caught up, through the API.',
    ],
    detail: results,
  };
};
