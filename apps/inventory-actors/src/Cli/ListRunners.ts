// `larder runners`: every live runner with its start time, heartbeat age, drain state, pinned shards
// and the shards whose leases it holds; and any lease held by a runner that is no longer live. The
// report is @larder/messaging's RunnersReport, the one the operator console's Operations page shows.
import { runnersReport } from '@larder/messaging';
import { Effect } from 'effect';
import type { CommandRun } from './Command.js';
import { output } from './CliOutput.js';
import { formatAge, formatTime } from './FormatAge.js';
import { formatShards } from './FormatShards.js';
import { openNatsSession } from './NatsSession.js';
import { memberOf, openOwnershipReader } from './ReadOwnership.js';
import { renderTable } from './RenderTable.js';

export const listRunners: CommandRun = ({ config }) =>
  Effect.gen(function* () {
    const session = yield* openNatsSession(config);
    const readOwnership = yield* openOwnershipReader(session);
    const snapshot = yield* readOwnership;
    const now = snapshot.readAt;
    const report = runnersReport(snapshot, session.names);
    // What each runner's heartbeat says it hosts, beside the leases (the truth), for comparing the two.
    const runners = report.runners.map((r) => ({ ...r, reportedShards: [...(memberOf(snapshot, r.runner)?.shards ?? [])] }));
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
    const { owned, shards: total, orphanLeases } = report;
    const lines = [
      ...(runners.length === 0 ? [`no live runner in namespace "${report.namespace}": no shard is served; start one (npm run start:runner)`] : table),
      ...orphanLeases.map((o) => `shard ${o.shard}: lease held by ${o.runner}, which is not a live runner (the lease expires within ${formatAge(snapshot.ttlMs)})`),
      `${runners.length} runner(s); ${owned} of ${total} shards owned${owned < total ? ` — ${total - owned} without an owner (larder shards)` : ''}`,
    ];
    return output(lines, { ...report, runners });
  });
