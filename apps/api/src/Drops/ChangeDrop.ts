// PUT /v1/drops/{dropId} and its close, as shells around the domain: each SKU's owner decides its share
// (AllocateDrop, CloseDrop), `decideDropChange` says whether the change stands across all of them, and
// what took it is put back when it does not. The definition is written only once every SKU took it.
import { createHash } from 'node:crypto';
import {
  decideDropChange,
  DefaultLocation,
  type Actor,
  type AllocateDrop,
  type Command,
  type DropId,
  type EpochMillis,
  type Rejection,
  type ShortAllocation,
  type Sku,
  CommandId,
} from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askEach } from '../Reservations/AskOwner.js';
import type { DropDefinition, DropSkuTerms } from './DropDefinition.js';
import type { DropStore } from './DropStore.js';

export interface DropChange {
  readonly dropId: DropId;
  readonly name: string;
  readonly opensAt: EpochMillis;
  readonly closesAt: EpochMillis;
  readonly skus: ReadonlyArray<DropSkuTerms>;
  readonly actor: Actor;
  readonly now: EpochMillis;
}

export type DropChangeResult =
  | { readonly _tag: 'Created' | 'Updated' | 'Unchanged'; readonly definition: DropDefinition }
  | { readonly _tag: 'Short'; readonly short: ReadonlyArray<ShortAllocation> }
  | { readonly _tag: 'Refused'; readonly rejection: Rejection }
  | { readonly _tag: 'Closed' }
  /** An open drop's SKU left out of the change (only a scheduled drop may lose a SKU). */
  | { readonly _tag: 'SkuRemoved'; readonly skus: ReadonlyArray<Sku> }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

export interface DropDeps {
  readonly gateway: CommandGateway;
  readonly store: DropStore;
}

/**
 * A command id per change and SKU (`drop:<kind>:<dropId>:<digest>`, well under the 200-character cap).
 * Each PUT is its own change (its time is in the digest): a PUT of terms a SKU already has decides
 * nothing there, so a retry of a PUT that died midway completes it without doing anything twice.
 */
const changeId = (kind: string, dropId: DropId, sku: Sku, terms: string) =>
  CommandId.make(`drop:${kind}:${dropId}:${createHash('sha256').update(`${sku}\n${terms}`).digest('base64url').slice(0, 22)}`);

const allocateCommand = (change: Pick<DropChange, 'dropId' | 'opensAt' | 'closesAt' | 'actor' | 'now'>, terms: DropSkuTerms, revert: boolean): AllocateDrop => ({
  _tag: 'AllocateDrop',
  commandId: changeId(revert ? 'revert' : 'allocate', change.dropId, terms.sku, `${change.opensAt}-${change.closesAt}-${terms.allocation}-${terms.limitPerCustomer}:${change.now}`),
  actor: change.actor,
  now: change.now,
  sku: terms.sku,
  location: DefaultLocation,
  dropId: change.dropId,
  opensAt: change.opensAt,
  closesAt: change.closesAt,
  allocation: terms.allocation,
  limitPerCustomer: terms.limitPerCustomer,
  ...(revert ? { revert: true } : {}),
});

const withdrawCommand = (change: Pick<DropChange, 'dropId' | 'actor' | 'now'>, sku: Sku): Command => ({
  _tag: 'WithdrawDrop',
  commandId: changeId('withdraw', change.dropId, sku, String(change.now)),
  actor: change.actor,
  now: change.now,
  sku,
  dropId: change.dropId,
});

/** Puts each SKU back as `previous` had it (or takes the drop back where it was new); best effort, the answer is already decided. */
const revert = async (deps: DropDeps, change: DropChange, previous: DropDefinition | undefined, skus: ReadonlyArray<Sku>) => {
  const commands = skus.map((sku) => {
    const before = previous?.skus.find((s) => s.sku === sku);
    return before === undefined || previous === undefined
      ? withdrawCommand(change, sku)
      : allocateCommand({ ...change, opensAt: previous.opensAt, closesAt: previous.closesAt }, before, true);
  });
  await askEach(deps.gateway, commands);
};

const sameTerms = (a: DropDefinition, b: DropChange) =>
  a.name === b.name &&
  a.opensAt === b.opensAt &&
  a.closesAt === b.closesAt &&
  a.skus.length === b.skus.length &&
  a.skus.every((s) => b.skus.some((t) => t.sku === s.sku && t.allocation === s.allocation && t.limitPerCustomer === s.limitPerCustomer));

export const changeDrop = async (deps: DropDeps, change: DropChange): Promise<DropChangeResult> => {
  const previous = await deps.store.read(change.dropId);
  if (previous?.closedAt != null) return { _tag: 'Closed' };
  const removed = (previous?.skus ?? []).filter((s) => !change.skus.some((t) => t.sku === s.sku)).map((s) => s.sku);
  if (removed.length > 0 && previous !== undefined && change.now >= previous.opensAt) return { _tag: 'SkuRemoved', skus: removed };
  // Every SKU is asked, unchanged ones included: an earlier PUT that died midway is completed by its retry.
  const replies = await askEach(deps.gateway, change.skus.map((terms) => allocateCommand(change, terms, false)));
  const decision = decideDropChange(replies);
  switch (decision._tag) {
    case 'Applied':
      break;
    case 'Refused': {
      await revert(deps, change, previous, decision.revert);
      const [first] = decision.refused;
      if (first !== undefined) return first._tag === 'DropAlreadyClosed' ? { _tag: 'Closed' } : { _tag: 'Refused', rejection: first };
      return { _tag: 'Short', short: decision.short };
    }
    case 'Undecided':
      await revert(deps, change, previous, decision.revert);
      return { _tag: 'Unavailable', detail: decision.why.join('; ') };
  }
  if (removed.length > 0) await askEach(deps.gateway, removed.map((sku) => withdrawCommand(change, sku)));
  if (previous !== undefined && sameTerms(previous, change)) return { _tag: 'Unchanged', definition: previous };
  const definition: DropDefinition = {
    v: 1,
    dropId: change.dropId,
    name: change.name,
    opensAt: change.opensAt,
    closesAt: change.closesAt,
    skus: change.skus,
    createdAt: previous?.createdAt ?? change.now,
    updatedAt: change.now,
    closedAt: null,
  };
  await deps.store.write(definition);
  return { _tag: previous === undefined ? 'Created' : 'Updated', definition };
};

export type CloseResult =
  | { readonly _tag: 'Closed'; readonly definition: DropDefinition }
  | { readonly _tag: 'NotFound' }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

/** Closes the drop at every SKU (each returns its unsold allocation in one event), then marks the definition closed. */
export const closeDrop = async (deps: DropDeps, dropId: DropId, actor: Actor, now: EpochMillis): Promise<CloseResult> => {
  const definition = await deps.store.read(dropId);
  if (definition === undefined) return { _tag: 'NotFound' };
  const replies = await askEach(
    deps.gateway,
    definition.skus.map(({ sku }) => ({ _tag: 'CloseDrop', commandId: changeId('close', dropId, sku, ''), actor, now, sku, dropId, reason: 'closed_by_operator' }) as const),
  );
  const silent = replies.flatMap(({ sku, reply }) => (reply._tag === 'Unanswered' ? [`${sku}: ${reply.why}`] : []));
  if (silent.length > 0) return { _tag: 'Unavailable', detail: silent.join('; ') };
  if (definition.closedAt !== null) return { _tag: 'Closed', definition };
  const closed = { ...definition, closedAt: now, updatedAt: now };
  await deps.store.write(closed);
  return { _tag: 'Closed', definition: closed };
};
