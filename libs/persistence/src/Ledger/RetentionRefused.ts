// A purge that would delete records still inside their retention period (DESIGN.md §10): refused
// before anything is deleted, saying the latest cutoff the policy allows today.
import { Data } from 'effect';

export class RetentionRefused extends Data.TaggedError('RetentionRefused')<{
  /** The cutoff asked for (epoch ms): records strictly before it would have gone. */
  readonly cutoff: number;
  /** The latest cutoff allowed now (epoch ms): the start of the year two before the current one (UTC). */
  readonly latestAllowed: number;
}> {
  override get message(): string {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return `refused: deleting ledger records before ${day(this.cutoff)} would delete records younger than their retention period (kept 2 years after the end of the year of the transaction); the latest cutoff allowed today is ${day(this.latestAllowed)}`;
  }
}
