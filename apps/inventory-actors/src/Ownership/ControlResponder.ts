// Answers requests addressed to this runner on its control subject: operators' (`larder drain`,
// `larder move`; every answer says what happened in words an operator can act on) and other runners'
// `ping`. The subscription lives as long as the runner's NATS connection is useful: made before
// ownership starts and closed after the shutdown drain, so "no responders" means the process is gone
// (Ownership/Ownership.ts frees a gone runner's shards without waiting for their leases to expire).
import {
  decodeRunnerControl,
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

/** `ownership()` is undefined until the runner has made it: operator requests are refused meanwhile. */
export const subscribeControl = (nc: NatsConnection, names: Names, self: ProcessId, ownership: () => Ownership | undefined) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>();
    const subscription = nc.subscribe(names.control.subject(self), {
      callback: (error, msg) => {
        if (error !== null) return;
        const decoded = decodeRunnerControl(msg.data);
        const answer = Either.isLeft(decoded)
          ? Effect.succeed(reply(false, `not a control request: ${decoded.left.reason}`))
          : perform(ownership(), decoded.right);
        Runtime.runFork(runtime)(answer.pipe(Effect.map((r) => void msg.respond(encodeRunnerControlReply(r)))));
      },
    });
    yield* Effect.addFinalizer(() => Effect.sync(() => subscription.unsubscribe()));
  });
