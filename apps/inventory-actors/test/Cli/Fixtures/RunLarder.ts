// Runs the `larder` CLI as an operator would: a child process on the entry file with the deployment's
// environment, and everything it printed and its exit code once it has exited.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LarderRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const entry = fileURLToPath(new URL('../../../src/larder.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../../../', import.meta.url));

export const runLarder = (env: Readonly<Record<string, string>>, args: ReadonlyArray<string>, timeoutMs = 60_000): Promise<LarderRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', entry, ...args],
      // From the repository root, as `npm run larder` runs it; LOG_LEVEL and the like stay as the fixture set them.
      { cwd: root, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** `--json` output, parsed; fails with what it printed when it is not JSON. */
export const jsonOf = (run: LarderRun): unknown => {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`larder printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
};
