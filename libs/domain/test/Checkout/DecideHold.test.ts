// Specification of decideHold: from what every SKU's owner answered to one attempt's holds, the
// reservation's fate (held, refused, conflict, spent or undecided) and which holds this attempt must
// release so that nothing stays partly held.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import {
  decideHold,
  DefaultLocation,
  MaxHoldAttempts,
  Quantity,
  type HoldAttempt,
  type HoldDecision,
  type HoldReply,
  type LineReply,
  type Rejection,
  type ReservationStatus,
  type Sku,
} from '../../src/index.js';
import { after } from '../Fixtures.js';
import { A, accepted, at, B, C, D, rejected, reservationId, unanswered } from './Replies.js';

/** The owner holds the line until `expiresAt` seconds after t0; `fresh`: this attempt placed it. */
const held = (o: { readonly expiresAt?: number; readonly fresh?: boolean } = {}): LineReply => accepted('held', o);
/** A hold this attempt did not place: an earlier attempt's, or another request's under the same id. */
const alreadyHeld = (expiresAt = 900): LineReply => held({ expiresAt, fresh: false });
/** The id names a hold at this SKU that already closed `status`. */
const closed = (status: Exclude<ReservationStatus, 'held'>): LineReply => accepted(status, { fresh: false });
const short = (sku: Sku, requested: number, available: number): LineReply =>
  rejected({ _tag: 'InsufficientStock', sku, location: DefaultLocation, requested, available });
const conflict = (sku: Sku): LineReply => rejected({ _tag: 'ReservationIdConflict', sku, reservationId });

/** An attempt under an id derived from the caller and its Idempotency-Key. */
const derived = (replies: ReadonlyArray<HoldReply>, generation = 0): HoldDecision => decideHold({ derivedId: true, generation, replies });
/** An attempt under an id the client chose. */
const clientChosen = (replies: ReadonlyArray<HoldReply>): HoldDecision => decideHold({ derivedId: false, generation: 0, replies });

describe('given every owner holds its line', () => {
  it('answers Held, expiring at the earliest of the owners’ expiries', () => {
    expect(derived([at(A, held({ expiresAt: 900 })), at(B, held({ expiresAt: 300 })), at(C, held({ expiresAt: 600 }))])).toStrictEqual({
      _tag: 'Held',
      expiresAt: after(300),
      createdFresh: [A, B, C],
    });
  });

  it('lists as created fresh only the holds this attempt placed', () => {
    expect(derived([at(A, alreadyHeld()), at(B, held()), at(C, alreadyHeld())])).toMatchObject({ _tag: 'Held', createdFresh: [B] });
  });

  it('answers Held with nothing created fresh on a replay of a reservation already placed', () => {
    expect(clientChosen([at(A, alreadyHeld(600)), at(B, alreadyHeld(900))])).toStrictEqual({ _tag: 'Held', expiresAt: after(600), createdFresh: [] });
  });
});

describe('given one line is short', () => {
  const replies = [at(A, held()), at(B, short(B, 3, 1)), at(C, unanswered())];

  it('refuses with the short line, what it asked and what was available', () => {
    expect(derived(replies)).toMatchObject({ _tag: 'Refused', short: [{ sku: B, requested: 3, available: 1 }] });
  });

  it('releases the hold this attempt placed and the unanswered line, never the short one', () => {
    expect(derived(replies)).toStrictEqual({ _tag: 'Refused', short: [{ sku: B, requested: 3, available: 1 }], declined: [], release: [A, C], remembered: false });
  });

  it('lists every short line, in line order', () => {
    expect(derived([at(A, short(A, 5, 0)), at(B, held()), at(C, short(C, 2, 1))])).toStrictEqual({
      _tag: 'Refused',
      short: [
        { sku: A, requested: 5, available: 0 },
        { sku: C, requested: 2, available: 1 },
      ],
      declined: [],
      release: [B],
      remembered: false,
    });
  });

  it('says the refusal is remembered when every short owner answered one it had recorded before (a retry)', () => {
    const remembered = (sku: Sku, requested: number, available: number): LineReply => ({
      _tag: 'Rejected',
      rejection: { _tag: 'InsufficientStock', sku, location: DefaultLocation, requested, available },
      recordedNow: false,
    });
    expect(derived([at(A, remembered(A, 5, 0))])).toMatchObject({ _tag: 'Refused', remembered: true });
    expect(derived([at(A, remembered(A, 5, 0)), at(B, short(B, 2, 1))])).toMatchObject({ _tag: 'Refused', remembered: false });
  });

  it('refuses rather than spends when another line names a closed hold', () => {
    expect(derived([at(A, closed('released')), at(B, short(B, 3, 1)), at(C, held())])).toMatchObject({ _tag: 'Refused', release: [C] });
  });
});

