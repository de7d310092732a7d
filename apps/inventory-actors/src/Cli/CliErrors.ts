// The two ways a `larder` command fails: the operator asked for something malformed (usage, exit 2),
// or the system could not do it (NATS unreachable, an unknown runner, a time-out: exit 1). Both carry
// one line an operator can act on; neither is printed with a stack trace.
import { Cause, Data } from 'effect';

export class UsageError extends Data.TaggedError('UsageError')<{ readonly message: string }> {}

export class CliError extends Data.TaggedError('CliError')<{ readonly message: string }> {}

/** The one line to print for any failure: an Error's message, never its stack. */
export const describeError = (error: unknown): string =>
  Cause.isUnknownException(error) ? describeError(error.error) : error instanceof Error ? error.message : String(error);
