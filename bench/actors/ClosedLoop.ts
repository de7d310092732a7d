// Closed-loop load: `clients` workers, each sending its next command only when the previous one
// was answered, until `total` were sent or `stop()` was called. Latencies in ms, by index.
export interface ClosedLoop {
  readonly latencies: Float64Array;
  /** How many were started (less than `total` when stopped early). */
  readonly started: () => number;
  readonly done: Promise<void>;
  readonly stop: () => void;
}

export const runClosedLoop = (total: number, clients: number, one: (i: number) => Promise<void>): ClosedLoop => {
  const latencies = new Float64Array(total);
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < total) {
      const i = next++;
      const t0 = performance.now();
      await one(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const done = Promise.all(Array.from({ length: Math.min(clients, total) }, worker)).then(() => undefined);
  return { latencies, started: () => next, done, stop: () => (stopped = true) };
};
