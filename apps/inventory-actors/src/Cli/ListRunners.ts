// `larder runners`: every live runner with its start time, heartbeat age, drain state, pinned shards
// and the shards whose leases it holds; and any lease held by a runner that is no longer live.
import { Effect } from 'effect';
import type { CommandRun } from './Command.js';
import { output } from './CliOutput.js';
import { formatAge, formatTime } from './FormatAge.js';
import { formatShards } from './FormatShards.js';
import { openNatsSession } from './NatsSession.js';
import { openOwnershipReader, shardsOf } from './ReadOwnership.js';
import { renderTable } from './RenderTable.js';

export const listRunners: CommandRun = ({ config }) =>
  Effect.gen(function* () {
    const session = yield* openNatsSession(config);
    const readOwnership = yield* openOwnershipReader(session);
    const snapshot = yield* readOwnership;
    const now = snapshot.readAt;
    const runners = snapshot.members.map((m) => ({
      runner: m.runner,
      startedAt: m.startedAt,
      heartbeatAt: m.heartbeatAt,
      heartbeatAgeMs: now - m.heartbeatAt,
      draining: m.draining,
      pinned: m.pinned === undefined ? null : [...m.pinned],
      shards: [...shardsOf(snapshot, m.runner)],
      reportedShards: [...m.shards],
    }));
    const live = new Set(runners.map((r) => r.runner));
    const orphans = [...snapshot.leases].filter(([, held]) => !live.has(held.lease.runner)).map(([shard, held]) => ({ shard, runner: held.lease.runner }));
    const table = renderTable(
      ['RUNNER', 'STARTED', 'HEARTBEAT', 'DRAINING', 'PINNED', 'SHARDS', 'COUNT'],
      runners.map((r) => [
        r.runner,
        `${formatTime(r.startedAt)} (${formatAge(now - r.startedAt)} ago)`,
        `${formatAge(r.heartbeatAgeMs)} ago`,
        r.draining ? 'yes' : 'no',
        r.pinned === null ? 'fair share' : formatShards(r.pinned),
        formatShards(r.shards),
        String(r.shards.length),
      ]),
    );
    const owned = snapshot.leases.size;
    const total = session.names.allShards.length;
    const lines = [
      ...(runners.length === 0 ? [`no live runner in namespace "${session.names.namespace}": no shard is served; start one (npm run start:runner)`] : table),
      ...orphans.map((o) => `shard ${o.shard}: lease held by ${o.runner}, which is not a live runner (the lease expires within ${formatAge(snapshot.ttlMs)})`),
      `${runners.length} runner(s); ${owned} of ${total} shards owned${owned < total ? ` — ${total - owned} without an owner (larder shards)` : ''}`,
    ];
    return output(lines, { namespace: session.names.namespace, runners, orphanLeases: orphans, shards: total, owned });
  });
