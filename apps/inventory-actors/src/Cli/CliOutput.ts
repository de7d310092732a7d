// What a command hands back to the entry point: its exit code, the lines a person reads, and the
// value `--json` prints for scripts. Commands never write to stdout themselves.
export interface CliOutput {
  /** 0: done and healthy; 1: done, and what it found needs attention (drift, a shard without an owner…). */
  readonly exitCode: 0 | 1;
  readonly lines: ReadonlyArray<string>;
  readonly json: unknown;
}

export const output = (lines: ReadonlyArray<string>, json: unknown, exitCode: 0 | 1 = 0): CliOutput => ({ exitCode, lines, json });
