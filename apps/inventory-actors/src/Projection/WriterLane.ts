// One projection target's own queue of dirty SKUs and its own failure handling. A background fiber
// writes every dirty SKU (bounded concurrency), then sleeps until woken: no fixed delay, so an idle
// system writes within milliseconds and a busy one coalesces while a pass is in flight. A target
// that fails keeps its SKUs dirty and is retried with capped backoff; other lanes are unaffected.
import type { Sku } from '@larder/domain';
import { Array as Arr, Deferred, Duration, Effect, Either, Queue } from 'effect';
import { describeFailure, ProjectionWriteError } from './ProjectionErrors.js';
import type { ProjectionPolicy } from './ProjectionPolicy.js';

export interface WriterLaneSpec {
  /** The target, for logs and errors: `Redis mirror`. */
  readonly name: string;
  /** What an outage of this target means for users, said once when it starts. */
  readonly whenDown: string;
  /** Writes the newest state of `sku` to the target (idempotently). */
  readonly write: (sku: Sku) => Effect.Effect<void, ProjectionWriteError>;
  /** Called right after `sku` was written and is no longer in flight here. */
  readonly written?: (sku: Sku) => void;
}

export interface WriterLane {
  readonly name: string;
  /** Never blocks, never throws: `sku` will be written by the next pass. */
  readonly mark: (sku: Sku) => void;
  /** Resolves once everything marked before it is written; fails if the target is down. */
  readonly flush: Effect.Effect<void, ProjectionWriteError>;
  /** True when `sku` is neither waiting nor being written. */
  readonly isIdle: (sku: Sku) => boolean;
  /** SKUs waiting to be written. */
  readonly pending: () => number;
  /** The failure that started the current outage, if the target is down. */
  readonly outage: () => ProjectionWriteError | undefined;
}

type Waiter = Deferred.Deferred<void, ProjectionWriteError>;

/** Starts the lane's fiber in the current scope; it stops (failing any waiting flush) when the scope closes. */
export const makeWriterLane = (spec: WriterLaneSpec, policy: ProjectionPolicy) =>
  Effect.gen(function* () {
    const wake = yield* Queue.sliding<true>(1);
    const retryNow = yield* Queue.sliding<true>(1);
    let dirty = new Set<Sku>();
    /** Taken by the current pass and not written yet. */
    const inFlight = new Set<Sku>();
    /** Flushes waiting for the next pass, and those the current pass will settle. */
    let waiters: Array<Waiter> = [];
    let settling: Array<Waiter> = [];
    let outage: ProjectionWriteError | undefined;
    let failedPasses = 0;
    let closed = false;

    const timeout = () =>
      new ProjectionWriteError({ target: spec.name, detail: `no answer within ${policy.writeTimeoutMs} ms` });

    /** One SKU; a failure (or a defect) puts it back in the dirty set and is returned, never raised. */
    const writeOne = (sku: Sku) =>
      Effect.suspend(() => spec.write(sku)).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.fail(new ProjectionWriteError({ target: spec.name, detail: `defect: ${describeFailure(defect)}` })),
        ),
        Effect.either,
        Effect.tap((result) =>
          Effect.sync(() => {
            inFlight.delete(sku);
            if (Either.isLeft(result)) dirty.add(sku);
            else spec.written?.(sku);
          }),
        ),
      );

    /**
     * One chunk under one deadline: a timer (a race, two fibers) per chunk rather than per SKU, and a
     * lone SKU (the usual case when traffic is light) written in this fiber rather than a forked one —
     * both cost more than the write's own work. Past the deadline every SKU not yet written goes back to
     * the dirty set and the chunk counts as failed.
     */
    const writeChunk = (chunk: ReadonlyArray<Sku>) =>
      (chunk.length === 1 && chunk[0] !== undefined ? Effect.map(writeOne(chunk[0]), (r) => [r]) : Effect.forEach(chunk, writeOne, { concurrency: 'unbounded' })).pipe(
        Effect.timeoutFail({ duration: Duration.millis(policy.writeTimeoutMs), onTimeout: timeout }),
        Effect.catchAll((late) =>
          Effect.sync(() =>
            chunk.map((sku) => {
              if (inFlight.delete(sku)) dirty.add(sku);
              return Either.left(late);
            }),
          ),
        ),
      );

    /** Writes what is dirty now, a chunk at a time; stops early when a whole chunk fails (target down). */
    const pass = Effect.gen(function* () {
      settling = waiters;
      waiters = [];
      // Taken SKUs count as in flight until written, so no one thinks a SKU later in the pass is settled.
      const taken = [...dirty];
      taken.forEach((sku) => inFlight.add(sku));
      dirty = new Set();
      const chunks = Arr.chunksOf(taken, policy.concurrency);
      yield* Queue.takeAll(retryNow);
      const failures: Array<ProjectionWriteError> = [];
      let targetDown = false;
      for (const chunk of chunks) {
        if (targetDown) {
          chunk.forEach((sku) => {
            inFlight.delete(sku);
            dirty.add(sku);
          });
          continue;
        }
        const results = yield* writeChunk(chunk);
        results.forEach((r) => Either.isLeft(r) && failures.push(r.left));
        // A whole chunk failed: the target is down, and the rest would only wait for time-outs.
        targetDown = results.every(Either.isLeft);
      }
      const first = failures[0];
      if (first === undefined) {
        if (outage !== undefined) yield* Effect.logInfo(`${spec.name} is back; caught up after ${failedPasses} failed attempts`);
        outage = undefined;
        failedPasses = 0;
        yield* Effect.forEach(settling.splice(0), (w) => Deferred.succeed(w, undefined), { discard: true });
      } else {
        if (outage === undefined) {
          yield* Effect.logWarning(
            `${spec.name} is down (${first.detail}): ${spec.whenDown}. Retrying with backoff up to ${policy.retryMaxMs} ms; ${dirty.size} SKUs waiting`,
          );
        }
        outage = first;
        failedPasses += 1;
        yield* Effect.forEach(settling.splice(0), (w) => Deferred.fail(w, first), { discard: true });
      }
      return first === undefined;
    });

    const backoff = () => Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(failedPasses - 1, 20));

    const loop = Effect.gen(function* () {
      if (dirty.size === 0 && waiters.length === 0) yield* Queue.take(wake);
      yield* Queue.takeAll(wake);
      const ok = yield* pass;
      // A flush cuts the pause short; new batches do not (they would hammer a target that is down).
      if (!ok) yield* Effect.race(Effect.sleep(Duration.millis(backoff())), Queue.take(retryNow));
    });

    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        closed = true;
        const stopped = new ProjectionWriteError({ target: spec.name, detail: 'the projector stopped' });
        return Effect.forEach([...settling.splice(0), ...waiters.splice(0)], (w) => Deferred.fail(w, stopped), { discard: true });
      }),
    );
    yield* Effect.forkScoped(Effect.forever(loop));

    const flush = Effect.gen(function* () {
      if (closed) return yield* new ProjectionWriteError({ target: spec.name, detail: 'the projector stopped' });
      const done = yield* Deferred.make<void, ProjectionWriteError>();
      waiters.push(done);
      wake.unsafeOffer(true);
      retryNow.unsafeOffer(true);
      return yield* Deferred.await(done);
    });

    const lane: WriterLane = {
      name: spec.name,
      mark: (sku) => {
        dirty.add(sku);
        wake.unsafeOffer(true);
      },
      flush,
      isIdle: (sku) => !dirty.has(sku) && !inFlight.has(sku),
      pending: () => dirty.size,
      outage: () => outage,
    };
    return lane;
  });
