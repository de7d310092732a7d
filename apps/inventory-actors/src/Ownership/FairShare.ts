// Which shards this runner should take or hand over, computed by every runner from the same facts
// (live members, lease holders): a pure function, so the split is deterministic and testable.
import type { Shard } from '@larder/messaging';

export interface Member {
  readonly runner: string;
  readonly draining: boolean;
  /** Static ownership: exactly these shards, outside the fair split. */
  readonly pinned?: ReadonlyArray<number> | undefined;
}

export interface ShareInput {
  readonly self: string;
  /** Live members, this runner included. */
  readonly members: ReadonlyArray<Member>;
  readonly shards: ReadonlyArray<Shard>;
  /** Live leases: shard → holder, and the runner it is being handed to, if any. */
  readonly holders: ReadonlyMap<Shard, { readonly runner: string; readonly handoffTo?: string | undefined }>;
  /** Shards this runner hosts. */
  readonly owned: ReadonlySet<Shard>;
  /** Shards an operator moved here: handed over last when over quota. */
  readonly moved: ReadonlySet<Shard>;
}

export interface SharePlan {
  /** How many shards this runner should host. */
  readonly quota: number;
  /** Hand these over now. */
  readonly release: ReadonlyArray<Shard>;
  /** Try to take these, in this order, until `quota` is reached (a lost race is retried next round). */
  readonly acquire: ReadonlyArray<Shard>;
}

const byRunner = (a: Member, b: Member) => (a.runner < b.runner ? -1 : a.runner > b.runner ? 1 : 0);

export const planShare = (input: ShareInput): SharePlan => {
  const { self, members, shards, holders, owned, moved } = input;
  const me = members.find((m) => m.runner === self);
  const handedToMe = shards.filter((s) => holders.get(s)?.handoffTo === self && !owned.has(s));
  const isFree = (s: Shard) => !owned.has(s) && holders.get(s) === undefined;

  if (me === undefined || me.draining) return { quota: 0, release: [...owned], acquire: [] };

  if (me.pinned !== undefined) {
    const pinned = new Set(me.pinned);
    return {
      quota: pinned.size,
      release: [...owned].filter((s) => !pinned.has(s)),
      acquire: shards.filter((s) => pinned.has(s) && (isFree(s) || handedToMe.includes(s))),
    };
  }

  const pinnedElsewhere = new Set(members.filter((m) => m.runner !== self && m.pinned !== undefined).flatMap((m) => m.pinned ?? []));
  const pool = shards.filter((s) => !pinnedElsewhere.has(s));
  const balancers = members.filter((m) => !m.draining && m.pinned === undefined).sort(byRunner);
  const n = balancers.length;
  const i = balancers.findIndex((m) => m.runner === self);
  const quota = Math.floor(pool.length / n) + (i < pool.length % n ? 1 : 0);

  const excess = owned.size - quota;
  // Hand over the highest shards first, those an operator moved here last.
  const release =
    excess > 0
      ? [...owned].sort((a, b) => Number(moved.has(a)) - Number(moved.has(b)) || b - a).slice(0, excess)
      : [];
  // Prefer shards congruent to this runner's index, so runners starting together rarely race.
  const free = pool.filter(isFree);
  const preferred = [...free.filter((s) => s % n === i), ...free.filter((s) => s % n !== i)];
  const acquire = [...handedToMe, ...(owned.size < quota ? preferred : [])];
  return { quota, release, acquire };
};
