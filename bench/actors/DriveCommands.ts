// INV_CMD scenarios: RecordSale commands published to JetStream with `Nats-Msg-Id` (the API's
// 202 path) by `clients` closed-loop publishers, then waited for until every one is applied:
// the work-queue stream is empty once the runner has acked them all, and it acks only after the
// command's events are in the journal. Measured end to end, from the first publish.
import { encodeCommandMessage } from '@larder/messaging';
import { setTimeout as sleep } from 'node:timers/promises';
import { saleCommand } from './BenchCommands.js';
import { runClosedLoop } from './ClosedLoop.js';
import type { Driven, DriveContext } from './DriveContext.js';
import { journalLastSeq } from './JournalTally.js';
import { percentiles } from './Percentiles.js';

/** No command applied for this long while some are waiting: the runner hangs. */
const StallMs = 20_000;

const waitApplied = async (ctx: DriveContext) => {
  const stream = ctx.names.commands.stream;
  let last = -1;
  let since = performance.now();
  for (;;) {
    const left = (await ctx.jsm.streams.info(stream)).state.messages;
    if (left === 0) return;
    if (left !== last) {
      last = left;
      since = performance.now();
    } else if (performance.now() - since > StallMs) {
      const consumers = await Promise.all(
        ctx.names.allShards.map((shard) => ctx.jsm.consumers.info(stream, ctx.names.commands.durable(shard))),
      );
      const state = consumers.map((c) => ({
        consumer: c.name,
        num_pending: c.num_pending,
        num_ack_pending: c.num_ack_pending,
        num_redelivered: c.num_redelivered,
      }));
      throw new Error(
        `${ctx.scenario.id}: ${left} commands stayed in ${stream} for ${StallMs} ms (the runner stopped applying them): ${JSON.stringify(state)}`,
      );
    }
    await sleep(10);
  }
};

const sales = async (ctx: DriveContext, count: number, prefix: string) => {
  const { scenario, skus, js, names } = ctx;
  let failure: string | null = null;
  const t0 = performance.now();
  const loop = runClosedLoop(count, scenario.clients, async (i) => {
    const sku = skus[skus.length === 1 ? 0 : Math.floor(Math.random() * skus.length)];
    if (sku === undefined) return;
    const command = saleCommand(sku, `${prefix}-${i}`);
    try {
      await js.publish(names.commands.subject(sku), encodeCommandMessage({ v: 1, command }), { msgID: command.commandId });
    } catch (error) {
      failure ??= `publishing to INV_CMD failed: ${String(error)}`;
      loop.stop();
    }
  });
  await loop.done;
  const publishSeconds = (performance.now() - t0) / 1000;
  if (failure !== null) throw new Error(`${scenario.id}: ${failure}`);
  await waitApplied(ctx);
  return { seconds: (performance.now() - t0) / 1000, publishSeconds, latencies: loop.latencies };
};

export const driveCommands = async (ctx: DriveContext): Promise<Driven> => {
  await sales(ctx, ctx.scenario.warmup, 'w');
  const fromSeq = await journalLastSeq(ctx.jsm, ctx.names);
  const endCpu = ctx.startCpuWindow();
  const measured = await sales(ctx, ctx.scenario.commands, 'm');
  const cpuPercent = endCpu();
  return {
    accepted: null,
    refused: 0,
    retried: 0,
    failed: 0,
    seconds: measured.seconds,
    latency: percentiles(measured.latencies),
    publishSeconds: measured.publishSeconds,
    fromSeq,
    cpuPercent,
  };
};
