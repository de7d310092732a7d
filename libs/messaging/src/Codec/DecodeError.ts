// The one failure of every wire decoder: a message that cannot be read, with a reason readable
// enough to store beside it in the dead-letter queue. Decoders return it; they never throw.
import { Data } from 'effect';

export class DecodeError extends Data.TaggedError('DecodeError')<{
  readonly reason: string;
}> {}
