// Publishes `out` and `back` exactly once per crossing (ADR 0019). Per SKU (or pack) the KV
// `availability` record says what was last announced of each scope and up to which journal sequence.
// The order makes it safe across retries, restarts and takeovers:
//   1. read the record; announcements it still holds (decided, not confirmed) are published again with
//      their own `Nats-Msg-Id` (JetStream drops a copy inside its duplicate window) and cleared;
//   2. judge the new positions against it (judgeAvailability: positions at or before its sequence are skipped);
//   3. write the new record WITH the decided announcements, by compare-and-set on the revision read;
//   4. publish them; 5. clear them (compare-and-set again).
// Two owners for a moment (a takeover) cannot both decide one crossing: the second compare-and-set fails
// and its next attempt reads the first's record.
import { judgeAvailability, type AvailabilityCrossing, type ScopePosition, type Sku } from '@larder/domain';
import { decodeStoredAvailability, encodeStockPublicEvent, encodeStoredAvailability, StockPublicEvent, type Names, type PendingAnnouncement, type StoredAvailability } from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Either } from 'effect';
import type { ScopeLevels } from './AvailabilityScopes.js';

export interface AvailabilityAnnouncer {
  /**
   * Judges `positions` (oldest first) of `sku` and publishes what crossed. `baseline`: each scope's state
   * just before the first position, when known. `msgIdOf`: a crossing's id, the same whenever it is decided again.
   * Resolves once every announcement is published and recorded; rejects on any failure (retry the same call).
   */
  readonly announce: (
    sku: Sku,
    positions: ReadonlyArray<ScopePosition<ScopeLevels>>,
    baseline: Readonly<Record<string, boolean>> | undefined,
    msgIdOf: (crossing: AvailabilityCrossing<ScopeLevels>) => string,
  ) => Promise<void>;
}

export interface AvailabilityAnnouncerDeps {
  readonly kv: KV;
  readonly js: JetStreamClient;
  readonly names: Names;
  /** How long to wait for each PubAck. */
  readonly timeoutMs: number;
  /** A record that does not decode is started afresh; this says so. */
  readonly warn: (message: string) => void;
}

export const makeAvailabilityAnnouncer = ({ kv, js, names, timeoutMs, warn }: AvailabilityAnnouncerDeps): AvailabilityAnnouncer => {
  const publishAll = async (pending: ReadonlyArray<PendingAnnouncement>) => {
    for (const { msgID, event } of pending) {
      await js.publish(names.stock.subject(event.kind, event.sku), encodeStockPublicEvent(event), { msgID, timeout: timeoutMs });
    }
  };
  /** Writes `record` over `revision` (0: the key must not exist yet); the new revision. */
  const write = (key: string, record: StoredAvailability, revision: number) =>
    revision === 0 ? kv.create(key, encodeStoredAvailability(record)) : kv.update(key, encodeStoredAvailability(record), revision);

  return {
    announce: async (sku, positions, baseline, msgIdOf) => {
      // Nothing new to judge (announcements a crash left pending wait for the SKU's next batch).
      if (positions.length === 0) return;
      const key = names.keys.stock(sku);
      const entry = await kv.get(key);
      let revision = entry?.revision ?? 0;
      let stored: StoredAvailability | undefined;
      if (entry !== null && entry.operation === 'PUT') {
        const decoded = decodeStoredAvailability(entry.value);
        if (Either.isRight(decoded)) stored = decoded.right;
        else warn(`the availability record of ${sku} does not decode (${decoded.left.reason}); it is judged afresh from the levels before its newest changes`);
      }
      if (stored !== undefined && stored.pending.length > 0) {
        await publishAll(stored.pending);
        stored = { ...stored, pending: [] };
        revision = await write(key, stored, revision);
      }
      const judged = judgeAvailability(stored, positions, baseline);
      if (judged.crossings.length === 0 || judged.record === undefined) return;
      const pending = judged.crossings.map((c) => ({ msgID: msgIdOf(c), event: StockPublicEvent.make({ ...c.detail, kind: c.kind }, { disableValidation: true }) }));
      const next: StoredAvailability = { v: 1, sku, seq: judged.record.seq, inStock: judged.record.inStock, pending };
      revision = await write(key, next, revision);
      await publishAll(pending);
      await write(key, { ...next, pending: [] }, revision);
    },
  };
};
