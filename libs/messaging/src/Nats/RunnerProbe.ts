// Is another runner still connected to NATS? A `ping` on its control subject: nats-server answers
// "no responders" at once when no connection subscribes it, which is the case from the moment a
// crashed process's socket closes. Anything else (an answer, a timeout, a NATS error) proves nothing
// and counts as alive: a stalled process keeps its connection and is left to its lease TTL.
import { RequestError, type NatsConnection } from '@nats-io/transport-node';
import { encodeRunnerControl } from '../Codec/RunnerControl.js';
import type { Names } from '../Names/Names.js';
import type { ProcessId } from '../Names/ProcessId.js';

export type RunnerLiveness = 'connected' | 'gone' | 'unknown';

const ping = encodeRunnerControl({ v: 1, op: 'ping' });

export const probeRunner = async (nc: NatsConnection, names: Names, runner: ProcessId, timeoutMs: number): Promise<RunnerLiveness> => {
  try {
    await nc.request(names.control.subject(runner), ping, { timeout: timeoutMs });
    return 'connected';
  } catch (error) {
    return error instanceof RequestError && error.isNoResponders() ? 'gone' : 'unknown';
  }
};
