// Keeps `larder_dlq_depth` current: polls the message count of INV_DLQ (one stream-info request)
// in the background. A failed poll keeps the last value and says so once per outage.
import type { Names } from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Effect, Schedule } from 'effect';
import type { Gauge } from 'prom-client';

export const pollDeadLetterDepth = (jsm: JetStreamManager, names: Names, gauge: Gauge, everyMs: number) =>
  Effect.gen(function* () {
    let failing = false;
    const poll = Effect.tryPromise(() => jsm.streams.info(names.deadLetters.stream)).pipe(
      Effect.tap((info) =>
        Effect.sync(() => {
          gauge.set(info.state.messages);
          failing = false;
        }),
      ),
      Effect.catchAll((error) =>
        failing
          ? Effect.void
          : Effect.sync(() => (failing = true)).pipe(
              Effect.zipRight(Effect.logWarning(`cannot read the depth of ${names.deadLetters.stream}; larder_dlq_depth is stale`, error)),
            ),
      ),
    );
    yield* poll;
    yield* poll.pipe(Effect.repeat(Schedule.spaced(`${everyMs} millis`)), Effect.delay(`${everyMs} millis`), Effect.forkScoped);
  });
