// The identity of one running process (an API instance or a shard runner): a single subject
// token, used for its inbox and as its key in the `runners` bucket.
import { Schema } from 'effect';

/** 1–64 characters of letters, digits, `_` or `-` (a NUID fits). */
export const ProcessId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/, {
    message: () => 'a process id is 1–64 characters of letters, digits, "_" or "-"',
  }),
  Schema.brand('ProcessId'),
);
export type ProcessId = typeof ProcessId.Type;
