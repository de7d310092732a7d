// When the confirming ping of gone peers is sent (ConfirmGone.ts): a renewal interval + margin after
// each peer was last heard from, never earlier, never later than a full interval from now.
import { describe, expect, it } from 'vitest';
import { ConfirmGoneMarginMs, confirmGoneAfterMs } from '../../src/Ownership/ConfirmGone.js';

const renewEveryMs = 500;
const full = renewEveryMs + ConfirmGoneMarginMs;
const now = 1_000_000;

describe('confirmGoneAfterMs', () => {
  it('given a peer last heard 400 ms ago, when it is found gone, then the confirmation waits the rest of the interval', () => {
    expect(confirmGoneAfterMs([now - 400], now, renewEveryMs)).toBe(full - 400);
  });

  it('given a peer silent for longer than the interval, then the confirmation is at once', () => {
    expect(confirmGoneAfterMs([now - full - 1_000], now, renewEveryMs)).toBe(0);
  });

  it('given a peer with no membership (only a lease), then the whole interval is waited', () => {
    expect(confirmGoneAfterMs([undefined], now, renewEveryMs)).toBe(full);
  });

  it('given a heartbeat in the future by this clock (skew), then no credit is taken', () => {
    expect(confirmGoneAfterMs([now + 5_000], now, renewEveryMs)).toBe(full);
  });

  it('given several gone peers, then the latest heard of sets the wait', () => {
    expect(confirmGoneAfterMs([now - 700, now - 100, now - 2_000], now, renewEveryMs)).toBe(full - 100);
  });

  it('given no peers, then nothing is waited', () => {
    expect(confirmGoneAfterMs([], now, renewEveryMs)).toBe(0);
  });
});
