// Sends one operator request to a runner on its control subject and waits for its answer; a runner
// that is gone (no responders) or too slow is an error that says which and what to check.
import { decodeRunnerControlReply, encodeRunnerControl, type ProcessId, type RunnerControl, type RunnerControlReply } from '@larder/messaging';
import { RequestError, TimeoutError } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { CliError, describeError } from './CliErrors.js';
import { formatAge } from './FormatAge.js';
import type { NatsSession } from './NatsSession.js';

export const sendControl = (session: NatsSession, runner: ProcessId, request: RunnerControl, timeoutMs: number) =>
  Effect.gen(function* () {
    const subject = session.names.control.subject(runner);
    const msg = yield* Effect.tryPromise({
      try: () => session.nc.request(subject, encodeRunnerControl(request), { timeout: timeoutMs }),
      catch: (error) => {
        if (error instanceof RequestError && error.isNoResponders()) {
          return new CliError({ message: `runner ${runner} is not listening on ${subject}: it has stopped (its heartbeat expires shortly) or runs a version without operator control` });
        }
        if (error instanceof TimeoutError) {
          return new CliError({ message: `runner ${runner} did not answer "${request.op}" within ${formatAge(timeoutMs)}; it may still be working on it: check with larder runners / larder shards, or retry with a longer --timeout` });
        }
        return new CliError({ message: `could not send "${request.op}" to runner ${runner}: ${describeError(error)}` });
      },
    });
    const reply = decodeRunnerControlReply(msg.data);
    if (Either.isLeft(reply)) return yield* new CliError({ message: `runner ${runner} answered something unreadable: ${reply.left.reason}` });
    const answer: RunnerControlReply = reply.right;
    return answer;
  });
