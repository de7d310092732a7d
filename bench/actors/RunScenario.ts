// One scenario from start to clean-up: its own namespace, a fresh runner child with the
// scenario's group-commit setting, stock, the driver, the journal tally, SIGTERM, removal.
import { MaxQuantity } from '@larder/domain';
import { makeRequestClient, ProcessId } from '@larder/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nuid } from '@nats-io/transport-node';
import { benchSku } from './BenchCommands.js';
import { startChildService, type ChildExit, type ChildService } from './ChildService.js';
import type { DriveContext, Driven } from './DriveContext.js';
import { driveCommands } from './DriveCommands.js';
import { driveRequests } from './DriveRequests.js';
import { makeIsolation } from './Isolation.js';
import { tallyJournal } from './JournalTally.js';
import { cpuWindow, localNatsServerPid } from './ProcessCpu.js';
import type { Scenario, ScenarioResult } from './Scenario.js';
import { sendRequestWith } from './SendRequest.js';
import type { Services } from './Services.js';
import { stockUp } from './StockUp.js';

const StopGraceMs = 30_000;

const drive = (ctx: DriveContext) => (ctx.scenario.path === 'request' ? driveRequests(ctx) : driveCommands(ctx));

const aborted = (signal: AbortSignal) =>
  new Promise<string>((resolve) => {
    if (signal.aborted) resolve('interrupted');
    signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });

/** The driver's result, or the runner's death (or Ctrl-C), whichever comes first. */
const driveWatching = async (runner: ChildService, ctx: DriveContext, stock: number, signal: AbortSignal): Promise<Driven> => {
  const work = stockUp(ctx.send, ctx.skus, stock, ctx.scenario.clients).then(() => drive(ctx));
  // After a crash the driver may still fail on its own: that is already reported by the death.
  work.catch(() => undefined);
  const outcome = await Promise.race([
    work.then((driven) => ({ driven })),
    runner.died.then((death) => ({ death })),
    aborted(signal).then((death) => ({ death })),
  ]);
  if ('death' in outcome) throw new Error(`${ctx.scenario.id}: ${outcome.death}`);
  return outcome.driven;
};

const checkExit = (scenario: Scenario, runner: ChildService, exit: ChildExit) => {
  if (exit.killed) throw new Error(`${scenario.id}: the runner did not exit within ${StopGraceMs} ms of SIGTERM (killed):\n${runner.logTail()}`);
  if (exit.code !== 0) throw new Error(`${scenario.id}: the runner exited with code ${exit.code} (signal ${exit.signal}) after SIGTERM:\n${runner.logTail()}`);
};

export interface RunScenarioOptions {
  readonly profileDir: string | null;
  /** Aborting stops the scenario at once; its runner and namespace are still removed. */
  readonly signal: AbortSignal;
}

export const runScenario = async (services: Services, scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> => {
  const { profileDir, signal } = options;
  const { nc } = services;
  const isolation = makeIsolation(services);
  const { names } = isolation;
  const client = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(ProcessId.make(`bench-${nuid.next()}`)) });
  let runner: ChildService | null = null;
  let stopped = false;
  try {
    runner = await startChildService({
      name: 'runner',
      entry: 'apps/inventory-actors/src/main.ts',
      env: { ...isolation.runnerEnv(scenario.groupCommit), LOG_LEVEL: 'info' },
      ready: '"runner ready"',
      readyTimeoutMs: 60_000,
      // V8 writes the runner's CPU profile there when it exits.
      nodeArgs: profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
    const pids = { runner: runner.pid, generator: process.pid, natsServer: localNatsServerPid() };
    const ctx: DriveContext = {
      scenario,
      nc,
      js: jetstream(nc),
      jsm: await jetstreamManager(nc),
      names,
      skus: Array.from({ length: scenario.skus }, (_, i) => benchSku(i)),
      send: sendRequestWith(client),
      startCpuWindow: () => cpuWindow(pids),
    };
    // Enough for every command to land on one SKU: nothing is refused for want of stock.
    const driven = await driveWatching(runner, ctx, Math.min(MaxQuantity, scenario.warmup + scenario.commands), signal);
    const exit = await runner.stop(StopGraceMs);
    stopped = true;
    checkExit(scenario, runner, exit);
    const journal = await tallyJournal(ctx.js, ctx.jsm, names, driven.fromSeq);
    const applied = journal.events[scenario.path === 'request' ? 'StockReserved' : 'SaleRecorded'] ?? 0;
    const accepted = driven.accepted ?? applied;
    return {
      scenario,
      accepted,
      refused: driven.refused,
      retried: driven.retried,
      failed: driven.accepted === null ? scenario.commands - accepted : driven.failed,
      seconds: driven.seconds,
      commandsPerSecond: Math.round(accepted / driven.seconds),
      journalMessages: journal.messages,
      journalEvents: journal.events,
      // Every accepted hold is in the journal once, and every published sale was applied once.
      journalMatches: applied === accepted && (scenario.path === 'request' || applied === scenario.commands),
      commandsPerAppend: journal.messages === 0 ? 0 : Math.round((accepted / journal.messages) * 100) / 100,
      latency: driven.latency,
      publishSeconds: driven.publishSeconds,
      cpuPercent: driven.cpuPercent,
      runner: { readyMs: Math.round(runner.readyMs), stopMs: Math.round(exit.stopMs), exitCode: exit.code, warnings: runner.warnings() },
    };
  } finally {
    if (runner !== null && !stopped) await runner.stop(10_000).catch(() => undefined);
    client.close();
    await isolation.remove();
  }
};
