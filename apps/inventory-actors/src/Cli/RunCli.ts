// `larder`'s whole run as a value: parse the command line, run the command in its own scope (every
// connection it opened is closed before this returns), and turn the outcome into what to print and the
// exit code. Never fails: every error becomes one line on stderr.
import { ConfigError, Effect } from 'effect';
import { parseCliArgs } from './CliArgs.js';
import { CliConfig } from './CliConfig.js';
import { describeError } from './CliErrors.js';
import { Commands } from './Commands.js';
import { synopsisOf, usage } from './Usage.js';

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A mistake in the command line: the one line, then the whole usage only when the command itself is wrong. */
const usageError = (message: string, full = false): CliRun => ({
  exitCode: 2,
  stdout: '',
  stderr: `larder: ${message}\n${full ? `\n${usage(Commands)}\n` : 'larder help lists every command\n'}`,
});
const failure = (message: string): CliRun => ({ exitCode: 1, stdout: '', stderr: `larder: ${message}\n` });

export const runCli = (argv: ReadonlyArray<string>): Effect.Effect<CliRun> =>
  Effect.gen(function* () {
    const parsed = parseCliArgs(argv);
    if (parsed._tag === 'Left') return usageError(parsed.left.message);
    const args = parsed.right;
    if (args.command === 'help' || args.help) return { exitCode: 0, stdout: `${usage(Commands)}\n`, stderr: '' };
    if (args.command === '') return usageError('no command given', true);
    const command = Commands.find((c) => c.name === args.command);
    if (command === undefined) return usageError(`unknown command "${args.command}"`, true);
    if (args.positionals.length !== command.arity) return usageError(`wrong number of arguments; usage: ${synopsisOf(command)}`);
    const foreign = [...args.given].filter((o) => !command.options.includes(o));
    if (foreign.length > 0) return usageError(`${command.name} takes no --${foreign.join(', --')}; usage: ${synopsisOf(command)}`);

    const config = yield* CliConfig;
    const run = yield* Effect.promise(command.load);
    const result = yield* Effect.scoped(run({ args, config }));
    const stdout = args.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.lines.join('\n')}\n`;
    return { exitCode: result.exitCode, stdout, stderr: '' };
  }).pipe(
    Effect.catchAll((error) => {
      if (ConfigError.isConfigError(error)) return Effect.succeed(failure(`configuration: ${String(error)}`));
      if (error._tag === 'UsageError') return Effect.succeed(usageError(error.message));
      return Effect.succeed(failure(error.message));
    }),
    Effect.catchAllDefect((defect) => Effect.succeed(failure(`unexpected failure: ${describeError(defect)}`))),
  );
