// The signature of a poll tool's delivery (DESIGN.md §10 "Demand"): `x-larder-signature: sha256=<hex
// HMAC-SHA256 of the raw body>` with the shared secret, compared in constant time over the bytes as
// received (never over re-serialised JSON, which would differ in spacing and key order).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PollSignatureHeader = 'x-larder-signature';

export const PollSignaturePattern = /^sha256=([0-9a-fA-F]{64})$/;

export type PollSignatureCheck = 'valid' | 'missing' | 'mismatch';

const digestOf = (secret: string, bytes: Buffer) => createHmac('sha256', secret).update(bytes).digest();

/** The header's value for `bytes` (what a poll tool sends; tests and docs use it). */
export const signPollBody = (secret: string, bytes: Buffer | string): string =>
  `sha256=${digestOf(secret, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('hex')}`;

/** Whether `header` (the request's `x-larder-signature`, as Node gives it) signs `bytes` with `secret`. */
export const checkPollSignature = (secret: string, bytes: Buffer, header: string | ReadonlyArray<string> | undefined): PollSignatureCheck => {
  if (header === undefined || header === '') return 'missing';
  // Two signatures are none: Node joins a repeated header with ", " (the pattern refuses it), and a list is refused too.
  if (typeof header !== 'string') return 'mismatch';
  const hex = PollSignaturePattern.exec(header.trim())?.[1];
  if (hex === undefined) return 'mismatch';
  // Both 32 bytes, as timingSafeEqual requires: the pattern fixed the length.
  return timingSafeEqual(Buffer.from(hex, 'hex'), digestOf(secret, bytes)) ? 'valid' : 'mismatch';
};
