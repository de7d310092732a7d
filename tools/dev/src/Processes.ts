// Child processes of `npm start`: a runner and an API instance started from their sources, each
// awaited until it logs that it is ready, and stopped by its own pid (never by name).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts `entry` (relative to the repository) and resolves when a log line contains `ready`. */
export const startChild = (name: string, entry: string, env: Readonly<Record<string, string>>, ready: string): Promise<Child> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', `${root}${entry}`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let seen = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (!seen && chunk.toString().includes(ready)) {
        seen = true;
        resolve({ name, process: child, exited });
      }
    });
    void exited.then((code) => {
      if (!seen) reject(new Error(`${name} exited (code ${code}) before it was ready; its log is above`));
    });
  });

/** SIGTERM, then SIGKILL if it has not drained after `graceMs`. */
export const stopChild = async (child: Child, graceMs = 15_000) => {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
};
