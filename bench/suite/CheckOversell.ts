// After a Larder scenario: waits for the ledger to catch up with the journal, then reads the
// scenario's SKUs back from the ledger, the journal, KV `stock` and the API, and counts oversell.
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Names } from '@larder/messaging';
import { journalMovements, ledgerMovements } from './MovementSums.js';
import { fromLevels, fromMovements, oversellReport, type OversellReport } from './Oversell.js';
import { readStockViaApi, readStockViaKv } from './StockReadback.js';

export interface OversellSources {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly databaseUrl: string;
  /** The namespace's Postgres schema (its ledger_entry table). */
  readonly schema: string;
  readonly apiUrl: string;
  readonly apiKey: string;
}

export interface CheckedOversell extends OversellReport {
  /** How long the ledger took to catch up with the journal after the scenario. */
  readonly ledgerWaitMs: number;
}

export const checkOversell = async (
  src: OversellSources,
  supplied: ReadonlyMap<string, number>,
  afterSeq: number,
  answeredHeld: number,
  answeredCommitted: number | null,
): Promise<CheckedOversell> => {
  const skus = [...supplied.keys()];
  const ledger = await ledgerMovements(src.databaseUrl, src.schema, src.jsm, src.names, skus);
  const journal = await journalMovements(src.js, src.jsm, src.names, afterSeq, new Set(skus));
  const api = await readStockViaApi(src.apiUrl, src.apiKey, skus);
  const kv = await readStockViaKv(src.nc, src.names, skus);
  const report = oversellReport(supplied, answeredHeld, answeredCommitted, [
    fromLevels('GET /v1/stock', api, supplied),
    fromLevels('KV stock', kv, supplied),
    fromMovements('journal', journal, supplied),
    ledger.pending === 0
      ? fromMovements('ledger', ledger.movements, supplied)
      : { ...fromMovements('ledger', ledger.movements, supplied), incomplete: `the ledger projector had ${ledger.pending} journal batches still to store after ${ledger.waitedMs} ms` },
  ]);
  return { ...report, ledgerWaitMs: ledger.waitedMs };
};
