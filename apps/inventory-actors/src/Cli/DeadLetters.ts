// `larder dlq list|replay [--limit N]`: the dead letters in INV_DLQ with the reason each command
// failed, and their replay to the subject they came from once the cause is fixed (a command applied
// before is recognised by its id and not applied twice).
import { deadLetterEntry, listDeadLetters, replayDeadLetters } from '@larder/messaging';
import { Effect } from 'effect';
import type { CommandRun } from './Command.js';
import { UsageError } from './CliErrors.js';
import { output } from './CliOutput.js';
import { openNatsSession } from './NatsSession.js';
import { renderTable } from './RenderTable.js';

const DefaultLimit = 1_000;

export const deadLetters: CommandRun = ({ args, config }) =>
  Effect.gen(function* () {
    const verb = args.positionals[0];
    if (verb !== 'list' && verb !== 'replay') return yield* new UsageError({ message: `dlq takes "list" or "replay", not "${verb ?? ''}"` });
    const limit = args.limit ?? DefaultLimit;
    const session = yield* openNatsSession(config);
    const { names, jsm, js } = session;
    const stream = names.deadLetters.stream;

    if (verb === 'replay') {
      const result = yield* Effect.tryPromise({ try: () => replayDeadLetters(js, jsm, names, limit), catch: session.failure(`stream ${stream}`) });
      const lines = [
        `replayed ${result.replayed} dead letter(s) to their subjects`,
        ...result.skipped.map((s) => `kept seq ${s.seq}: ${s.why}`),
        ...(result.skipped.length === 0 ? [] : [`${result.skipped.length} dead letter(s) cannot be replayed and stay in ${stream}`]),
      ];
      return output(lines, result, result.skipped.length === 0 ? 0 : 1);
    }

    const listed = yield* Effect.tryPromise({ try: () => listDeadLetters(jsm, names, limit), catch: session.failure(`stream ${stream}`) });
    const letters = listed.map(deadLetterEntry);
    const table = renderTable(
      ['SEQ', 'FAILED AT', 'DELIVERIES', 'SUBJECT', 'REASON'],
      letters.map((l) =>
        l.readable
          ? [String(l.seq), l.failedAt, String(l.deliveries), l.subject, l.reason]
          : [String(l.seq), '-', '-', '-', `unreadable dead letter: ${l.undecodable}`],
      ),
    );
    const lines =
      letters.length === 0
        ? [`no dead letters in ${stream}`]
        : [...table, `${letters.length} dead letter(s)${letters.length === limit ? ` (the first ${limit}; --limit shows more)` : ''}; fix the cause, then larder dlq replay`];
    return output(lines, { stream, letters });
  });
