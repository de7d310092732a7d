// Listing INV_DLQ (`larder dlq list`, GET /v1/ops/dead-letters): gaps left by deleted letters are
// skipped, an undecodable letter is listed with why, and a read that fails is an error, never a
// shorter list (a NATS user without MSG.GET on the stream must not see "no dead letters").
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis } from '@larder/domain';
import { DeadLetter, DefaultNamespace, DefaultShards, encodeDeadLetter, listDeadLetters, makeNames, type DeadLetterReads } from '../../src/index.js';
import { now } from '../Fixtures/DomainFixtures.js';

const names = makeNames(DefaultNamespace, { shards: DefaultShards });
const letter = DeadLetter.make({
  v: 1,
  reason: 'probe',
  subject: 'larder.inv.cmd.3.JERKY-HOT-50G',
  original: Uint8Array.of(0x7b, 0x7d),
  headers: {},
  failedAt: EpochMillis.make(now),
  deliveries: 1,
});

/** INV_DLQ holding `stored` at sequences first… (undefined: deleted), or failing each read with `failure`. */
const stream = (first: number, stored: ReadonlyArray<Uint8Array | undefined>, failure?: Error): DeadLetterReads => ({
  streams: {
    info: async () => ({ state: { messages: stored.filter((m) => m !== undefined).length, first_seq: first, last_seq: first + stored.length - 1 } }),
    getMessage: async (_stream, { seq }) => {
      if (failure !== undefined) throw failure;
      const data = stored[seq - first];
      return data === undefined ? null : { data };
    },
  },
});

describe('listDeadLetters', () => {
  it('lists the stored letters in order, skipping deleted sequences, undecodable ones with why', async () => {
    const listed = await listDeadLetters(stream(4, [encodeDeadLetter(letter), undefined, new TextEncoder().encode('not a letter')]), names);
    expect(listed.map((l) => [l.seq, l.letter._tag])).toEqual([
      [4, 'Right'],
      [6, 'Left'],
    ]);
  });

  it('stops at the limit', async () => {
    const listed = await listDeadLetters(stream(1, [encodeDeadLetter(letter), encodeDeadLetter(letter), encodeDeadLetter(letter)]), names, 2);
    expect(listed.map((l) => l.seq)).toEqual([1, 2]);
  });

  it('fails when a read fails, rather than listing fewer letters', async () => {
    const refused = new Error('Permissions Violation for Publish to "$JS.API.STREAM.MSG.GET.LARDER_INV_DLQ"');
    await expect(listDeadLetters(stream(1, [encodeDeadLetter(letter)], refused), names)).rejects.toBe(refused);
  });
});
