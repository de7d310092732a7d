// The signature of a poll tool's delivery: `sha256=<hex HMAC-SHA256>` of the exact bytes with the shared
// secret; anything else — no header, another secret, other bytes, two signatures — does not pass.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPollSignature, signPollBody } from '../../src/Signals/PollSignature.js';

const secret = 'a-shared-secret-of-32-characters';
const body = Buffer.from('{"pollId":"p1","questionId":"q1","answerId":"a1","respondentId":"r1","at":"2026-12-20T09:30:00Z"}');
const signature = signPollBody(secret, body);

describe('a signature of the body with the secret', () => {
  it('is sha256= and the hex HMAC-SHA256 of the bytes', () => {
    expect(signature).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(signPollBody(secret, body.toString('utf8'))).toBe(signature);
  });

  it('passes, in either case of hex and with surrounding spaces', () => {
    expect(checkPollSignature(secret, body, signature)).toBe('valid');
    expect(checkPollSignature(secret, body, `sha256=${signature.slice(7).toUpperCase()}`)).toBe('valid');
    expect(checkPollSignature(secret, body, ` ${signature} `)).toBe('valid');
  });
});

describe('anything else', () => {
  it('is missing without the header', () => {
    expect(checkPollSignature(secret, body, undefined)).toBe('missing');
    expect(checkPollSignature(secret, body, '')).toBe('missing');
  });

  it.each([
    ['another secret', signPollBody(`${secret}!`, body)],
    ['other bytes', signPollBody(secret, Buffer.concat([body, Buffer.from(' ')]))],
    ['the bare hex', signature.slice(7)],
    ['another algorithm', signature.replace('sha256=', 'sha512=')],
    ['a digest one byte short', signature.slice(0, -2)],
    ['two signatures joined by Node', `${signature}, ${signature}`],
  ])('does not pass with %s', (_, header) => {
    expect(checkPollSignature(secret, body, header)).toBe('mismatch');
  });

  it('does not pass with the header given twice as a list', () => {
    expect(checkPollSignature(secret, body, [signature, signature])).toBe('mismatch');
  });
});
