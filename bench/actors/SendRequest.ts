// One command on the request path, awaited: the API's way (batched per event-loop turn by the
// client), with a deadline long enough that only a runner that stopped answering misses it.
import type { Command } from '@larder/domain';
import type { ReplyOutcome, RequestClient, RequestFailure } from '@larder/messaging';
import { Effect, Either } from 'effect';

export const RequestDeadlineMs = 30_000;

export type SendRequest = (command: Command) => Promise<Either.Either<ReplyOutcome, RequestFailure>>;

export const sendRequestWith =
  (client: RequestClient): SendRequest =>
  (command) =>
    Effect.runPromise(Effect.either(client.send(command, Date.now() + RequestDeadlineMs)));

/** Why a result means the runner is broken (not merely busy), or null. */
export const brokenRunner = (result: Either.Either<ReplyOutcome, RequestFailure>): string | null => {
  if (Either.isRight(result)) return null;
  const failure = result.left;
  return failure._tag === 'Timeout'
    ? `a request waited ${failure.waitedMs} ms without an answer (the runner hangs)`
    : `request failed: ${JSON.stringify(failure)}`;
};
