// `npm run bench [-- --smoke] [-- --only=flash,drop,pack,consoles,reads]`: every scenario of issues 5 and 13 (targets: issue 13) over HTTP against
// the real system (runner and API children on the local NATS, Postgres and Redis), with baselines
// (a), (b), (c) in the same run; writes bench/results/<date>-<host>.json and .md and prints the table.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { loadAverage } from './actors/MachineFacts.js';
import { connectServices } from './actors/Services.js';
import { makeBaselines } from './suite/Baselines.js';
import { runConsoles } from './suite/Consoles.js';
import { runDropSale } from './suite/DropSale.js';
import { runFlashSale } from './suite/FlashSale.js';
import { runFreshness } from './suite/Freshness.js';
import { runIdleLatency } from './suite/IdleLatency.js';
import { runMemory } from './suite/Memory.js';
import { runIsolation } from './suite/IsolationUnderLoad.js';
import { runPackSale } from './suite/PackSale.js';
import { runReads } from './suite/Reads.js';
import { runRecovery } from './suite/Recovery.js';
import { writeResultsFiles } from './suite/ResultsFiles.js';
import type { ScenarioReport } from './suite/ScenarioReport.js';
import { makeCommandSender } from './suite/Seeding.js';
import { runSpread } from './suite/Spread.js';
import { makeMeasure, makeWatchdog, type SuiteContext } from './suite/SuiteContext.js';
import { suiteMarkdown } from './suite/SuiteMarkdown.js';
import { suiteMachine } from './suite/SuiteMachine.js';
import { parseSuiteOptions, selected, type ScenarioIdOfSuite } from './suite/SuiteOptions.js';
import { ensureBuilt, makeSuiteSystem } from './suite/SuiteSystem.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const options = parseSuiteOptions(process.argv.slice(2));
// Admission control and stream settings set in the environment reach every child: named before the command
// (only these: other LARDER_* variables may hold secrets, and the command goes into the results files).
const larderEnv = Object.entries(process.env).flatMap(([name, value]) => (/^LARDER_(SHED|STREAM)_[A-Z_]+$/.test(name) ? [`${name}=${value ?? ''}`] : []));
const command = `${larderEnv.map((v) => `${v} `).join('')}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const startedAt = new Date().toISOString();
log('▶ building the servers (dist) unless BENCH_SOURCE=1');
const servers = ensureBuilt();
const services = await connectServices();
const machine = await suiteMachine(services, servers);
if ((machine.busyBeforePercent ?? 0) > 25) log(`⚠ the machine is ${machine.busyBeforePercent}% busy (of one core) before the run: other work competes, figures will be low and noisy`);
const watchdog = makeWatchdog();
process.once('SIGINT', () => watchdog.interrupt('interrupted (SIGINT)'));
process.once('SIGTERM', () => watchdog.interrupt('interrupted (SIGTERM)'));
const system = makeSuiteSystem(services, watchdog.watch);
const baselines = makeBaselines(services, watchdog.watch);
const reports: Array<ScenarioReport> = [];
const failures: Array<string> = [];
const exits: Record<string, unknown> = {};
const generatorCpuAtStart = process.cpuUsage();
const wallAtStart = performance.now();

const attempt = async (id: ScenarioIdOfSuite, run: () => Promise<ScenarioReport>) => {
  if (!selected(options, id) || watchdog.trouble() !== null) return;
  log(`▶ ${id}`);
  const t0 = performance.now();
  try {
    reports.push(await run());
    log(`  ${id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${id}: ${message.split('\n')[0] ?? message}`);
    log(`✖ ${id}: ${message}`);
  }
};

const main = ['latency', 'flash', 'drop', 'pack', 'consoles', 'spread', 'reads', 'isolation', 'freshness', 'latency-history'] as const;
let sender: ReturnType<typeof makeCommandSender> | null = null;
try {
  if (main.some((id) => selected(options, id))) {
    log(`▶ starting a runner (all ${system.names.allShards.length} shards) and an API on namespace ${system.isolation.id}; their logs go to ${system.logDir}`);
    await system.startRunner('runner');
    const api = await system.startApi('api');
    sender = makeCommandSender(services.nc, system.names);
    const js = jetstream(services.nc);
    const jsm = await jetstreamManager(services.nc);
    const ctx: SuiteContext = {
      options,
      services,
      system,
      api,
      sender,
      js,
      jsm,
      oversell: { nc: services.nc, js, jsm, names: system.names, databaseUrl: services.databaseUrl, schema: system.isolation.id, apiUrl: api.url, apiKey: system.apiKey },
      baselines,
      watchdog,
      log,
      measure: makeMeasure(system, watchdog, log),
      alive: () => {
        const trouble = watchdog.trouble();
        if (trouble !== null) throw new Error(trouble);
      },
    };
    // First, while the system is idle and its namespace fresh.
    await attempt('latency', () => runIdleLatency(ctx));
    await attempt('flash', () => runFlashSale(ctx));
    await attempt('drop', () => runDropSale(ctx));
    await attempt('pack', () => runPackSale(ctx));
    await attempt('consoles', () => runConsoles(ctx));
    await attempt('reads', () => runReads(ctx));
    await attempt('isolation', () => runIsolation(ctx));
    await attempt('freshness', () => runFreshness(ctx));
    // Last on this system: its 10,000 SKUs leave the ledger projector (one insert per journal batch)
    // minutes of backlog, which would otherwise run under the scenarios after it.
    await attempt('spread', () => runSpread(ctx));
    await attempt('latency-history', () => runIdleLatency(ctx, 'history'));
  }
} catch (error) {
  failures.push(`start: ${error instanceof Error ? error.message : String(error)}`);
  log(`✖ ${failures.at(-1) ?? ''}`);
} finally {
  sender?.close();
  exits['baselines'] = await baselines.stop();
  exits['system'] = await system.stop();
  exits['removed'] = await system.remove();
}
await attempt('recovery', () => runRecovery(services, options, watchdog, log));
await attempt('memory', () => runMemory(services, options, watchdog, log));
await services.close();

const generatorCpu = process.cpuUsage(generatorCpuAtStart);
const generatorPercent = Math.round(((generatorCpu.user + generatorCpu.system) / 1000 / (performance.now() - wallAtStart)) * 100);
const loadAtEnd = loadAverage();
const title = `Larder benchmark${options.smoke ? ' (smoke: the figures mean nothing)' : ''}`;
const markdown = suiteMarkdown(title, command, machine, loadAtEnd, generatorPercent, reports, failures);
const kind = options.smoke ? 'smoke' : options.only.length > 0 ? 'partial' : 'full';
const paths = await writeResultsFiles(machine.hostname, kind, {
  benchmark: 'suite',
  command,
  startedAt,
  finishedAt: new Date().toISOString(),
  loadAverageAtEnd: loadAtEnd,
  generatorCpuPercentOverall: generatorPercent,
  options,
  machine,
  failures,
  reports,
  children: watchdog.children(),
  exits,
}, markdown);
process.stdout.write(`\n${markdown}\nwrote ${paths.json}\n      ${paths.markdown}\n`);
const profileDir = process.env['BENCH_PROFILE_DIR'];
if (profileDir !== undefined && profileDir !== '') {
  process.stdout.write(`CPU profiles in ${profileDir} (CPU.<date>.<time>.<pid>…): ${watchdog.children().map((c) => `${c.name} ${c.pid}`).join(', ')}; summarise with npm run bench:profile -- ${profileDir}\n`);
}
const oversold = reports.some((r) => r.oversell.some((o) => o.report.oversold > 0));
if (failures.length > 0 || oversold) process.exitCode = 1;
