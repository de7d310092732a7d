// The API benchmark's knobs from the command line: 10 s per scenario at 50 connections by default,
// `--smoke` for a run of seconds that only proves the wiring.
import { parseArgs } from 'node:util';

export interface ApiBenchOptions {
  readonly smoke: boolean;
  /** Measured seconds per scenario. */
  readonly durationSeconds: number;
  /** Seconds of the same load sent first and not measured (JIT, connection set-up). */
  readonly warmupSeconds: number;
  /** Concurrent keep-alive connections, each with one request in flight (closed loop). */
  readonly connections: number;
  /** SKUs seeded for reads; the batch read asks for all of them. */
  readonly readSkus: number;
  /** Only the scenarios whose id contains one of these (all when empty). */
  readonly only: ReadonlyArray<string>;
}

const full = { durationSeconds: 10, warmupSeconds: 2, connections: 50, readSkus: 20 };
const smoke = { durationSeconds: 2, warmupSeconds: 1, connections: 50, readSkus: 20 };

const positive = (flag: string, raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${flag} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
};

export const parseApiBenchOptions = (argv: ReadonlyArray<string>): ApiBenchOptions => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'read-skus': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const base = values.smoke ? smoke : full;
  return {
    smoke: values.smoke,
    durationSeconds: positive('duration', values.duration, base.durationSeconds),
    warmupSeconds: positive('warmup', values.warmup, base.warmupSeconds),
    connections: positive('connections', values.connections, base.connections),
    // The batch route takes at most 100 SKUs.
    readSkus: positive('read-skus', values['read-skus'], base.readSkus, 100),
    only: (values.only ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
  };
};
