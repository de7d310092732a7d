// A hold refused by a rule of its drop, as the problem the client gets: the first refusal by
// precedence (not open, closed, not in the drop, over the limit), with what the client needs to act.
import type { DropRefusal } from '@larder/domain';
import { Problem } from '../Http/Problems.js';

const precedence: ReadonlyArray<DropRefusal['_tag']> = ['DropNotOpen', 'DropAlreadyClosed', 'NotInDrop', 'CustomerRequired', 'LimitExceeded'];

export const dropRefusalProblem = (declined: ReadonlyArray<DropRefusal>): Problem => {
  const first = [...declined].sort((a, b) => precedence.indexOf(a._tag) - precedence.indexOf(b._tag))[0];
  if (first === undefined) return new Problem({ type: 'internal', detail: 'a drop refusal without a reason' });
  const dropId = first.dropId;
  switch (first._tag) {
    case 'DropNotOpen':
      return new Problem({
        type: 'drop-not-open',
        detail: `drop ${dropId} opens at ${new Date(first.opensAt).toISOString()}; nothing was held`,
        extensions: { dropId, opensAt: new Date(first.opensAt).toISOString() },
      });
    case 'DropAlreadyClosed':
      return new Problem({ type: 'drop-closed', detail: `drop ${dropId} is closed; nothing was held`, extensions: { dropId } });
    case 'NotInDrop':
      return new Problem({ type: 'not-in-drop', detail: `${first.sku} is not part of drop ${dropId} (or there is no such drop); nothing was held`, extensions: { dropId, sku: first.sku } });
    case 'CustomerRequired':
      return new Problem({ type: 'invalid-request', detail: `a hold in drop ${dropId} names its customer (customerId)`, extensions: { dropId } });
    case 'LimitExceeded': {
      const lines = declined.flatMap((r) => (r._tag === 'LimitExceeded' ? [{ sku: r.sku, requested: r.requested, allowed: r.allowed, limitPerCustomer: r.limitPerCustomer }] : []));
      return new Problem({
        type: 'limit-exceeded',
        detail: `customer ${first.customerId} may hold ${lines.map((l) => `${l.allowed} more of ${l.sku} (limit ${l.limitPerCustomer})`).join(', ')} in drop ${dropId}; nothing was held`,
        extensions: { dropId, customerId: first.customerId, lines },
      });
    }
  }
};
