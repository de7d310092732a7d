// A runner id from the command line, checked like every process id on the wire.
import { ProcessId } from '@larder/messaging';
import { Effect, ParseResult, Schema } from 'effect';
import { UsageError } from './CliErrors.js';

export const parseRunnerId = (raw: string | undefined) =>
  Schema.decodeUnknown(ProcessId)(raw).pipe(
    Effect.mapError(
      (error) =>
        new UsageError({ message: `"${raw ?? ''}" is not a runner id (${ParseResult.TreeFormatter.formatErrorSync(error)}); larder runners lists them` }),
    ),
  );
