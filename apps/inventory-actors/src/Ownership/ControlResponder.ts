// Answers requests addressed to this runner on its control subject: operators' (`larder drain`,
// `larder move`; every answer says what happened in words an operator can act on) and other runners'
// `ping`. The subscription lives as long as the runner's NATS connection is useful: made before
// ownership starts and closed after the shutdown drain, so "no responders" means the process is gone
// (Ownership/Ownership.ts frees a gone runner's shards without waiting for their leases to expire).
import {
  decodeRunnerControl,
  probeRunner,
  encodeRunnerControlReply,
  type Names,
  type ProcessId,
  type RunnerControl,
  type RunnerControlReply,
} from '@larder/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { Effect, Either, Runtime } from 'effect';
import type { Ownership } from './Ownership.js';

const reply = (ok: boolean, detail: string): RunnerControlReply => ({ v: 1, ok, detail });

/** How long the runner waits for its own ping at start (its connection is up: an answer takes milliseconds). */
const SelfPingTimeoutMs = 5_000;

const perform = (ownership: Ownership | undefined, request: RunnerControl): Effect.Effect<RunnerControlReply> => {
  if (request.op === 'ping') return Effect.succeed(reply(true, ownership === undefined ? 'starting' : `hosting ${ownership.hosted().length} shard(s)`));
  if (ownership === undefined) return Effect.succeed(reply(false, 'this runner is still starting (it has not joined the shard split yet); retry in a few seconds'));
  switch (request.op) {
    case 'drain':
      return Effect.gen(function* () {
        const before = ownership.hosted();
        yield* Effect.logInfo(`drain requested by an operator: handing over ${before.length} shard(s)`);
        yield* ownership.drain;
        return reply(true, `drained: handed over shard(s) ${before.join(', ') || 'none'}; this runner takes no shards until restarted`);
      });
    case 'move':
      return Effect.gen(function* () {
        if (!ownership.hosted().includes(request.shard)) {
          return reply(false, `this runner does not host shard ${request.shard} (it hosts ${ownership.hosted().join(', ') || 'none'})`);
        }
        yield* Effect.logInfo(`operator moves shard ${request.shard} to ${request.to}`);
        const moved = yield* ownership.move(request.shard, request.to);
        return moved
          ? reply(true, `shard ${request.shard} handed to ${request.to}; it takes it over within a balancing round (or anyone may after the lease TTL)`)
          : reply(false, `shard ${request.shard} is already being handed over`);
      });
    default: {
      const unreachable: never = request;
      return unreachable;
    }
  }
};

/**
 * `ownership()` is undefined until the runner has made it: operator requests are refused meanwhile.
 * Fails unless this runner can ping itself: a control subject nobody answers would make every peer
 * take this live runner for crashed and free its shards each round.
 */
export const subscribeControl = (nc: NatsConnection, names: Names, self: ProcessId, ownership: () => Ownership | undefined) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>();
    const subject = names.control.subject(self);
    const subscription = nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error !== null) {
          // The server refused or closed the subscription (a permission change?): peers will free this
          // runner's shards from now on. Say so loudly; the operator must fix the permissions and restart it.
          Runtime.runFork(runtime)(Effect.logError(`control subject ${subject} is no longer subscribed (${error.message}): other runners will take this runner for crashed and free its shards; fix the NATS permissions and restart it`));
          return;
        }
        const decoded = decodeRunnerControl(msg.data);
        const answer = Either.isLeft(decoded)
          ? Effect.succeed(reply(false, `not a control request: ${decoded.left.reason}`))
          : perform(ownership(), decoded.right);
        Runtime.runFork(runtime)(answer.pipe(Effect.map((r) => void msg.respond(encodeRunnerControlReply(r)))));
      },
    });
    yield* Effect.addFinalizer(() => Effect.sync(() => subscription.unsubscribe()));
    const alive = yield* Effect.promise(() => probeRunner(nc, names, self, SelfPingTimeoutMs));
    if (alive !== 'connected') {
      return yield* Effect.fail(
        new Error(`this runner cannot answer a ping on its own control subject ${subject} (${alive}): other runners would free its shards every round. Check that its NATS user may subscribe to ${subject} and publish replies`),
      );
    }
  });
