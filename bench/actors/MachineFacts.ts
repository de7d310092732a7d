// The facts a result is meaningless without: the machine, the runtimes and the revision measured.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';

export interface MachineFacts {
  readonly hostname: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly natsServer: string;
  readonly loadAverageAtStart: ReadonlyArray<number>;
  readonly gitCommit: string | null;
  /** Uncommitted changes in the work tree measured (`git status --porcelain`, at most 100 lines). */
  readonly gitDirtyFiles: ReadonlyArray<string> | null;
}

const git = (args: ReadonlyArray<string>): string | null => {
  try {
    return execFileSync('git', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

export const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

export const machineFacts = (nc: NatsConnection): MachineFacts => {
  const status = git(['status', '--porcelain']);
  return {
    hostname: os.hostname(),
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    natsServer: nc.info?.version ?? 'unknown',
    loadAverageAtStart: loadAverage(),
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirtyFiles: status === null ? null : status.split('\n').filter((l) => l.length > 0).slice(0, 100),
  };
};
