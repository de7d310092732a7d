// `larder shards`: every shard with its owner, lease epoch and age, and its lag (the INV_CMD durable
// consumer's pending + unacknowledged commands); flags shards without an owner, with an owner that is
// no longer live, and handoffs under way (exit 1 when a shard has no owner). Also the ledger projector's
// lag over the journal.
import { Effect } from 'effect';
import { LedgerDurable } from '../Ledger/LedgerPolicy.js';
import type { CommandRun } from './Command.js';
import { output } from './CliOutput.js';
import { consumerLag } from './ConsumerLag.js';
import { formatAge } from './FormatAge.js';
import { openNatsSession } from './NatsSession.js';
import { memberOf, openOwnershipReader } from './ReadOwnership.js';
import { renderTable } from './RenderTable.js';

export const listShards: CommandRun = ({ config }) =>
  Effect.gen(function* () {
    const session = yield* openNatsSession(config);
    const { names } = session;
    const readOwnership = yield* openOwnershipReader(session);
    const [snapshot, lags, ledger] = yield* Effect.all(
      [
        readOwnership,
        Effect.forEach(names.allShards, (shard) => consumerLag(session, names.commands.stream, names.commands.durable(shard)), {
          concurrency: 16,
        }),
        consumerLag(session, names.journal.stream, LedgerDurable),
      ],
      { concurrency: 'unbounded' },
    );
    const now = snapshot.readAt;
    const shards = names.allShards.map((shard, i) => {
      const held = snapshot.leases.get(shard);
      const lag = lags[i] ?? null;
      const owner = held?.lease.runner ?? null;
      const ownerLive = owner !== null && memberOf(snapshot, owner) !== undefined;
      const flag =
        owner === null
          ? 'NO OWNER'
          : !ownerLive
            ? 'owner not live'
            : held?.lease.handoffTo !== undefined
              ? `moving to ${held.lease.handoffTo}`
              : '';
      return {
        shard,
        owner,
        ownerLive,
        epoch: held?.lease.epoch ?? null,
        leaseAgeMs: held === undefined ? null : now - held.lease.acquiredAt,
        handoffTo: held?.lease.handoffTo ?? null,
        pending: lag?.pending ?? null,
        ackPending: lag?.ackPending ?? null,
        lag: lag?.lag ?? null,
        flag,
      };
    });
    const unowned = shards.filter((s) => s.owner === null).map((s) => s.shard);
    const dash = (n: number | null) => (n === null ? '-' : String(n));
    const table = renderTable(
      ['SHARD', 'OWNER', 'EPOCH', 'LEASE AGE', 'PENDING', 'UNACKED', 'LAG', 'NOTE'],
      shards.map((s) => [
        String(s.shard),
        s.owner ?? '-',
        dash(s.epoch),
        s.leaseAgeMs === null ? '-' : formatAge(s.leaseAgeMs),
        dash(s.pending),
        dash(s.ackPending),
        dash(s.lag),
        s.flag,
      ]),
    );
    const totalLag = shards.reduce((sum, s) => sum + (s.lag ?? 0), 0);
    const lines = [
      ...table,
      `${shards.length - unowned.length} of ${shards.length} shards owned; ${totalLag} async command(s) waiting in ${names.commands.stream}`,
      ...(unowned.length === 0
        ? []
        : [`shards without an owner: ${unowned.join(', ')}: their requests get 503 until a live runner takes them (larder runners)`]),
      ledger === null
        ? `ledger projector: no consumer "${LedgerDurable}" yet (no runner has started it)`
        : `ledger projector: ${ledger.pending} journal batch(es) pending, ${ledger.ackPending} unacked`,
    ];
    // Exit 1 when a shard has no owner: its reservations are failing, which a script should notice.
    return output(lines, { namespace: names.namespace, shards, unowned, ledger }, unowned.length === 0 ? 0 : 1);
  });
