// Header names are part of the wire contract; JetStream only honours its own exact spelling.
import { expect, it } from '@effect/vitest';
import { HeaderNames } from '../../src/index.js';

it('spells every header exactly', () => {
  expect(HeaderNames).toEqual({
    messageId: 'Nats-Msg-Id',
    expectedLastSubjectSequence: 'Nats-Expected-Last-Subject-Sequence',
    traceParent: 'traceparent',
    epoch: 'Larder-Epoch',
    reason: 'Larder-Reason',
  });
});
