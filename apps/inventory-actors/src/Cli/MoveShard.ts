// `larder move <shard> <runnerId>`: asks the shard's owner (read from its lease) to hand it to another
// live runner, then waits until the lease names that runner. The target is checked first: it must be
// live, not draining, and free to take the shard (a pinned runner takes only its own shards).
import { Effect } from 'effect';
import type { CommandRun } from './Command.js';
import { CliError } from './CliErrors.js';
import { output } from './CliOutput.js';
import { formatAge } from './FormatAge.js';
import { formatShards } from './FormatShards.js';
import { openNatsSession } from './NatsSession.js';
import { parseRunnerId } from './ParseRunnerId.js';
import { parseShard } from './ParseShard.js';
import { pollUntil } from './PollUntil.js';
import { liveRunnerIds, memberOf, openOwnershipReader, type OwnershipSnapshot } from './ReadOwnership.js';
import { sendControl } from './SendControl.js';

const DefaultTimeoutMs = 30_000;

export const moveShard: CommandRun = ({ args, config }) =>
  Effect.gen(function* () {
    const shard = yield* parseShard(args.positionals[0], config.nats.shards);
    const target = yield* parseRunnerId(args.positionals[1]);
    const timeoutMs = args.timeoutMs ?? DefaultTimeoutMs;
    const session = yield* openNatsSession(config);
    const readOwnership = yield* openOwnershipReader(session);
    const before = yield* readOwnership;

    const member = memberOf(before, target);
    if (member === undefined) return yield* new CliError({ message: `no live runner "${target}" (live: ${liveRunnerIds(before)})` });
    if (member.draining) return yield* new CliError({ message: `runner ${target} is draining: it takes no shards` });
    if (member.pinned !== undefined && !member.pinned.includes(shard)) {
      return yield* new CliError({
        message: `runner ${target} is pinned to shards ${formatShards(member.pinned)} (LARDER_OWNED_SHARDS) and would not take shard ${shard}`,
      });
    }
    const held = before.leases.get(shard);
    if (held === undefined) {
      return yield* new CliError({ message: `shard ${shard} has no owner right now; a live runner takes it within a balancing round — run this again once larder shards shows one` });
    }
    const from = held.lease.runner;
    if (from === target) return output([`shard ${shard} is already owned by ${target} (epoch ${held.lease.epoch})`], { shard, from, to: target, epoch: held.lease.epoch, moved: false });

    const started = Date.now();
    const reply = yield* sendControl(session, from, { v: 1, op: 'move', shard, to: target }, timeoutMs);
    if (!reply.ok) return yield* new CliError({ message: `runner ${from} refused to move shard ${shard}: ${reply.detail}` });

    const taken = (s: OwnershipSnapshot) => {
      const lease = s.leases.get(shard)?.lease;
      return lease !== undefined && lease.runner === target && lease.handoffTo === undefined && lease.epoch > 0;
    };
    const left = Math.max(1_000, timeoutMs - (Date.now() - started));
    const { met, last } = yield* pollUntil(readOwnership, taken, left);
    const now = last.leases.get(shard)?.lease;
    if (!met) {
      const state = now === undefined ? 'no lease' : `held by ${now.runner}${now.handoffTo === undefined ? '' : `, handoff to ${now.handoffTo} pending`}`;
      return yield* new CliError({
        message:
          `shard ${shard} was handed to ${target}, but it has not taken it after ${formatAge(timeoutMs)} (lease: ${state}); ` +
          `if ${target} is stuck, the lease expires and any runner takes the shard`,
      });
    }
    return output([`shard ${shard} moved from ${from} to ${target} (epoch ${now?.epoch ?? '?'})`], {
      shard,
      from,
      to: target,
      epoch: now?.epoch ?? null,
      moved: true,
    });
  });
