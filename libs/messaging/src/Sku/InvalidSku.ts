// The typed refusal of a SKU at the wire: what came in and why it cannot be a subject token.
import { Data } from 'effect';

export class InvalidSku extends Data.TaggedError('InvalidSku')<{
  /** The value that was offered as a SKU, unchanged. */
  readonly input: unknown;
  /** Why it was refused, readable by a person. */
  readonly reason: string;
}> {}
