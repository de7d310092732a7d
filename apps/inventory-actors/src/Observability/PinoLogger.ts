// Effect's logs as pino JSON lines (one per log call), with the fiber's annotations (shard, sku,
// command id) as fields, so an operator can grep a command through the runner at 3 a.m.
import { Cause, HashMap, Logger, LogLevel } from 'effect';
import { pino, type Logger as Pino } from 'pino';

export const makePino = (name: string): Pino => pino({ name, level: process.env['LOG_LEVEL'] ?? 'info' });

export const pinoLogger = (log: Pino) =>
  Logger.make(({ logLevel, message, annotations, cause }) => {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of HashMap.entries(annotations)) fields[key] = value;
    if (!Cause.isEmpty(cause)) fields['cause'] = Cause.pretty(cause);
    const parts = Array.isArray(message) ? message : [message];
    const [first, ...rest] = parts;
    if (rest.length > 0) fields['detail'] = rest.map((r) => (r instanceof Error ? r.message : r));
    const text = typeof first === 'string' ? first : JSON.stringify(first);
    if (LogLevel.greaterThanEqual(logLevel, LogLevel.Error)) log.error(fields, text);
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)) log.warn(fields, text);
    else if (LogLevel.greaterThanEqual(logLevel, LogLevel.Info)) log.info(fields, text);
    else log.debug(fields, text);
  });

export const PinoLoggerLayer = (log: Pino) => Logger.replace(Logger.defaultLogger, pinoLogger(log));
