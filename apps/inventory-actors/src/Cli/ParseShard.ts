// A shard number from the command line: a whole number below the deployment's shard count.
import { Shard, type Shards } from '@larder/messaging';
import { Effect } from 'effect';
import { UsageError } from './CliErrors.js';

export const parseShard = (raw: string | undefined, shards: Shards) => {
  const n = Number(raw);
  return raw !== undefined && /^\d+$/.test(raw) && n < shards
    ? Effect.succeed(Shard.make(n))
    : Effect.fail(new UsageError({ message: `"${raw ?? ''}" is not a shard: this deployment has shards 0 to ${shards - 1} (LARDER_SHARDS=${shards})` }));
};
