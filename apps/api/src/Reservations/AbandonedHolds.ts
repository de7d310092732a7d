// The sweep that keeps "all lines or none" when the instance deciding a reservation of several SKUs
// dies mid-way (DESIGN.md §10: no partial hold for longer than 60 s, whoever was deciding it). Every
// API instance looks, every `everyMs`, for placing markers older than `abandonAfterMs`; the first to
// move the record from `placing` to `abandoned` (compare-and-set) releases every hold it names. A live
// instance still deciding loses that race on its own write and answers 503 (ADR 0012).
import { Actor, EpochMillis } from '@larder/domain';
import type { Logger } from 'pino';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { compensate } from './Compensate.js';
import type { RequestRecords } from './RequestRecords.js';

/** Who the ledger says released an abandoned hold. */
const sweeperActor = Actor.make('system:abandoned-holds');

export interface AbandonedHoldsOptions {
  /** How old a placing marker is before its holds are released (far above a request's deadline). */
  readonly abandonAfterMs: number;
  readonly everyMs: number;
}

/** One sweep over the placing markers. */
const sweepAbandonedHolds = async (
  gateway: CommandGateway,
  records: RequestRecords,
  options: AbandonedHoldsOptions,
  log: Logger,
): Promise<void> => {
  // The real clock, never a test's: it is compared with the markers' times, which the server stamps.
  const now = Date.now();
  for (const { digest, since } of await records.placing()) {
    if (now - since < options.abandonAfterMs) continue;
    const found = await records.get(digest);
    if (found !== undefined && found.record.kind === 'hold' && found.record.state === 'placing') {
      const record = found.record;
      const written = await records.update(digest, { ...record, state: 'abandoned' }, found.revision);
      if (written._tag === 'Written') {
        const { reservationId } = record;
        await compensate(gateway, sweeperActor, EpochMillis.make(now), reservationId, record.holds.map((h) => h.sku), true);
        log.warn(
          { reservationId, skus: record.holds.map((h) => h.sku), placingForMs: now - since },
          'released the holds of a reservation its API instance never finished placing (the instance probably died)',
        );
      }
    }
    await records.clearPlacing(digest);
  }
};

export const startAbandonedHolds = (gateway: CommandGateway, records: RequestRecords, options: AbandonedHoldsOptions, log: Logger) => {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepAbandonedHolds(gateway, records, options, log)
      .catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'sweep of abandoned holds failed; next round retries'))
      .finally(() => {
        running = false;
      });
  }, options.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
