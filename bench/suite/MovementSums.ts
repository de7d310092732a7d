// Units moved per SKU and event type, summed from the two records of what happened: the journal
// (INV_EVT, the source of truth) and the Postgres audit ledger its projector writes (`ledger_entry`).
import { decodeEventBatch, type Names } from '@larder/messaging';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Either } from 'effect';
import pg from 'pg';
import { LedgerDurable } from '../../apps/inventory-actors/src/Ledger/LedgerPolicy.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** sku → event type → units (the event's qty). */
export type Movements = Map<string, Map<string, number>>;

const add = (m: Movements, sku: string, type: string, units: number) => {
  const bySku = m.get(sku) ?? new Map<string, number>();
  bySku.set(type, (bySku.get(type) ?? 0) + units);
  m.set(sku, bySku);
};

export const journalLastSeq = async (jsm: JetStreamManager, names: Names): Promise<number> => (await jsm.streams.info(names.journal.stream)).state.last_seq;

/** Every event after `afterSeq` (all SKUs of the namespace), its `qty` summed by SKU and type. */
export const journalMovements = async (js: JetStreamClient, jsm: JetStreamManager, names: Names, afterSeq: number, skus: ReadonlySet<string>): Promise<Movements> => {
  const out: Movements = new Map();
  const lastSeq = await journalLastSeq(jsm, names);
  if (lastSeq <= afterSeq) return out;
  const consumer = await js.consumers.get(names.journal.stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 });
  const messages = await consumer.consume();
  try {
    for await (const m of messages) {
      const batch = decodeEventBatch(m.data);
      if (Either.isLeft(batch)) throw new Error(`journal message ${m.seq} does not decode: ${batch.left.reason}`);
      for (const event of batch.right.events) {
        if (!skus.has(event.sku)) continue;
        const qty: unknown = 'qty' in event ? event.qty : 0;
        add(out, event.sku, event._tag, typeof qty === 'number' ? qty : 0);
      }
      if (m.seq >= lastSeq) break;
    }
  } finally {
    await messages.close();
  }
  return out;
};

const withPg = async <T>(url: string, use: (c: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
};

/** How long the read-back waits for the ledger projector; past it the ledger is reported as behind. */
export const LedgerWaitMs = 240_000;

export interface LedgerReadBack {
  readonly movements: Movements;
  readonly waitedMs: number;
  /** Journal batches the ledger projector had not stored (acked) yet when read: 0 = caught up. */
  readonly pending: number;
}

/**
 * Waits (up to LedgerWaitMs) until the ledger projector's durable consumer has stored every journal
 * batch — nothing pending, nothing unacked — then sums the ledger's rows. Counting the ledger's distinct
 * seqs instead would never catch up: a batch of refusals moves nothing and has no rows.
 */
export const ledgerMovements = async (databaseUrl: string, schema: string, jsm: JetStreamManager, names: Names, skus: ReadonlyArray<string>): Promise<LedgerReadBack> => {
  const t0 = performance.now();
  return withPg(databaseUrl, async (client) => {
    let pending: number;
    for (;;) {
      const consumer = await jsm.consumers.info(names.journal.stream, LedgerDurable);
      pending = consumer.num_pending + consumer.num_ack_pending;
      if (pending === 0 || performance.now() - t0 > LedgerWaitMs) break;
      await sleep(200);
    }
    const waitedMs = Math.round(performance.now() - t0);
    const rows = await client.query<{ sku: string; event_type: string; units: string }>(
      `select sku, event_type, coalesce(sum(quantity), 0)::text as units from "${schema}".ledger_entry where sku = any($1) group by sku, event_type`,
      [skus],
    );
    const movements: Movements = new Map();
    for (const row of rows.rows) add(movements, row.sku, row.event_type, Number(row.units));
    return { movements, waitedMs, pending };
  });
};
