// Request-path scenarios: single-unit ReserveStock holds from closed-loop clients on one hot SKU
// or a random SKU per hold. Warm-up first, then the measured holds; every answer is tallied.
import { Either } from 'effect';
import { reserveCommand } from './BenchCommands.js';
import { runClosedLoop } from './ClosedLoop.js';
import type { Driven, DriveContext } from './DriveContext.js';
import { journalLastSeq } from './JournalTally.js';
import { percentiles } from './Percentiles.js';
import { brokenRunner } from './SendRequest.js';

const holds = async (ctx: DriveContext, count: number, prefix: string) => {
  const { scenario, skus, send } = ctx;
  const tally = { accepted: 0, refused: 0, retried: 0, failed: 0 };
  let broken: string | null = null;
  const t0 = performance.now();
  const loop = runClosedLoop(count, scenario.clients, async (i) => {
    const sku = skus[skus.length === 1 ? 0 : Math.floor(Math.random() * skus.length)];
    if (sku === undefined) return;
    const result = await send(reserveCommand(sku, `${prefix}-${i}`));
    if (Either.isLeft(result)) {
      tally.failed++;
      broken ??= brokenRunner(result);
      return loop.stop();
    }
    if (result.right._tag === 'Accepted') tally.accepted++;
    else if (result.right._tag === 'Rejected') tally.refused++;
    else tally.retried++;
  });
  await loop.done;
  const seconds = (performance.now() - t0) / 1000;
  if (broken !== null) throw new Error(`${scenario.id}: ${broken}`);
  return { ...tally, seconds, latencies: loop.latencies };
};

export const driveRequests = async (ctx: DriveContext): Promise<Driven> => {
  await holds(ctx, ctx.scenario.warmup, 'w');
  const fromSeq = await journalLastSeq(ctx.jsm, ctx.names);
  const endCpu = ctx.startCpuWindow();
  const measured = await holds(ctx, ctx.scenario.commands, 'm');
  const cpuPercent = endCpu();
  return {
    accepted: measured.accepted,
    refused: measured.refused,
    retried: measured.retried,
    failed: measured.failed,
    seconds: measured.seconds,
    latency: percentiles(measured.latencies),
    publishSeconds: null,
    fromSeq,
    cpuPercent,
  };
};
