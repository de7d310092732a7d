// Specification of the runners report (`larder runners --json`, `GET /v1/ops/runners`): each live
// runner with the shards whose leases it holds (the leases are the truth, not its heartbeat), leases
// held by a runner with no live heartbeat, and the shards nobody owns.
import { describe, expect, it } from '@effect/vitest';
import { makeNames, Namespace, ProcessId, Shard, Shards, runnersReport, type HeldLease, type OwnershipSnapshot, type RunnerMember } from '../../src/index.js';

const names = makeNames(Namespace.make('report'), { shards: Shards.make(6) });
const member = (runner: string, shards: ReadonlyArray<number>, extra: Partial<RunnerMember> = {}): RunnerMember => ({
  v: 1,
  runner: ProcessId.make(runner),
  startedAt: 1_000,
  heartbeatAt: 9_000,
  draining: false,
  shards,
  ...extra,
});
const held = (runner: string): HeldLease => ({ lease: { v: 1, runner: ProcessId.make(runner), epoch: 7, acquiredAt: 1_000 }, revision: 8 });
const snapshot = (members: ReadonlyArray<RunnerMember>, leases: ReadonlyArray<readonly [number, string]>): OwnershipSnapshot => ({
  members,
  leases: new Map(leases.map(([shard, runner]) => [Shard.make(shard), held(runner)])),
  readAt: 10_000,
});

describe('given two live runners sharing every shard', () => {
  it('lists each with its leases in order, nothing orphaned or unowned', () => {
    const report = runnersReport(
      snapshot([member('runner-a', [0, 1, 2]), member('runner-b', [3, 4, 5], { pinned: [3, 4, 5], draining: true })], [
        [2, 'runner-a'],
        [0, 'runner-a'],
        [1, 'runner-a'],
        [3, 'runner-b'],
        [4, 'runner-b'],
        [5, 'runner-b'],
      ]),
      names,
    );
    expect(report).toEqual({
      namespace: 'report',
      shards: 6,
      owned: 6,
      runners: [
        { runner: 'runner-a', startedAt: 1_000, heartbeatAt: 9_000, heartbeatAgeMs: 1_000, draining: false, pinned: null, shards: [0, 1, 2] },
        { runner: 'runner-b', startedAt: 1_000, heartbeatAt: 9_000, heartbeatAgeMs: 1_000, draining: true, pinned: [3, 4, 5], shards: [3, 4, 5] },
      ],
      orphanLeases: [],
      unowned: [],
    });
  });
});

describe('given a runner that stopped heartbeating and shards without a lease', () => {
  it('reports its leases as orphaned and the free shards as unowned; a heartbeat claiming shards without leases counts for nothing', () => {
    const report = runnersReport(snapshot([member('runner-a', [0, 1, 2, 3])], [
      [0, 'runner-a'],
      [1, 'runner-gone'],
    ]), names);
    expect(report.runners.map((r) => r.shards)).toEqual([[0]]);
    expect(report.orphanLeases).toEqual([{ shard: 1, runner: 'runner-gone' }]);
    expect(report.unowned).toEqual([2, 3, 4, 5]);
    expect(report.owned).toBe(2);
  });
});
