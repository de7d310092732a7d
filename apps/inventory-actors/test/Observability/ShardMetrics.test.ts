// The hot-path metrics of a shard on the real prom-client registry: each routed command's latency and
// outcome by path, the group-commit size and append time, stock-outs and shortfalls of durable
// batches made by the real decider, and hosted shards / active actors while a shard is hosted.
import { describe, expect, it } from '@effect/vitest';
import { Actor, CommandId, EpochMillis, Sku } from '@larder/domain';
import { Shard, type ReplyOutcome } from '@larder/messaging';
import { Effect, Exit, Scope } from 'effect';
import type { ActorRegistry } from '../../src/Actor/ActorRegistry.js';
import type { Envelope } from '../../src/Actor/SkuActor.js';
import { makeRunnerMetrics } from '../../src/Observability/RunnerMetrics.js';
import { makeShardMetrics } from '../../src/Observability/ShardMetrics.js';
import { decidedSku, reserve, restock, sale } from '../Projection/Fixtures/DecidedSku.js';
import { seriesValue } from './Fixtures/SeriesValue.js';

/** A registry that answers every command with `outcome` after `delayMs`. */
const answering = (outcome: ReplyOutcome, delayMs: number, size = 0): ActorRegistry => ({
  route: (envelope: Envelope) => void setTimeout(() => envelope.settle(outcome), delayMs),
  warm: () => Effect.void,
  tick: () => Effect.void,
  size: () => size,
  loaded: () => [],
});

const command = restock(1)({ sku: Sku.make('METER-1'), now: EpochMillis.make(0), commandId: CommandId.make('m-1'), actor: Actor.make('service:test') });
const retry: ReplyOutcome = { _tag: 'Retry', reason: 'overloaded', detail: 'the mailbox is full' };

/** Routes `n` commands through `registry` and waits for every answer. */
const routeAll = (registry: ActorRegistry, n: number) =>
  Effect.async<ReadonlyArray<ReplyOutcome>>((resume) => {
    const settled: Array<ReplyOutcome> = [];
    for (let i = 0; i < n; i++) {
      registry.route({
        command,
        settle: (o) => {
          settled.push(o);
          if (settled.length === n) resume(Effect.succeed(settled));
        },
      });
    }
  });

describe('given a metered registry', () => {
  it.live('passes every answer through once and records it under its path and outcome with its latency', () =>
    Effect.gen(function* () {
      const m = makeRunnerMetrics();
      const metered = makeShardMetrics(m).meter(answering(retry, 30), 'inv_cmd');
      expect(yield* routeAll(metered, 3)).toEqual([retry, retry, retry]);
      const value = (series: string, labels: Record<string, string>) => Effect.promise(() => seriesValue(m.registry, series, labels));
      expect(yield* value('larder_commands_total', { path: 'inv_cmd', outcome: 'retry' })).toBe(3);
      expect(yield* value('larder_commands_total', { path: 'inv_cmd', outcome: 'accepted' })).toBe(0);
      expect(yield* value('larder_commands_total', { path: 'request', outcome: 'retry' })).toBe(0);
      expect(yield* value('larder_command_duration_seconds_count', { path: 'inv_cmd' })).toBe(3);
      expect(yield* value('larder_command_duration_seconds_count', { path: 'request' })).toBe(0);
      // Each answer took at least the registry's 30 ms.
      expect(yield* value('larder_command_duration_seconds_sum', { path: 'inv_cmd' })).toBeGreaterThanOrEqual(3 * 0.029);
      expect(yield* value('larder_command_duration_seconds_bucket', { path: 'inv_cmd', le: '0.025' })).toBe(0);
    }),
  );

  it('still counts a command whose caller throws while being answered (the actor logs that throw)', async () => {
    const m = makeRunnerMetrics();
    const accepted: ReplyOutcome = { _tag: 'Accepted', seq: 1, levels: { onHand: 1, reserved: 0, safetyStock: 0, available: 1 } };
    let thrown: unknown;
    const catching: ActorRegistry = {
      ...answering(accepted, 0),
      route: (envelope) => {
        try {
          envelope.settle(accepted);
        } catch (error) {
          thrown = error;
        }
      },
    };
    makeShardMetrics(m)
      .meter(catching, 'request')
      .route({
        command,
        settle: () => {
          throw new Error('a broken caller');
        },
      });
    expect(thrown).toBeInstanceOf(Error);
    expect(await seriesValue(m.registry, 'larder_commands_total', { path: 'request', outcome: 'accepted' })).toBe(1);
  });
});

describe('given durable batches from the decider', () => {
  it('counts the group-commit size, the append time, stock-outs and shortfalls (units too)', async () => {
    const m = makeRunnerMetrics();
    const shard = makeShardMetrics(m);
    const sku = decidedSku('OUT-1');
    shard.appended(1, sku.run(restock(3)).events, 0.002);
    // Three holds in one group commit: the last one takes available from 1 to 0.
    shard.appended(3, sku.run(reserve('r1', 1), reserve('r2', 1), reserve('r3', 1)).events, 0.004);
    // A sale of 2 units nobody had free: a shortfall of 2, and no new stock-out (available was 0 already).
    shard.appended(1, sku.run(sale(2)).events, 0.001);
    const value = (series: string, labels: Record<string, string> = {}) => seriesValue(m.registry, series, labels);
    expect(await value('larder_stockouts_total')).toBe(1);
    expect(await value('larder_shortfalls_total')).toBe(1);
    expect(await value('larder_shortfall_units_total')).toBe(2);
    expect(await value('larder_journal_append_commands_count')).toBe(3);
    expect(await value('larder_journal_append_commands_sum')).toBe(5);
    expect(await value('larder_journal_append_commands_bucket', { le: '2' })).toBe(2);
    expect(await value('larder_journal_append_duration_seconds_sum')).toBeCloseTo(0.007, 6);
  });
});

describe('given hosted shards', () => {
  it.effect('counts them, and their actors, while they are hosted', () =>
    Effect.gen(function* () {
      const m = makeRunnerMetrics();
      const shard = makeShardMetrics(m);
      const value = (series: string, labels: Record<string, string> = {}) => Effect.promise(() => seriesValue(m.registry, series, labels));
      const first = yield* Scope.make();
      const second = yield* Scope.make();
      yield* shard.hosting(Shard.make(2), answering(retry, 0, 5)).pipe(Scope.extend(first));
      yield* shard.hosting(Shard.make(7), answering(retry, 0, 3)).pipe(Scope.extend(second));
      expect(yield* value('larder_shards_owned')).toBe(2);
      expect(yield* value('larder_shard_owned', { shard: '2' })).toBe(1);
      expect(yield* value('larder_actors_active')).toBe(8);
      yield* Scope.close(first, Exit.void);
      expect(yield* value('larder_shards_owned')).toBe(1);
      expect(yield* value('larder_shard_owned', { shard: '2' })).toBe(0);
      expect(yield* value('larder_shard_owned', { shard: '7' })).toBe(1);
      expect(yield* value('larder_actors_active')).toBe(3);
      yield* Scope.close(second, Exit.void);
      expect(yield* value('larder_shards_owned')).toBe(0);
      expect(yield* value('larder_actors_active')).toBe(0);
    }),
  );
});
