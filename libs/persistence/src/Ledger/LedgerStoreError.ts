// The one failure of the ledger's Postgres adapter: the database did not take or give rows as expected.
import { Data } from 'effect';

export class LedgerStoreError extends Data.TaggedError('LedgerStoreError')<{
  readonly operation: 'append' | 'page' | 'purge';
  readonly detail: string;
}> {
  override get message(): string {
    return `ledger ${this.operation}: ${this.detail}`;
  }
}
