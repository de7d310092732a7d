// The command line of `larder`: a command, its positional arguments and the few options any command
// may take (node's own parseArgs; unknown options are refused, never ignored).
import { parseArgs } from 'node:util';
import { Either } from 'effect';
import { describeError, UsageError } from './CliErrors.js';

export type OptionName = 'before' | 'limit' | 'sku' | 'timeout';

export interface CliArgs {
  /** Empty when none was given. */
  readonly command: string;
  readonly positionals: ReadonlyArray<string>;
  readonly json: boolean;
  readonly help: boolean;
  /** Options given, by name (checked against the command's own list by `runCli`). */
  readonly given: ReadonlySet<OptionName>;
  readonly limit: number | undefined;
  readonly sku: string | undefined;
  /** `--before YYYY-MM-DD` as given (the command that takes it checks it). */
  readonly before: string | undefined;
  /** `--timeout <seconds>`, in milliseconds. */
  readonly timeoutMs: number | undefined;
}

const positiveInt = (name: string, raw: string | undefined): Either.Either<number | undefined, UsageError> => {
  if (raw === undefined) return Either.right(undefined);
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? Either.right(n) : Either.left(new UsageError({ message: `--${name} takes a whole number above 0, not "${raw}"` }));
};

export const parseCliArgs = (argv: ReadonlyArray<string>): Either.Either<CliArgs, UsageError> =>
  Either.gen(function* () {
    const parsed = yield* Either.try({
      try: () =>
        parseArgs({
          args: [...argv],
          allowPositionals: true,
          strict: true,
          options: {
            before: { type: 'string' },
            json: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
            limit: { type: 'string' },
            sku: { type: 'string' },
            timeout: { type: 'string' },
          },
        }),
      catch: (error) => new UsageError({ message: describeError(error) }),
    });
    const { values, positionals } = parsed;
    const [command = '', ...rest] = positionals;
    const limit = yield* positiveInt('limit', values.limit);
    const timeout = yield* positiveInt('timeout', values.timeout);
    const given = new Set<OptionName>();
    if (values.before !== undefined) given.add('before');
    if (values.limit !== undefined) given.add('limit');
    if (values.sku !== undefined) given.add('sku');
    if (values.timeout !== undefined) given.add('timeout');
    return {
      command,
      positionals: rest,
      json: values.json ?? false,
      help: values.help ?? false,
      given,
      limit,
      sku: values.sku,
      before: values.before,
      timeoutMs: timeout === undefined ? undefined : timeout * 1_000,
    };
  });
