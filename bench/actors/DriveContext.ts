// What a scenario's driver gets (connections, names, its SKUs, a request sender) and returns.
import type { Sku } from '@larder/domain';
import type { Names } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Latency, Scenario } from './Scenario.js';
import type { SendRequest } from './SendRequest.js';

export interface DriveContext {
  readonly scenario: Scenario;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly skus: ReadonlyArray<Sku>;
  readonly send: SendRequest;
  /** Starts measuring CPU use; the returned function ends it (% of one core per process). */
  readonly startCpuWindow: () => () => Record<string, number | null>;
}

export interface Driven {
  /** Request path: answered Accepted. INV_CMD: filled in from the journal afterwards. */
  readonly accepted: number | null;
  readonly refused: number;
  readonly retried: number;
  readonly failed: number;
  readonly seconds: number;
  readonly latency: Latency;
  readonly publishSeconds: number | null;
  /** The journal's last sequence before the measured commands. */
  readonly fromSeq: number;
  readonly cpuPercent: Record<string, number | null>;
}
