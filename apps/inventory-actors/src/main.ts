#!/usr/bin/env node
// Entry point of a shard runner process: wiring only (STYLE.md habit 9). SIGTERM or SIGINT
// interrupts the runner, which drains before the process exits.
import { Cause, Effect, Exit, Fiber } from 'effect';
import { makePino, PinoLoggerLayer } from './Observability/PinoLogger.js';
import { runRunner } from './Runner.js';

const log = makePino('larder-runner');
const fiber = Effect.runFork(Effect.scoped(runRunner).pipe(Effect.provide(PinoLoggerLayer(log))));

const stop = (signal: string) => {
  log.info({ signal }, 'stopping: draining shards');
  void Effect.runPromise(Fiber.interrupt(fiber)).then(() => {
    log.info({ signal }, 'stopped');
    process.exit(0);
  });
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

fiber.addObserver((exit) => {
  if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
    log.fatal({ cause: Cause.pretty(exit.cause) }, 'runner failed');
    process.exit(1);
  }
});
