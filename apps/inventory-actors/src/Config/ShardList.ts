// Parses LARDER_OWNED_SHARDS: `fair` (a share through leases), `all`, or a comma list of shard
// numbers and ranges (`0,3,8-15`).
import { Shard, type Shards } from '@larder/messaging';
import { ConfigError, Either } from 'effect';

export const parseShardList = (
  raw: string,
  shards: Shards,
): Either.Either<'fair' | 'all' | ReadonlyArray<Shard>, ConfigError.ConfigError> => {
  if (raw.trim() === 'fair' || raw.trim() === '') return Either.right('fair');
  if (raw.trim() === 'all') return Either.right('all');
  const out = new Set<number>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (match === null || from > to || to >= shards) {
      return Either.left(
        ConfigError.InvalidData(['LARDER_OWNED_SHARDS'], `"${part}" is not a shard or range below ${shards} (e.g. "0,3,8-15", "all" or "fair")`),
      );
    }
    for (let n = from; n <= to; n++) out.add(n);
  }
  return Either.right([...out].sort((a, b) => a - b).map((n) => Shard.make(n)));
};
