// Reading a command or journal subject back into its shard and SKU. A subject from the wire is
// untrusted: every token is checked, and the shard must be the one the SKU hashes to.
import type { Sku } from '@larder/domain';
import { Either } from 'effect';
import { type Shard, type Shards, shardOf } from '../Sharding/Shard.js';
import { parseSku } from '../Sku/ParseSku.js';
import { InvalidSubject } from './InvalidSubject.js';

/** Where a per-SKU subject points. */
export interface SubjectAddress {
  readonly shard: Shard;
  readonly sku: Sku;
}

const canonicalShard = /^(0|[1-9][0-9]{0,3})$/;

/** A parser for `<prefix>.<shard>.<sku>` subjects, e.g. prefix `larder.inv.cmd`. */
export const makeSubjectParser =
  (prefix: string, shards: Shards) =>
  (subject: string): Either.Either<SubjectAddress, InvalidSubject> => {
    const fail = (reason: string) => Either.left(new InvalidSubject({ subject, reason }));
    const head = `${prefix}.`;
    if (!subject.startsWith(head)) return fail(`expected a subject "${prefix}.<shard>.<sku>"`);
    const rest = subject.slice(head.length);
    const dot = rest.indexOf('.');
    if (dot < 0) return fail(`expected a subject "${prefix}.<shard>.<sku>", the SKU token is missing`);
    const shardToken = rest.slice(0, dot);
    if (!canonicalShard.test(shardToken)) return fail(`shard token "${shardToken}" is not a whole number`);
    const shardNumber = Number(shardToken);
    if (shardNumber >= shards) return fail(`shard ${shardNumber} is outside 0..${shards - 1}`);
    const parsed = parseSku(rest.slice(dot + 1));
    if (Either.isLeft(parsed)) return fail(`invalid SKU token: ${parsed.left.reason}`);
    const sku = parsed.right;
    const shard = shardOf(sku, shards);
    if (shard !== shardNumber) return fail(`SKU "${sku}" belongs to shard ${shard}, not ${shardNumber}`);
    return Either.right({ shard, sku });
  };
