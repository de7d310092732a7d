// Every `larder` command, in the order the usage text lists them.
import type { Command } from './Command.js';

export const Commands: ReadonlyArray<Command> = [
  {
    name: 'runners',
    synopsis: '',
    summary: 'live runners: started, last heartbeat, draining, pinned shards, shards hosted',
    arity: 0,
    options: [],
    load: () => import('./ListRunners.js').then((m) => m.listRunners),
  },
  {
    name: 'shards',
    synopsis: '',
    summary: 'every shard: owner, epoch, lease age, lag (INV_CMD pending + unacked); flags shards with no owner',
    arity: 0,
    options: [],
    load: () => import('./ListShards.js').then((m) => m.listShards),
  },
  {
    name: 'drain',
    synopsis: '<runnerId>',
    summary: 'the runner hands every shard to the others and takes none until restarted; waits until they are owned (default 60 s)',
    arity: 1,
    options: ['timeout'],
    load: () => import('./DrainRunner.js').then((m) => m.drainRunner),
  },
  {
    name: 'move',
    synopsis: '<shard> <runnerId>',
    summary: 'the shard\'s owner hands it to that live runner; waits until the lease names it (default 30 s)',
    arity: 2,
    options: ['timeout'],
    load: () => import('./MoveShard.js').then((m) => m.moveShard),
  },
  {
    name: 'dlq',
    synopsis: 'list|replay',
    summary: 'dead letters with their reasons, or replay them to their subjects (default limit 1000)',
    arity: 1,
    options: ['limit'],
    load: () => import('./DeadLetters.js').then((m) => m.deadLetters),
  },
  {
    name: 'rebuild-projections',
    synopsis: '',
    summary: 'fold each SKU\'s journal; rewrite KV `stock` and the Redis mirror where behind, missing or wrong; safe while runners run',
    arity: 0,
    options: ['sku'],
    load: () => import('./RebuildProjections.js').then((m) => m.rebuildProjections),
  },
  {
    name: 'check-invariants',
    synopsis: '',
    summary: 'recompute each SKU from the journal; compare with KV, Redis, the snapshot; find oversell; exit 1 on any problem',
    arity: 0,
    options: ['sku'],
    load: () => import('./CheckInvariants.js').then((m) => m.checkInvariants),
  },
  {
    name: 'ledger',
    synopsis: 'purge',
    summary: 'delete audit-ledger rows made before --before (UTC); refused, deleting nothing, unless every one is past retention (2 years after the end of its year)',
    arity: 1,
    options: ['before'],
    load: () => import('./PurgeLedger.js').then((m) => m.purgeLedger),
  },
];
