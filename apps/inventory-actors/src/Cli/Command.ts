// The shape of one `larder` command: its name, arguments and options for the usage text, and how to
// load what it does (each command's module is imported only when it runs, so `larder runners` does
// not pay for loading Postgres). A command runs in a scope: connections it opens close when it returns.
import type { Effect, Scope } from 'effect';
import type { CliArgs, OptionName } from './CliArgs.js';
import type { CliConfig } from './CliConfig.js';
import type { CliError, UsageError } from './CliErrors.js';
import type { CliOutput } from './CliOutput.js';

export interface CommandInput {
  readonly args: CliArgs;
  readonly config: CliConfig;
}

export type CommandRun = (input: CommandInput) => Effect.Effect<CliOutput, CliError | UsageError, Scope.Scope>;

export interface Command {
  readonly name: string;
  /** e.g. `<shard> <runnerId>`. */
  readonly synopsis: string;
  readonly summary: string;
  /** How many positional arguments it takes (after the command's name). */
  readonly arity: number;
  readonly options: ReadonlyArray<OptionName>;
  readonly load: () => Promise<CommandRun>;
}
