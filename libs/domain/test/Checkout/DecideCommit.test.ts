// Specification of decideCommit (payment captured): every hold committed → committed; a hold already
// closed another way → the reservation is closed that way, with where each hold stands; an owner that
// did not answer, or a hold still open → its commit is stored for later and the reservation is pending.
import { describe, expect, it } from '@effect/vitest';
import { decideCommit, DefaultLocation, type LineReply, type ReservationStatus, type Sku } from '../../src/index.js';
import { after } from '../Fixtures.js';
import { A, accepted as acceptedAs, at, B, C, rejected, reservationId, unanswered } from './Replies.js';

/** The owner accepted the commit; the hold is now `status` (a replay of a done commit is not fresh). */
const accepted = (status: ReservationStatus = 'committed', fresh = true): LineReply => acceptedAs(status, { fresh });
const alreadyReleased = (sku: Sku): LineReply => rejected({ _tag: 'ReservationAlreadyReleased', sku, reservationId });
const alreadyExpired = (sku: Sku): LineReply => rejected({ _tag: 'ReservationAlreadyExpired', sku, reservationId, expiresAt: after(900) });
const unknown = (sku: Sku): LineReply => rejected({ _tag: 'UnknownReservation', sku, reservationId });

describe('given every owner committed its hold', () => {
  it('answers Committed', () => {
    expect(decideCommit([at(A, accepted()), at(B, accepted()), at(C, accepted())])).toStrictEqual({ _tag: 'Committed' });
  });

  it('answers Committed when some commits are replays of ones already done', () => {
    expect(decideCommit([at(A, accepted('committed', false)), at(B, accepted())])).toStrictEqual({ _tag: 'Committed' });
  });

  it('counts ReservationAlreadyCommitted as committed', () => {
    expect(decideCommit([at(A, accepted()), at(B, rejected({ _tag: 'ReservationAlreadyCommitted', sku: B, reservationId }))])).toStrictEqual({
      _tag: 'Committed',
    });
  });

  it('counts an accepted commit that does not describe its hold as committed', () => {
    expect(decideCommit([at(A, { _tag: 'Accepted', fresh: true, hold: undefined })])).toStrictEqual({ _tag: 'Committed' });
  });
});

describe('given one hold was already released', () => {
  const lines = [at(A, accepted()), at(B, alreadyReleased(B)), at(C, unanswered())];

  it('answers Closed released, with where each hold stands (held = not known)', () => {
    expect(decideCommit(lines)).toStrictEqual({
      _tag: 'Closed',
      status: 'released',
      lines: [
        { sku: A, status: 'committed' },
        { sku: B, status: 'released' },
        { sku: C, status: 'held' },
      ],
    });
  });

  it('stores no commit for the owner that did not answer: nothing more is to be committed', () => {
    expect(decideCommit(lines)).not.toHaveProperty('enqueue');
  });
});

describe('given one hold already expired', () => {
  it('answers Closed expired', () => {
    expect(decideCommit([at(A, accepted()), at(B, alreadyExpired(B))])).toStrictEqual({
      _tag: 'Closed',
      status: 'expired',
      lines: [
        { sku: A, status: 'committed' },
        { sku: B, status: 'expired' },
      ],
    });
  });
});

describe('given an owner that no longer knows the hold (UnknownReservation)', () => {
  it('answers Closed expired: nothing under this id can be committed there', () => {
    expect(decideCommit([at(A, unknown(A)), at(B, accepted())])).toStrictEqual({
      _tag: 'Closed',
      status: 'expired',
      lines: [
        { sku: A, status: 'expired' },
        { sku: B, status: 'committed' },
      ],
    });
  });
});

describe('given an owner accepted the commit but says the hold is closed another way', () => {
  it('answers Closed that way', () => {
    expect(decideCommit([at(A, accepted('released', false)), at(B, accepted())])).toMatchObject({ _tag: 'Closed', status: 'released' });
  });
});

describe('given owners that did not answer', () => {
  it('answers Pending and enqueues the commits of exactly those SKUs, in line order', () => {
    expect(decideCommit([at(A, unanswered('no owner')), at(B, accepted()), at(C, unanswered())])).toStrictEqual({
      _tag: 'Pending',
      enqueue: [A, C],
    });
  });
});

describe('given an owner accepted the commit but the hold is still held', () => {
  it('answers Pending and enqueues that SKU', () => {
    expect(decideCommit([at(A, accepted('held')), at(B, accepted())])).toStrictEqual({ _tag: 'Pending', enqueue: [A] });
  });
});

describe('given an unexpected rejection', () => {
  it('answers Pending and enqueues that SKU: its hold is not known to be closed', () => {
    const short = rejected({ _tag: 'InsufficientStock', sku: B, location: DefaultLocation, requested: 3, available: 1 });
    expect(decideCommit([at(A, accepted()), at(B, short)])).toStrictEqual({ _tag: 'Pending', enqueue: [B] });
  });
});
