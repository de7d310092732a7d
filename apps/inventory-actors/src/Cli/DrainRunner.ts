// `larder drain <runnerId>`: asks a live runner to hand every shard over and take none until it is
// restarted, then waits until another runner has taken each of them (or the time-out says which not).
import { shardsOf } from '@larder/messaging';
import { Effect } from 'effect';
import type { CommandRun } from './Command.js';
import { CliError } from './CliErrors.js';
import { output } from './CliOutput.js';
import { formatAge } from './FormatAge.js';
import { formatShards } from './FormatShards.js';
import { openNatsSession } from './NatsSession.js';
import { parseRunnerId } from './ParseRunnerId.js';
import { pollUntil } from './PollUntil.js';
import { sendControl } from './SendControl.js';
import { liveRunnerIds, memberOf, openOwnershipReader, type OwnershipSnapshot } from './ReadOwnership.js';

const DefaultTimeoutMs = 60_000;

export const drainRunner: CommandRun = ({ args, config }) =>
  Effect.gen(function* () {
    const runner = yield* parseRunnerId(args.positionals[0]);
    const timeoutMs = args.timeoutMs ?? DefaultTimeoutMs;
    const session = yield* openNatsSession(config);
    const readOwnership = yield* openOwnershipReader(session);
    const before = yield* readOwnership;
    if (memberOf(before, runner) === undefined) {
      return yield* new CliError({ message: `no live runner "${runner}" (live: ${liveRunnerIds(before)})` });
    }
    const handedOver = shardsOf(before, runner);
    const started = Date.now();
    const reply = yield* sendControl(session, runner, { v: 1, op: 'drain' }, timeoutMs);
    if (!reply.ok) return yield* new CliError({ message: `runner ${runner} refused to drain: ${reply.detail}` });

    // Each shard it held must now be owned by someone else.
    const rehomed = (s: OwnershipSnapshot) =>
      handedOver.every((shard) => {
      const owner = s.leases.get(shard)?.lease.runner;
      return owner !== undefined && owner !== runner;
    });
    const left = Math.max(1_000, timeoutMs - (Date.now() - started));
    const { met, last } = yield* pollUntil(readOwnership, rehomed, left);
    const owners = handedOver.map((shard) => ({ shard, owner: last.leases.get(shard)?.lease.runner ?? null }));
    const orphaned = owners.filter((o) => o.owner === null || o.owner === runner).map((o) => o.shard);
    const lines = [
      `${runner}: ${reply.detail}`,
      ...owners.map((o) => `shard ${o.shard} → ${o.owner ?? 'NO OWNER'}`),
      met
        ? `drained ${runner}: ${handedOver.length} shard(s) now served by other runners; stop its process when convenient (it keeps no shard)`
        : `drained ${runner}, but shard(s) ${formatShards(orphaned)} still have no other owner after ${formatAge(timeoutMs)}: ` +
          `no other live runner took them (larder runners); their requests get 503 until one does`,
    ];
    return output(lines, { runner, detail: reply.detail, shards: owners, orphaned }, met ? 0 : 1);
  });
