// The typed refusal of a subject that is not one Larder builds: which subject and why.
import { Data } from 'effect';

export class InvalidSubject extends Data.TaggedError('InvalidSubject')<{
  readonly subject: string;
  readonly reason: string;
}> {}
