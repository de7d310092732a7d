// CommandMessage on INV_CMD: real domain commands round-trip; anything else is a DecodeError.
import { describe, it } from '@effect/vitest';
import { Command } from '@larder/domain';
import { decodeCommandMessage, encodeCommandMessage } from '../../src/index.js';
import { jsonBytes, parsedJson, reserve, restock, sale } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

describe('CommandMessage', () => {
  it.each([reserve, restock, sale])('round-trips $_tag', (command) => {
    expectDecoded(decodeCommandMessage(encodeCommandMessage({ v: 1, command })), { v: 1, command });
  });

  it.prop('round-trips any command', [Command], ([command]) => {
    expectDecoded(decodeCommandMessage(encodeCommandMessage({ v: 1, command })), { v: 1, command });
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 2, command: reserve })), 'unsupported wire version 2');
  });

  it('refuses malformed JSON', () => {
    expectDecodeError(decodeCommandMessage(new TextEncoder().encode('{"v":1,"command":')), 'not UTF-8 JSON');
  });

  it('refuses an unknown command and names the tag', () => {
    expectDecodeError(
      decodeCommandMessage(jsonBytes({ v: 1, command: { ...reserve, _tag: 'TeleportStock' } })),
      'command._tag',
      '"TeleportStock"',
    );
  });

  it('refuses a wrong type and names the field', () => {
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1, command: { ...reserve, qty: 'two' } })), 'command.qty');
  });

  it('refuses a value the domain forbids', () => {
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1, command: { ...reserve, sku: 'a.b' } })), 'command.sku');
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1, command: { ...reserve, qty: 0 } })), 'command.qty');
  });

  it('refuses unknown fields in the command and in the envelope', () => {
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1, command: { ...reserve, price: 9 } })), 'command.price', 'unexpected');
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1, command: reserve, replyTo: 'x' })), 'replyTo', 'unexpected');
  });

  it('refuses a missing command', () => {
    expectDecodeError(decodeCommandMessage(jsonBytes({ v: 1 })), 'command: is missing');
  });

  it('writes the wire form the domain schema defines', () => {
    const json = parsedJson(encodeCommandMessage({ v: 1, command: restock }));
    expectDecoded(decodeCommandMessage(jsonBytes(json)), { v: 1, command: restock });
  });
});
