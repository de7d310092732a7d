// The read side's entry point from the write path: an actor hands over each durable batch and
// returns at once. Implementations coalesce per SKU and write in the background, so a projection
// outage never slows or stops commands; they catch up from the latest state when it ends.
import type { EpochMillis, Event, SkuState } from '@larder/domain';
import { Context, type Effect, type Scope } from 'effect';
import type { ProjectionWriteError } from './ProjectionErrors.js';

export interface AppliedBatch {
  readonly shard: number;
  readonly state: SkuState;
  /** Journal sequence of the batch: projections are written idempotently by it. */
  readonly seq: number;
  readonly events: ReadonlyArray<Event>;
}

/** A SKU held in memory as it is now: enough to make its read view again. */
export interface ResidentView {
  readonly state: SkuState;
  readonly seq: number;
  /** When its last event happened. */
  readonly asOf: EpochMillis;
}

export class Projector extends Context.Tag('larder/Projector')<
  Projector,
  {
    /** Never blocks and never fails: the batch is queued (coalesced per SKU) for the writers. */
    readonly applied: (batch: AppliedBatch) => void;
    /** Writes everything queued so far (shutdown, tests); fails only if a writer is down. */
    readonly flush: Effect.Effect<void, ProjectionWriteError>;
    /**
     * Registers, for the scope's life, where one shard's SKUs in memory can be read: when a target
     * may have lost what was written to it (Redis back after a restart), their views are written again.
     */
    readonly residents: (source: Effect.Effect<ReadonlyArray<ResidentView>>) => Effect.Effect<void, never, Scope.Scope>;
  }
>() {}
