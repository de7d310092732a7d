// Publishes `out` and `back` exactly once per crossing (ADR 0019). Per SKU (or pack) the KV
// `availability` record says what was last announced of each scope and up to which journal sequence.
// The order makes it safe across retries, restarts and takeovers:
//   1. read the record; announcements it still holds (decided, not confirmed) are published again where
//      STOCK's last message on their subject is not already one of them, then cleared;
//   2. judge the new positions against it (judgeAvailability: positions at or before its sequence are skipped);
//   3. write the new record WITH the decided announcements, by compare-and-set on the revision read;
//   4. publish them; 5. clear them (compare-and-set again).
// Two owners for a moment (a takeover) cannot both decide one crossing: the second compare-and-set fails
// and its next attempt reads the first's record.
import { judgeAvailability, type AvailabilityCrossing, type ScopePosition, type Sku } from '@larder/domain';
import { decodeStockPublicEvent, decodeStoredAvailability, encodeStockPublicEvent, encodeStoredAvailability, StockPublicEvent, type Names, type PendingAnnouncement, type StoredAvailability } from '@larder/messaging';
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
  const subjectOf = (event: StockPublicEvent) => names.stock.subject(event.kind, event.sku);
  const publishAll = async (pending: ReadonlyArray<PendingAnnouncement>) => {
    for (const { msgID, event } of pending) {
      await js.publish(subjectOf(event), encodeStockPublicEvent(event), { msgID, timeout: timeoutMs });
    }
  };
  /** The same announcement: its position, kind and scope. */
  const same = (a: StockPublicEvent, b: StockPublicEvent) =>
    a.seq === b.seq && a.kind === b.kind && a.scope === b.scope && a.location === b.location && a.channel === b.channel;
  /**
   * Announcements a crash left pending, published again only where STOCK does not have them yet: the
   * announcer publishes a SKU's in order and nothing newer before these are cleared, so the last message
   * on a subject being one of them means it and those before it went out (exact however long ago).
   */
  const publishLeftOver = async (pending: ReadonlyArray<PendingAnnouncement>) => {
    const jsm = await js.jetstreamManager();
    const missing: Array<PendingAnnouncement> = [];
    for (const subject of new Set(pending.map((p) => subjectOf(p.event)))) {
      const mine = pending.filter((p) => subjectOf(p.event) === subject);
      const last = await jsm.streams.getMessage(names.stock.stream, { last_by_subj: subject }).catch(() => null);
      const decoded = last === null ? undefined : Either.getOrUndefined(decodeStockPublicEvent(last.data));
      const out = decoded === undefined ? -1 : mine.findIndex((p) => same(p.event, decoded));
      missing.push(...mine.slice(out + 1));
    }
    // In the order they were decided.
    await publishAll(pending.filter((p) => missing.includes(p)));
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
        await publishLeftOver(stored.pending);
        stored = { ...stored, pending: [] };
        revision = await write(key, stored, revision);
      }
      const judged = judgeAvailability(stored, positions, baseline);
      if (judged.record === undefined || judged.record === stored) return;
      if (judged.crossings.length === 0) {
        // A scope judged for the first time: recorded, so its baseline (rebuilt, approximate for channels) is not needed again.
        await write(key, { v: 1, sku, seq: judged.record.seq, inStock: judged.record.inStock, pending: [] }, revision);
        return;
      }
      const pending = judged.crossings.map((c) => ({ msgID: msgIdOf(c), event: StockPublicEvent.make({ ...c.detail, kind: c.kind }, { disableValidation: true }) }));
      const next: StoredAvailability = { v: 1, sku, seq: judged.record.seq, inStock: judged.record.inStock, pending };
      revision = await write(key, next, revision);
      await publishAll(pending);
      await write(key, { ...next, pending: [] }, revision);
    },
  };
};
