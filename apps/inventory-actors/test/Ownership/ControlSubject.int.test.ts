// A runner's control subject is how its peers tell it from a crashed one (ADR 0010, "Crashed owners"):
// a runner that can subscribe it answers a peer's ping; one whose NATS user may not subscribe it would be
// taken for crashed by every peer, every round, so it refuses to start and says why.
import { makeNames, Namespace, probeRunner, ProcessId, Shards } from '@larder/messaging';
import { makeTestNamespace, requireNats, startNatsServer, type RunningNatsServer } from '@larder/testing';
import { connect } from '@nats-io/transport-node';
import { Effect, Exit, Scope } from 'effect';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeControl } from '../../src/Ownership/ControlResponder.js';

const names = makeNames(Namespace.make(makeTestNamespace().nats), { shards: Shards.make(2) });
let denied: RunningNatsServer | undefined;
let configDir = '';

beforeAll(async () => {
  // A private server whose only user may publish anything but subscribe to nothing except its inbox.
  configDir = await mkdtemp(join(tmpdir(), 'larder-control-'));
  const config = join(configDir, 'nats.conf');
  await writeFile(
    config,
    'authorization {\n  users = [\n    { user: "runner", password: "runner-pw", permissions: { publish: { allow: [">"] }, subscribe: { allow: ["_INBOX.>"] } } }\n  ]\n}\n',
  );
  denied = await startNatsServer({ config, jetstream: false });
});
afterAll(async () => {
  await denied?.stop();
  if (configDir !== '') await rm(configDir, { recursive: true, force: true });
});

describe('a runner’s control subject', () => {
  it('answers a peer’s ping while the runner’s scope is open, and no longer once it is closed', async () => {
    const nats = await requireNats();
    const [own, peer] = [await connect({ servers: nats.url }), await connect({ servers: nats.url })];
    const self = ProcessId.make('runner-control-ok');
    const scope = Effect.runSync(Scope.make());
    try {
      await Effect.runPromise(subscribeControl(own, names, self, () => undefined).pipe(Scope.extend(scope)));
      expect(await probeRunner(peer, names, self, 2_000)).toBe('connected');
      await Effect.runPromise(Scope.close(scope, Exit.void));
      await own.flush();
      expect(await probeRunner(peer, names, self, 2_000)).toBe('gone');
    } finally {
      await Promise.all([own.close(), peer.close()]);
    }
  });

  it('refuses to start when its NATS user may not subscribe it, naming the subject and what to check', async () => {
    if (denied === undefined) throw new Error('no private server');
    const nc = await connect({ servers: denied.url, user: 'runner', pass: 'runner-pw' });
    try {
      const started = await Effect.runPromiseExit(Effect.scoped(subscribeControl(nc, names, ProcessId.make('runner-control-denied'), () => undefined)));
      expect(Exit.isFailure(started)).toBe(true);
      expect(String(Exit.isFailure(started) ? started.cause : '')).toMatch(/cannot answer a ping on its own control subject .*ops\.runner\.runner-control-denied.*may subscribe/);
    } finally {
      await nc.close();
    }
  });
});
