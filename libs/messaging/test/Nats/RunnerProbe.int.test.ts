// Telling a crashed runner from a live one, against the real server: a runner whose connection has
// closed leaves no subscriber on its control subject ("no responders", at once); a live one answers;
// one that is subscribed but does not answer in time (a paused process) is "unknown", never "gone".
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRunnerControl, encodeRunnerControlReply, probeRunner, ProcessId } from '../../src/index.js';
import { connectTestNats, type TestNats } from './Support/TestNats.js';

let t: TestNats;
beforeAll(async () => {
  t = await connectTestNats();
});
afterAll(async () => t?.cleanup());

/** Another process's connection, subscribed to a runner's control subject. */
const runnerConnection = async (runner: ProcessId, answers: boolean): Promise<NatsConnection> => {
  const nc = await connect({ servers: t.nc.getServer() });
  nc.subscribe(t.names.control.subject(runner), {
    callback: (_error, msg) => {
      if (!answers) return;
      expect(decodeRunnerControl(msg.data)).toMatchObject({ right: { op: 'ping' } });
      msg.respond(encodeRunnerControlReply({ v: 1, ok: true, detail: 'hosting 0 shard(s)' }));
    },
  });
  await nc.flush();
  return nc;
};

describe('probeRunner', () => {
  it('a live runner is "connected"; once its connection closes it is "gone"', async () => {
    const runner = ProcessId.make('runner-probe-live');
    const nc = await runnerConnection(runner, true);
    expect(await probeRunner(t.nc, t.names, runner, 2_000)).toBe('connected');
    await nc.close();
    await expect.poll(() => probeRunner(t.nc, t.names, runner, 2_000), { timeout: 10_000 }).toBe('gone');
  });

  it('a runner that never existed is "gone"', async () => {
    expect(await probeRunner(t.nc, t.names, ProcessId.make('runner-probe-never'), 2_000)).toBe('gone');
  });

  it('a subscribed runner that does not answer (paused) is "unknown", not "gone"', async () => {
    const runner = ProcessId.make('runner-probe-paused');
    const nc = await runnerConnection(runner, false);
    expect(await probeRunner(t.nc, t.names, runner, 200)).toBe('unknown');
    await nc.close();
  });
});
