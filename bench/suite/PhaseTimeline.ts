// A measured window second by second, to tell a stall from a steady cost: per second, the reads
// answered and the slowest of them (from its send), and the CPU of each process named and of the whole
// machine (% of one core), from /proc. One timer a second in the bench process; nothing per request
// but a counter and a comparison.
import { cpuSecondsOf, machineBusySeconds } from '../actors/ProcessCpu.js';

export interface TimelineSecond {
  /** From 1: the second that ended at this many seconds into the window. */
  readonly second: number;
  readonly reads: number;
  readonly worstReadMs: number;
  /** % of one core by process name, and `machine` (every core, everything running). */
  readonly cpu: Readonly<Record<string, number | null>>;
}

export interface PhaseTimeline {
  /** One read answered, `ms` after it was sent. */
  readonly record: (ms: number) => void;
  readonly stop: () => ReadonlyArray<TimelineSecond>;
}

export const startTimeline = (pids: Readonly<Record<string, number | null>>): PhaseTimeline => {
  const sample = (): { readonly at: number; readonly cpu: Readonly<Record<string, number | null>> } => ({
    at: performance.now(),
    cpu: { ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === null ? null : cpuSecondsOf(pid)])), machine: machineBusySeconds() },
  });
  const seconds: Array<TimelineSecond> = [];
  let reads = 0;
  let worst = 0;
  let last = sample();
  const close = () => {
    const now = sample();
    const wall = (now.at - last.at) / 1000;
    const cpu = Object.fromEntries(
      Object.entries(now.cpu).map(([name, after]) => {
        const before = last.cpu[name];
        return [name, after === null || before === null || before === undefined || wall === 0 ? null : Math.round(((after - before) / wall) * 100)];
      }),
    );
    seconds.push({ second: seconds.length + 1, reads, worstReadMs: Math.round(worst * 10) / 10, cpu });
    reads = 0;
    worst = 0;
    last = now;
  };
  // Unref'd: a window that throws before `stop` must not keep the bench process alive.
  const timer = setInterval(close, 1_000);
  timer.unref();
  return {
    record: (ms) => {
      reads++;
      if (ms > worst) worst = ms;
    },
    stop: () => {
      clearInterval(timer);
      if (reads > 0) close();
      return seconds;
    },
  };
};
