#!/usr/bin/env node
// Entry point of an API instance: wiring only. SIGTERM or SIGINT stops taking connections, lets
// in-flight requests finish, then closes NATS, Redis and Postgres.
import { Cause, Effect, Exit, Fiber } from 'effect';
import { pino } from 'pino';
import { startApi } from './Server.js';

const log = pino({ name: 'larder-api', level: process.env['LOG_LEVEL'] ?? 'info' });
const fiber = Effect.runFork(
  Effect.scoped(
    startApi(log).pipe(
      Effect.tap(({ url }) => Effect.sync(() => log.info({ url }, 'api ready'))),
      Effect.zipRight(Effect.never),
    ),
  ),
);

const stop = (signal: string) => {
  log.info({ signal }, 'stopping: draining requests');
  void Effect.runPromise(Fiber.interrupt(fiber)).then(() => {
    log.info({ signal }, 'stopped');
    process.exit(0);
  });
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

fiber.addObserver((exit) => {
  if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
    log.fatal({ cause: Cause.pretty(exit.cause) }, 'api failed');
    process.exit(1);
  }
});
