// Effect's logs as pino JSON lines (one per log call), with the fiber's annotations (shard, sku,
// command id) as fields, so an operator can grep a command through the runner at 3 a.m. Every line
// the runner writes goes through this one pino logger: one format per process (`npm start` pretty-prints it).
import { Cause, HashMap, Layer, Logger, LogLevel } from 'effect';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

/** The runner's pino logger at `LOG_LEVEL` (info by default), on stdout unless a destination is given. */
export const makePino = (name: string, destination?: DestinationStream): Pino => {
  const options = { name, level: process.env['LOG_LEVEL'] ?? 'info' };
  return destination === undefined ? pino(options) : pino(options, destination);
};

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

/** Effect's level for pino's: `LOG_LEVEL=debug` must reach Effect's `logDebug` calls too (Effect stops at info by default). */
const effectLevel = (level: string): LogLevel.LogLevel => {
  switch (level) {
    case 'trace':
      return LogLevel.Trace;
    case 'debug':
      return LogLevel.Debug;
    case 'warn':
      return LogLevel.Warning;
    case 'error':
      return LogLevel.Error;
    case 'fatal':
      return LogLevel.Fatal;
    case 'silent':
      return LogLevel.None;
    default:
      return LogLevel.Info;
  }
};

export const PinoLoggerLayer = (log: Pino) =>
  Layer.merge(Logger.replace(Logger.defaultLogger, pinoLogger(log)), Logger.minimumLogLevel(effectLevel(log.level)));
