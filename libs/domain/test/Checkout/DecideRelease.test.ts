// Specification of decideRelease (cancelled, payment failed): holds already released, expired or
// unknown count as released; one committed hold makes the whole reservation committed (too late to
// cancel); an owner that did not answer leaves the release undecided (the client retries).
import { describe, expect, it } from '@effect/vitest';
import { decideRelease, type LineReply, type ReservationStatus, type Sku } from '../../src/index.js';
import { after } from '../Fixtures.js';
import { A, accepted as acceptedAs, at, B, C, rejected, reservationId, unanswered } from './Replies.js';

/** The owner accepted the release; the hold is now `status` (a replay of a done release is not fresh). */
const accepted = (status: ReservationStatus = 'released', fresh = true): LineReply => acceptedAs(status, { fresh });
const alreadyCommitted = (sku: Sku): LineReply => rejected({ _tag: 'ReservationAlreadyCommitted', sku, reservationId });

describe('given every owner released its hold', () => {
  it('answers Released', () => {
    expect(decideRelease([at(A, accepted()), at(B, accepted()), at(C, accepted('released', false))])).toStrictEqual({ _tag: 'Released' });
  });

  it('answers Released when an accepted release does not describe its hold', () => {
    expect(decideRelease([at(A, { _tag: 'Accepted', fresh: true, hold: undefined })])).toStrictEqual({ _tag: 'Released' });
  });
});

describe('given holds that already expired or that the owner no longer knows', () => {
  it('answers Released: nothing is held under this id there', () => {
    expect(
      decideRelease([
        at(A, accepted('expired', false)),
        at(B, rejected({ _tag: 'UnknownReservation', sku: B, reservationId })),
        at(C, rejected({ _tag: 'ReservationAlreadyExpired', sku: C, reservationId, expiresAt: after(900) })),
      ]),
    ).toStrictEqual({ _tag: 'Released' });
  });
});

describe('given one hold was already committed', () => {
  it('answers Committed, with where each hold stands', () => {
    expect(decideRelease([at(A, accepted()), at(B, alreadyCommitted(B)), at(C, unanswered())])).toStrictEqual({
      _tag: 'Committed',
      lines: [
        { sku: A, status: 'released' },
        { sku: B, status: 'committed' },
        { sku: C, status: 'unknown' },
      ],
    });
  });

  it('answers Committed when the owner accepts and describes the hold as committed', () => {
    expect(decideRelease([at(A, accepted('committed', false)), at(B, accepted())])).toMatchObject({
      _tag: 'Committed',
      lines: [
        { sku: A, status: 'committed' },
        { sku: B, status: 'released' },
      ],
    });
  });
});

describe('given owners that did not answer', () => {
  it('answers Undecided with exactly those SKUs, in line order', () => {
    expect(decideRelease([at(A, unanswered()), at(B, accepted()), at(C, unanswered('no owner'))])).toStrictEqual({
      _tag: 'Undecided',
      unanswered: [A, C],
    });
  });
});