describe('given the id already holds other terms at one SKU (a conflict)', () => {
  const replies = [at(A, held()), at(B, conflict(B)), at(C, unanswered()), at(D, alreadyHeld())];

  it('answers Conflict and releases only the holds this attempt freshly placed', () => {
    expect(derived(replies)).toStrictEqual({ _tag: 'Conflict', release: [A] });
  });

  it('never releases an unanswered line: the id is someone else’s', () => {
    expect(derived(replies)).not.toMatchObject({ release: expect.arrayContaining([C]) });
  });

  it('never releases a hold that was already there, even under a derived id', () => {
    expect(derived([at(A, alreadyHeld()), at(B, conflict(B))])).toStrictEqual({ _tag: 'Conflict', release: [] });
  });

  it('answers Conflict rather than Refused when another line is short', () => {
    expect(clientChosen([at(A, held()), at(B, short(B, 3, 1)), at(C, conflict(C))])).toStrictEqual({ _tag: 'Conflict', release: [A] });
  });
});

describe('given an owner did not answer', () => {
  it('answers Undecided, saying why for each unanswered SKU', () => {
    expect(derived([at(A, held()), at(B, unanswered('timed out after 2000 ms')), at(C, unanswered('no owner'))])).toMatchObject({
      _tag: 'Undecided',
      why: ['B: timed out after 2000 ms', 'C: no owner'],
    });
  });

  it('releases what it held and the unanswered lines: their holds may have been placed', () => {
    expect(derived([at(A, held()), at(B, unanswered())])).toStrictEqual({ _tag: 'Undecided', why: ['B: timed out'], release: [A, B] });
  });
});

describe('given an owner accepted the hold without describing it', () => {
  it('answers Undecided and releases that line with the others', () => {
    expect(derived([at(A, held()), at(B, { _tag: 'Accepted', fresh: true, hold: undefined })])).toStrictEqual({
      _tag: 'Undecided',
      why: ['B: the owner accepted the hold without describing it'],
      release: [A, B],
    });
  });
});

describe('given an owner answered with a rejection a hold never gets', () => {
  it('answers Undecided, naming the rejection', () => {
    expect(derived([at(A, held()), at(B, rejected({ _tag: 'ExpiryNotDue', sku: B, reservationId, expiresAt: after(900) }))])).toStrictEqual({
      _tag: 'Undecided',
      why: ['B: unexpected rejection ExpiryNotDue'],
      release: [A, B],
    });
  });

  it('treats UnknownReservation the same way', () => {
    expect(derived([at(A, rejected({ _tag: 'UnknownReservation', sku: A, reservationId }))])).toMatchObject({
      _tag: 'Undecided',
      why: ['A: unexpected rejection UnknownReservation'],
    });
  });
});

describe('given the id names a hold that already closed (spent)', () => {
  const replies = [at(A, held()), at(B, closed('released')), at(C, unanswered())];

  it('answers Spent with the closed status, releasing what this attempt held and the unanswered lines', () => {
    expect(derived(replies)).toStrictEqual({ _tag: 'Spent', status: 'released', retry: true, release: [A, C] });
  });

  it('reports an expired hold as spent expired', () => {
    expect(derived([at(A, closed('expired'))])).toMatchObject({ _tag: 'Spent', status: 'expired' });
  });

  it('retries with the next derived id below the last generation', () => {
    expect(derived(replies, MaxHoldAttempts - 2)).toMatchObject({ _tag: 'Spent', retry: true });
  });

  it('does not retry at the last generation of the key', () => {
    expect(derived(replies, MaxHoldAttempts - 1)).toMatchObject({ _tag: 'Spent', retry: false });
  });

  it('does not retry an id the client chose', () => {
    expect(clientChosen(replies)).toMatchObject({ _tag: 'Spent', retry: false });
  });
});

