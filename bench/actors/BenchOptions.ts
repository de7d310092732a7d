// The benchmark's knobs from the command line, with defaults sized for a ~2 minute run on 2 cores
// and `--smoke` for a run of seconds that only proves the wiring.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  readonly smoke: boolean;
  /** Measured commands of the one-hot-SKU scenarios with group commit on. */
  readonly hot: number;
  /** …and with group commit off: one append per command makes them 10–20× slower. */
  readonly hotOff: number;
  /** Measured commands of the spread scenarios (a random SKU of `skus` per command), on and off. */
  readonly spread: number;
  /** Closed-loop clients (request path) or publishes in flight (INV_CMD). */
  readonly clients: number;
  /** SKUs of the spread scenarios. */
  readonly skus: number;
  /** Commands sent before the clock starts, so JIT and actor activation are not measured. */
  readonly warmup: number;
  /** Only the scenarios whose id contains one of these (all when empty). */
  readonly only: ReadonlyArray<string>;
  /** Write a V8 CPU profile of every runner child into this folder (`--cpu-prof`). */
  readonly profileDir: string | null;
}

const full = { hot: 20_000, hotOff: 2_500, spread: 5_000, clients: 200, skus: 1_000, warmup: 500 };
const smoke = { hot: 400, hotOff: 200, spread: 400, clients: 20, skus: 50, warmup: 50 };

const positive = (flag: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
};

export const parseBenchOptions = (argv: ReadonlyArray<string>): BenchOptions => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      'profile-runner': { type: 'string' },
      hot: { type: 'string' },
      'hot-off': { type: 'string' },
      spread: { type: 'string' },
      clients: { type: 'string' },
      skus: { type: 'string' },
      warmup: { type: 'string' },
    },
    strict: true,
  });
  const base = values.smoke ? smoke : full;
  return {
    smoke: values.smoke,
    hot: positive('hot', values.hot, base.hot),
    hotOff: positive('hot-off', values['hot-off'], base.hotOff),
    spread: positive('spread', values.spread, base.spread),
    clients: positive('clients', values.clients, base.clients),
    skus: positive('skus', values.skus, base.skus),
    warmup: positive('warmup', values.warmup, base.warmup),
    only: (values.only ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    profileDir: values['profile-runner'] ?? null,
  };
};
