// CPU seconds used so far by a process and by the whole machine, read from /proc (Linux), to tell who
// was saturated during a measurement, and how much else competed for the cores. Null where /proc cannot say.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const cpuSecondsOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
};

const commOf = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return ''; // gone meanwhile
  }
};

/** Pids of local processes with one of these names (`/proc/<pid>/comm`). */
export const pidsNamed = (names: ReadonlyArray<string>): ReadonlyArray<number> => {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d) && names.includes(commOf(d)))
      .map(Number);
  } catch {
    return [];
  }
};

/** The pid of the one local nats-server, if exactly one runs here. */
export const localNatsServerPid = (): number | null => {
  const pids = pidsNamed(['nats-server']);
  return pids.length === 1 ? (pids[0] ?? null) : null;
};

/** CPU seconds of a group of processes, by pid (those that are gone are left out). */
const groupSeconds = (pids: ReadonlyArray<number>): Map<number, number> =>
  new Map(
    pids.flatMap((pid) => {
      const seconds = cpuSecondsOf(pid);
      return seconds === null ? [] : [[pid, seconds] as const];
    }),
  );

/** CPU seconds every core of the machine has spent busy (not idle, not waiting on I/O). */
export const machineBusySeconds = (): number | null => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...ticks] = line.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
  } catch {
    return null;
  }
};

/** How busy the machine is now: % of one core over `ms`, all cores summed (200 = a 2-core machine flat out). */
export const machineBusyPercent = async (ms: number): Promise<number | null> => {
  const before = machineBusySeconds();
  await new Promise((done) => setTimeout(done, ms));
  const after = machineBusySeconds();
  return before === null || after === null ? null : Math.round(((after - before) / (ms / 1000)) * 100);
};

const percentOf = (before: number | null | undefined, after: number | null, wallSeconds: number) =>
  before === null || before === undefined || after === null ? null : Math.round(((after - before) / wallSeconds) * 100);

/**
 * CPU use between `start` and the call of the returned function, in % of one core: each process,
 * local Postgres and Redis processes (`pgRedis`, serving every client, not only this benchmark), the
 * whole machine, and `other` = the machine less all of those (unrelated work competing for the cores).
 */
export const cpuWindow = (pids: Readonly<Record<string, number | null>>) => {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === null ? null : cpuSecondsOf(pid)]));
  const dbBefore = groupSeconds(pidsNamed(['postgres', 'redis-server']));
  const machineBefore = machineBusySeconds();
  return (): Record<string, number | null> => {
    const wall = (performance.now() - t0) / 1000;
    const each = Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [k, percentOf(before[k], pid === null ? null : cpuSecondsOf(pid), wall)]),
    );
    let db = 0;
    for (const [pid, after] of groupSeconds([...dbBefore.keys()])) db += after - (dbBefore.get(pid) ?? after);
    const pgRedis = Math.round((db / wall) * 100);
    const machine = percentOf(machineBefore, machineBusySeconds(), wall);
    const ours = Object.values(each).reduce<number | null>((sum, v) => (sum === null || v === null ? null : sum + v), pgRedis);
    return { ...each, pgRedis, machine, other: machine === null || ours === null ? null : Math.max(0, machine - ours) };
  };
};