describe('given a hold that was already there (not fresh) when the attempt fails', () => {
  const replies = [at(A, alreadyHeld()), at(B, held()), at(C, short(C, 3, 1))];

  it('releases it under a derived id: it is an earlier attempt of this same request', () => {
    expect(derived(replies)).toMatchObject({ _tag: 'Refused', release: [A, B] });
  });

  it('keeps it under a client-chosen id: it may be another request’s', () => {
    expect(clientChosen(replies)).toMatchObject({ _tag: 'Refused', release: [B] });
  });

  it('keeps it under a client-chosen id when an owner did not answer, releasing the rest', () => {
    expect(clientChosen([at(A, alreadyHeld()), at(B, held()), at(C, unanswered())])).toMatchObject({ _tag: 'Undecided', release: [B, C] });
  });
});

describe('given a derived id whose hold was already committed', () => {
  // The shell replays an answered request from its record before it asks again, so reaching this means
  // the key is being reused after its record is gone: a new request, under the key's next id.
  it('answers Spent committed and still moves the key to its next id', () => {
    expect(derived([at(A, closed('committed')), at(B, closed('committed'))])).toStrictEqual({
      _tag: 'Spent',
      status: 'committed',
      retry: true,
      release: [],
    });
  });
});

// ---- properties over random replies --------------------------------------------------------------

const skus = [A, B, C, D];

const rejectionsAt = (sku: Sku): ReadonlyArray<Rejection> => [
  { _tag: 'InsufficientStock', sku, location: DefaultLocation, requested: 3, available: 1 },
  { _tag: 'ReservationIdConflict', sku, reservationId },
  { _tag: 'ReservationAlreadyExpired', sku, reservationId, expiresAt: after(900) },
  { _tag: 'ReservationAlreadyReleased', sku, reservationId },
  { _tag: 'ReservationAlreadyCommitted', sku, reservationId },
  { _tag: 'UnknownReservation', sku, reservationId },
  { _tag: 'ExpiryNotDue', sku, reservationId, expiresAt: after(900) },
];

const holdSeen = fc.record({
  status: fc.constantFrom<ReservationStatus>('held', 'committed', 'released', 'expired'),
  qty: fc.integer({ min: 1, max: 10 }).map((n) => Quantity.make(n)),
  expiresAt: fc.integer({ min: 0, max: 3_600 }).map((s) => after(s)),
});

const replyAt = (sku: Sku): fc.Arbitrary<LineReply> =>
  fc.oneof(
    fc
      .record({ fresh: fc.boolean(), hold: fc.option(holdSeen, { nil: undefined }) })
      .map(({ fresh, hold }): LineReply => ({ _tag: 'Accepted', fresh, hold })),
    fc.constantFrom(...rejectionsAt(sku)).map((rejection): LineReply => ({ _tag: 'Rejected', rejection })),
    fc.constantFrom('timed out', 'no owner', 'retry').map((why): LineReply => ({ _tag: 'Unanswered', why })),
  );

const attempt: fc.Arbitrary<HoldAttempt> = fc.record({
  derivedId: fc.boolean(),
  generation: fc.integer({ min: 0, max: MaxHoldAttempts - 1 }),
  replies: fc.uniqueArray(
    fc.constantFrom(...skus).chain((sku) => replyAt(sku).map((reply) => ({ sku, reply }))),
    { selector: (r) => r.sku, minLength: 1, maxLength: skus.length },
  ),
});

const isHeld = (reply: LineReply): boolean => reply._tag === 'Accepted' && reply.hold?.status === 'held';
const isShort = (reply: LineReply): boolean => reply._tag === 'Rejected' && reply.rejection._tag === 'InsufficientStock';

describe('given any replies to an attempt', () => {
  it('answers Held only when every owner accepted and holds its line, and never releases a short line', () => {
    fc.assert(
      fc.property(attempt, (a) => {
        const decision = decideHold(a);
        if (decision._tag === 'Held') expect(a.replies.every(({ reply }) => isHeld(reply))).toBe(true);
        const shortSkus = a.replies.flatMap(({ sku, reply }) => (isShort(reply) ? [sku] : []));
        const release = decision._tag === 'Held' ? [] : decision.release;
        expect(release.filter((sku) => shortSkus.includes(sku))).toStrictEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('reaches every decision over 1,000 sampled attempts (the property above is not vacuous)', () => {
    const seen = new Set(fc.sample(attempt, { numRuns: 1_000, seed: 42 }).map((a) => decideHold(a)._tag));
    expect([...seen].sort()).toStrictEqual(['Conflict', 'Held', 'Refused', 'Spent', 'Undecided']);
  });
});
