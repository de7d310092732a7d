// Fake projection targets for the projector's specifications: they record what they were given,
// can be taken down and brought back, and can hold a write open until the test lets it go.
import { judgeAvailability, type AvailabilityRecord } from '@larder/domain';
import { StockPublicEvent, type StockView } from '@larder/messaging';
import type { AvailabilityAnnouncer } from '../../../src/Projection/AvailabilityAnnouncer.js';
import type { PublicEvent } from '../../../src/Projection/PublicEventsOf.js';
import { Deferred, Effect, Logger } from 'effect';
import { ProjectionWriteError } from '../../../src/Projection/ProjectionErrors.js';
import type { PublicEventWriter } from '../../../src/Projection/PublicEventWriter.js';
import type { StockViewWriter } from '../../../src/Projection/StockViewWriter.js';

export interface FakeTarget<A> {
  readonly written: Array<A>;
  /** Calls, including failed and held ones. */
  calls: number;
  down: boolean;
  /** While set, every write waits for it. */
  gate: Deferred.Deferred<void> | undefined;
}

const fake = <A>(name: string) => {
  const target: FakeTarget<A> = { written: [], calls: 0, down: false, gate: undefined };
  const write = (value: A) =>
    Effect.gen(function* () {
      target.calls += 1;
      if (target.gate !== undefined) yield* Deferred.await(target.gate);
      if (target.down) return yield* new ProjectionWriteError({ target: name, detail: `${name}: connection refused` });
      target.written.push(value);
    });
  return { target, write };
};

export const fakeViewWriter = (name: string): FakeTarget<StockView> & StockViewWriter => {
  const { target, write } = fake<StockView>(name);
  return Object.assign(target, { write });
};

export const fakeEventWriter = (): FakeTarget<ReadonlyArray<PublicEvent>> & PublicEventWriter => {
  const { target, write } = fake<ReadonlyArray<PublicEvent>>('events');
  return Object.assign(target, { publish: write });
};

/**
 * An in-memory announcer over the fake event writer: it judges like the real one (records per SKU) and
 * appends its `out`/`back` events to `events.written` as one list per call; it fails while `events` is down.
 */
export const fakeAnnouncer = (events: FakeTarget<ReadonlyArray<PublicEvent>>): AvailabilityAnnouncer => {
  const records = new Map<string, AvailabilityRecord>();
  return {
    announce: async (sku, positions, baseline) => {
      if (events.down) throw new Error('events: connection refused');
      const judged = judgeAvailability(records.get(sku), positions, baseline);
      if (judged.record !== undefined) records.set(sku, judged.record);
      if (judged.crossings.length > 0) events.written.push(judged.crossings.map((c) => StockPublicEvent.make({ ...c.detail, kind: c.kind }, { disableValidation: true })));
    },
  };
};

/** Every log line (level label and message), captured instead of printed; provide `layer`. */
export const capturedLogs = () => {
  const lines: Array<{ readonly level: string; readonly message: string }> = [];
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push({ level: logLevel.label, message: Array.isArray(message) ? message.map(String).join(' ') : String(message) });
  });
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) };
};
