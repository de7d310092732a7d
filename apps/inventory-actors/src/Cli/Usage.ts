// The usage text of `larder`, built from the command table so it never lists a command that is not there.
import type { Command } from './Command.js';

const optionHelp: Record<string, string> = {
  before: '--before YYYY-MM-DD',
  limit: '--limit N',
  sku: '--sku S',
  timeout: '--timeout SECONDS',
};

export const synopsisOf = (command: Command): string =>
  ['larder', command.name, command.synopsis, ...command.options.map((o) => `[${optionHelp[o] ?? `--${o}`}]`), '[--json]'].filter((p) => p !== '').join(' ');

export const usage = (commands: ReadonlyArray<Command>): string =>
  [
    'usage: larder <command> [arguments] [--json]',
    '',
    'commands:',
    ...commands.flatMap((c) => [`  ${synopsisOf(c)}`, `      ${c.summary}`]),
    '  larder help',
    '      this text',
    '',
    'Reads the runner\'s environment: NATS_URL (and NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_NKEY, NATS_TLS_*),',
    'LARDER_NAMESPACE, LARDER_SHARDS, DATABASE_URL, LARDER_DB_SCHEMA, REDIS_URL, LARDER_REDIS_PREFIX.',
    '--json prints one JSON document for scripts. Exit codes: 0 ok, 1 failed or found a problem, 2 usage.',
  ].join('\n');
