// decodePubAck on the exact bytes nats-server 2.9.10 sends: a stored message, a duplicate, and a
// refusal (which carries `stream` and `seq: 0` beside `error`), so fencing can be told from success.
import { describe, expect, it } from 'vitest';
import { Either } from 'effect';
import { decodePubAck, WrongLastSequence } from '../../src/index.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodePubAck', () => {
  it('reads a stored message', () => {
    expect(decodePubAck(bytes('{"stream":"T_INV_EVT", "seq":7}'))).toEqual(Either.right({ stream: 'T_INV_EVT', seq: 7, duplicate: false }));
  });

  it('reads a duplicate', () => {
    expect(decodePubAck(bytes('{"stream":"T_INV_EVT", "seq":7,"duplicate": true}'))).toEqual(
      Either.right({ stream: 'T_INV_EVT', seq: 7, duplicate: true }),
    );
  });

  it('reads a refusal that has no stream or seq', () => {
    expect(decodePubAck(bytes('{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}'))).toEqual(
      Either.left({ _tag: 'Refused', code: 503, errCode: 10077, description: 'maximum messages exceeded' }),
    );
  });

  // nats-server 2.9 answers a failed expectation with `error` plus `stream`/`seq: 0`: a refusal, never a PubAck.
  it('reads a refusal that also carries stream and seq 0 as Refused, not as a PubAck', () => {
    const refusal = '{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 1"},"stream":"T_INV_EVT","seq":0}';
    expect(decodePubAck(bytes(refusal))).toEqual(
      Either.left({ _tag: 'Refused', code: 400, errCode: WrongLastSequence, description: 'wrong last sequence: 1' }),
    );
  });

  it('calls anything else Malformed', () => {
    expect(decodePubAck(bytes('+OK'))).toMatchObject({ _tag: 'Left', left: { _tag: 'Malformed' } });
  });
});
