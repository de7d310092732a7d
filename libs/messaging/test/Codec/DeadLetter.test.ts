// DeadLetter on inv.dlq.<shard>: the original bytes and headers survive, with the reason.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis } from '@larder/domain';
import { DeadLetter, decodeCommandMessage, decodeDeadLetter, encodeDeadLetter } from '../../src/index.js';
import { jsonBytes, now, parsedJson } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const poison = Uint8Array.of(0x7b, 0xff, 0x00, 0x22); // not even UTF-8
const letter = DeadLetter.make({
  v: 1,
  reason: 'CommandMessage: not UTF-8 JSON: The encoded data was not valid for encoding utf-8',
  subject: 'larder.inv.cmd.16.JERKY-TERIYAKI-100G',
  original: poison,
  headers: { 'Nats-Msg-Id': ['cmd-1'], traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'] },
  failedAt: EpochMillis.make(now),
  deliveries: 1,
});

describe('DeadLetter', () => {
  it('round-trips, original bytes included', () => {
    expectDecoded(decodeDeadLetter(encodeDeadLetter(letter)), letter);
  });

  it('carries the original as base64 on the wire', () => {
    expect(parsedJson(encodeDeadLetter(letter))).toMatchObject({ original: 'e/8AIg==' });
  });

  it('keeps a poison message replayable: the original decodes to the same refusal', () => {
    const decoded = decodeDeadLetter(encodeDeadLetter(letter));
    expect(decoded._tag === 'Right' && decodeCommandMessage(decoded.right.original)).toMatchObject({ _tag: 'Left' });
  });

  it.prop('round-trips any dead letter', [DeadLetter], ([any]) => {
    expectDecoded(decodeDeadLetter(encodeDeadLetter(any)), any);
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeDeadLetter(jsonBytes({ ...parsedJsonOf(letter), v: 9 })), 'unsupported wire version 9');
  });

  it('refuses an original that is not base64', () => {
    expectDecodeError(decodeDeadLetter(jsonBytes({ ...parsedJsonOf(letter), original: '***' })), 'original');
  });

  it('refuses headers that are not lists of strings', () => {
    expectDecodeError(decodeDeadLetter(jsonBytes({ ...parsedJsonOf(letter), headers: { a: 'b' } })), 'headers.a');
  });

  // Record keys failing their schema count as excess properties: the tolerant reader drops them.
  it('drops a header name that cannot be kept as a plain-object key, keeps the rest', () => {
    const text = JSON.stringify(parsedJsonOf(letter)).replace('"traceparent"', '"__proto__"');
    const decoded = decodeDeadLetter(new TextEncoder().encode(text));
    expect(decoded._tag === 'Right' && decoded.right.headers).toEqual({ 'Nats-Msg-Id': ['cmd-1'] });
    const spaced = decodeDeadLetter(jsonBytes({ ...parsedJsonOf(letter), headers: { 'a b': ['x'], ok: ['y'] } }));
    expect(spaced._tag === 'Right' && spaced.right.headers).toEqual({ ok: ['y'] });
  });

  it('refuses zero deliveries', () => {
    expectDecodeError(decodeDeadLetter(jsonBytes({ ...parsedJsonOf(letter), deliveries: 0 })), 'deliveries');
  });
});

function parsedJsonOf(value: DeadLetter): object {
  const json = parsedJson(encodeDeadLetter(value));
  return typeof json === 'object' && json !== null ? json : {};
}
