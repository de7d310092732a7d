// The fair split every runner computes for itself: quotas add up to the shard count, a joiner is
// made room for, a leaver's shards are taken, pinned shards stay out of the pool, handoffs go first.
import { Shard } from '@larder/messaging';
import { describe, expect, it } from 'vitest';
import { planShare, type Member, type ShareInput } from '../../src/Ownership/FairShare.js';

const shards = Array.from({ length: 10 }, (_, i) => Shard.make(i));
const member = (runner: string, extra: Partial<Member> = {}): Member => ({ runner, draining: false, ...extra });
const input = (over: Partial<ShareInput> & Pick<ShareInput, 'self' | 'members'>): ShareInput => ({
  shards,
  holders: new Map(),
  owned: new Set(),
  moved: new Set(),
  ...over,
});
const held = (owner: Record<string, ReadonlyArray<number>>) =>
  new Map(Object.entries(owner).flatMap(([runner, list]) => list.map((s) => [Shard.make(s), { runner }] as const)));
const set = (...list: ReadonlyArray<number>) => new Set(list.map((s) => Shard.make(s)));

describe('a runner alone', () => {
  it('takes every free shard', () => {
    const plan = planShare(input({ self: 'a', members: [member('a')] }));
    expect(plan.quota).toBe(10);
    expect([...plan.acquire].sort((x, y) => x - y)).toEqual(shards);
    expect(plan.release).toEqual([]);
  });
});

describe('three runners', () => {
  const members = [member('b'), member('a'), member('c')];
  it('get quotas that add up to the shard count and differ by at most one', () => {
    const quotas = ['a', 'b', 'c'].map((self) => planShare(input({ self, members })).quota);
    expect(quotas).toEqual([4, 3, 3]);
  });

  it('a runner holding everything hands the excess over, highest shards first, operator moves last', () => {
    const owned = set(...shards);
    const plan = planShare(input({ self: 'a', members, owned, holders: held({ a: shards }), moved: set(9) }));
    expect(plan.release).toEqual([8, 7, 6, 5, 4, 3]);
    expect(plan.acquire).toEqual([]);
  });

  it('a joiner only takes shards nobody holds, preferring its own residue class', () => {
    const holders = held({ a: [0, 1, 2, 3], b: [4, 5, 6] });
    const plan = planShare(input({ self: 'c', members, holders }));
    expect(plan.quota).toBe(3);
    expect(plan.acquire).toEqual([8, 7, 9]);
  });
});

describe('a draining runner', () => {
  it('hands everything over and is left out of the others’ split', () => {
    const members = [member('a', { draining: true }), member('b')];
    const mine = planShare(input({ self: 'a', members, owned: set(1, 2), holders: held({ a: [1, 2] }) }));
    expect(mine).toEqual({ quota: 0, release: [1, 2], acquire: [] });
    expect(planShare(input({ self: 'b', members, holders: held({ a: [1, 2] }) })).quota).toBe(10);
  });
});

describe('pinned runners', () => {
  it('take only their shards; the others split the rest', () => {
    const members = [member('p', { pinned: [0, 1, 2, 3] }), member('a'), member('b')];
    const pinned = planShare(input({ self: 'p', members, holders: held({ a: [2] }) }));
    expect(pinned.quota).toBe(4);
    expect(pinned.acquire).toEqual([0, 1, 3]);
    const a = planShare(input({ self: 'a', members }));
    expect(a.quota).toBe(3);
    expect(a.acquire.every((s) => s >= 4)).toBe(true);
  });
});

describe('an operator move', () => {
  it('puts the shard handed to this runner first, even above its quota', () => {
    const members = [member('a'), member('b')];
    const holders = new Map([[Shard.make(7), { runner: 'a', handoffTo: 'b' }]]);
    const plan = planShare(input({ self: 'b', members, holders, owned: set(5, 6, 8, 9, 0) }));
    expect(plan.acquire[0]).toBe(7);
  });
});
