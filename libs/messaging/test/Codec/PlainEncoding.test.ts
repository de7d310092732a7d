// Codecs that write with plain JSON.stringify (encode: 'plain') are only allowed for schemas with no
// transformation: for a real value of each, the schema's own encoding is the value itself.
import { Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { CommandMessage, EventBatch, ReplyBatch, RequestBatch } from '../../src/index.js';
import { insufficient, reserve, reserved, restock, sale, shortfall } from '../Fixtures/DomainFixtures.js';

const commandMessage = CommandMessage.make({ v: 1, command: sale });
const eventBatch = EventBatch.make({ v: 1, epoch: 7, events: [reserved, shortfall] });
const requestBatch = RequestBatch.make({ v: 1, items: [{ id: 'a', command: reserve, deadline: reserve.now }, { id: 'b', command: restock, deadline: restock.now }] });
const replyBatch = ReplyBatch.make({
  v: 1,
  items: [
    { id: 'a', outcome: { _tag: 'Rejected', rejection: insufficient } },
    { id: 'b', outcome: { _tag: 'Accepted', seq: null, levels: { onHand: 5, reserved: 1, safetyStock: 0, available: 4 } } },
  ],
});

describe('plain-encoded messages', () => {
  it.each([
    ['CommandMessage', () => Schema.encodeSync(CommandMessage)(commandMessage), () => commandMessage],
    ['EventBatch', () => Schema.encodeSync(EventBatch)(eventBatch), () => eventBatch],
    ['RequestBatch', () => Schema.encodeSync(RequestBatch)(requestBatch), () => requestBatch],
    ['ReplyBatch', () => Schema.encodeSync(ReplyBatch)(replyBatch), () => replyBatch],
  ])('%s encodes to itself', (_, encoded, value) => {
    expect(JSON.parse(JSON.stringify(encoded()))).toEqual(JSON.parse(JSON.stringify(value())));
  });
});
