// Load for the fault tests: workers place single-unit holds on a set of SKUs over the request path,
// retrying each unanswered command with the same id until it gets a definite answer, and a checker
// that compares every acknowledged hold with the journal and the final stock.
import { positionAt, type Sku } from '@larder/domain';
import { Either } from 'effect';
import { expect } from 'vitest';
import { mainLocation, reserve, restock, sku } from './Commands.js';
import { journalOf, replayedState } from './JournalOf.js';
import type { RunnerFixture } from './RunnerFixture.js';

export interface HoldLoadResult {
  /** reservation id → SKU, for every hold answered Accepted. */
  readonly accepted: ReadonlyMap<string, Sku>;
  /** Answered Rejected (out of stock): must not be in the journal. */
  readonly refused: ReadonlySet<string>;
  /** Answers that said "retry" or no answer in time (each was retried). */
  readonly retries: number;
}

export interface HoldLoad {
  /** Holds acknowledged so far. */
  readonly accepted: () => number;
  /** Holds refused so far (out of stock). */
  readonly refused: () => number;
  /** Stops placing new holds, settles every command in hand (same ids), and returns the tally. */
  readonly stop: () => Promise<HoldLoadResult>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `count` SKUs `<prefix>-<i>`, each restocked with `units` over the request path (every restock answered). */
export const stockUp = async (f: RunnerFixture, prefix: string, count: number, units: number): Promise<ReadonlyArray<Sku>> => {
  const skus = Array.from({ length: count }, (_, i) => sku(`${prefix}-${i}`));
  for (const s of skus) expect(Either.isRight(await f.request(restock(s, units), 10_000))).toBe(true);
  return skus;
};

export const startHoldLoad = (f: RunnerFixture, skus: ReadonlyArray<Sku>, workers: number, label: string): HoldLoad => {
  const accepted = new Map<string, Sku>();
  const refused = new Set<string>();
  let retries = 0;
  let running = true;
  const settleDeadline = { at: Infinity };

  const settle = async (s: Sku, id: string) => {
    const command = reserve(s, id);
    for (;;) {
      const reply = await f.request(command, 2_000);
      if (Either.isRight(reply) && reply.right._tag === 'Accepted') return void accepted.set(id, s);
      if (Either.isRight(reply) && reply.right._tag === 'Rejected') return void refused.add(id);
      retries++;
      if (Date.now() > settleDeadline.at) throw new Error(`hold ${id} on ${s} got no definite answer before the deadline`);
      await sleep(100);
    }
  };

  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      const s = skus[(w + n) % skus.length];
      if (s === undefined) return;
      await settle(s, `${label}-${w}-${n}`);
    }
  };
  const all = Array.from({ length: workers }, (_, w) => worker(w));

  return {
    accepted: () => accepted.size,
    refused: () => refused.size,
    stop: async () => {
      running = false;
      settleDeadline.at = Date.now() + 60_000;
      await Promise.all(all);
      return { accepted, refused, retries };
    },
  };
};

/**
 * Every acknowledged hold is in the journal exactly once, no refused or unknown hold is, nothing is
 * oversold, and the journal's epochs never go back (a runner that lost its lease wrote nothing after
 * its successor).
 */
export const expectExactlyOnce = async (f: RunnerFixture, skus: ReadonlyArray<Sku>, result: HoldLoadResult, unitsPerSku: number) => {
  for (const s of skus) {
    const records = await journalOf(f, s);
    const held = records.flatMap((r) => r.events.flatMap((e) => (e._tag === 'StockReserved' ? [e.reservationId] : [])));
    expect(new Set(held).size, `${s}: a hold applied twice`).toBe(held.length);
    const acked = [...result.accepted].filter(([, sku]) => sku === s).map(([id]) => id);
    expect([...held].sort(), `${s}: journal holds vs acknowledged holds`).toEqual(acked.sort());
    const epochs = records.map((r) => r.epoch);
    expect(epochs, `${s}: an append from an older epoch after a newer one`).toEqual([...epochs].sort((a, b) => a - b));
    const position = positionAt(await replayedState(f, s), mainLocation);
    expect(position.onHand).toBe(unitsPerSku);
    expect(position.reserved, `${s}: oversold`).toBeLessThanOrEqual(position.onHand);
    expect(position.reserved).toBe(held.length);
  }
};

/** The runner id a child process logged (`"runner":"runner-…"`). */
export const runnerIdOf = (output: string): string => {
  const match = /"runner":"(runner-[A-Za-z0-9_-]+)"/.exec(output);
  if (match?.[1] === undefined) throw new Error(`no runner id in the process output:\n${output.slice(-2_000)}`);
  return match[1];
};
