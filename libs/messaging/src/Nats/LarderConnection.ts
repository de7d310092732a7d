// The one way a Larder process connects to NATS (runner, API, tools): its name and its single
// wildcard inbox, a short ping so a stalled server is noticed in ~10 s, not minutes (DESIGN.md §4),
// endless reconnects, and a drain when the scope closes.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Effect } from 'effect';
import type { Names } from '../Names/Names.js';
import type { ProcessId } from '../Names/ProcessId.js';

export const PingIntervalMs = 5_000;
export const MaxPingsOutstanding = 2;

/** Connects in the current scope; the connection drains when the scope closes. */
export const acquireLarderConnection = (url: string, names: Names, processId: ProcessId) =>
  Effect.gen(function* () {
    const nc = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          connect({
            servers: url,
            name: processId,
            inboxPrefix: names.inbox.prefix(processId),
            pingInterval: PingIntervalMs,
            maxPingOut: MaxPingsOutstanding,
            maxReconnectAttempts: -1,
          }),
        catch: (error) => new Error(`NATS is not reachable at ${url} (NATS_URL): ${String(error)}`),
      }),
      (nc) => Effect.promise(() => nc.drain()).pipe(Effect.ignore),
    );
    const jsm = yield* Effect.tryPromise(() => jetstreamManager(nc));
    return { nc, jsm, js: jetstream(nc) };
  });
