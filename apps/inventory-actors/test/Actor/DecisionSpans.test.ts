// The actor's spans when the runner traces, on a real SkuActor over an in-memory journal: a group
// commit of several traced commands makes a `decide` span per command (child of its `process` span)
// and ONE `append inv.evt` span (child of the first traced command's), which the others' decide spans
// link to; untraced commands get none; a fenced append is an error span; no tracer, no spans.
import { Actor, CommandId, EpochMillis, initialState, Quantity, Reference, ReservationId, Sku, TtlSeconds, type Command } from '@larder/domain';
import { SpanAttributeNames, SpanNames, type ReplyOutcome } from '@larder/messaging';
import { SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Deferred, Effect, Layer } from 'effect';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSkuActor, type ActorHooks, type Envelope } from '../../src/Actor/SkuActor.js';
import { defaultActorPolicy } from '../../src/Config/ActorPolicy.js';
import { Journal } from '../../src/Journal/Journal.js';
import { JournalFencedError } from '../../src/Journal/JournalErrors.js';

const exporter = new InMemorySpanExporter();
const tracer: Tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
afterEach(() => exporter.reset());

const sku = Sku.make('SPAN-1');
let counter = 0;
const base = () => ({ commandId: CommandId.make(`span-${++counter}`), actor: Actor.make('service:test'), now: EpochMillis.make(Date.now()), sku });
const restock = (qty: number): Command => ({ _tag: 'Restock', ...base(), qty: Quantity.make(qty), reference: Reference.make('po') });
const reserve = (id: string, qty: number): Command => ({
  _tag: 'ReserveStock',
  ...base(),
  reservationId: ReservationId.make(id),
  qty: Quantity.make(qty),
  ttlSeconds: TtlSeconds.make(600),
});

/** A journal whose first append waits for `gate` (so later commands queue into one group commit). */
const gatedJournal = (gate: Deferred.Deferred<void>, fenced = false) => {
  let seq = 0;
  let appends = 0;
  return Layer.succeed(Journal, {
    append: (_sku, _epoch, _events, expectedLastSeq) =>
      Effect.gen(function* () {
        if (++appends === 1) yield* Deferred.await(gate);
        if (fenced) return yield* new JournalFencedError({ subject: 'inv.evt.0.SPAN-1', expectedLastSeq, detail: 'wrong last sequence' });
        return ++seq;
      }),
    read: () => Effect.succeed([]),
  });
};

const hooks = (withTracer: boolean): ActorHooks => ({
  applied: () => undefined,
  fenced: () => undefined,
  owns: Effect.succeed(true),
  ...(withTracer ? { tracer } : {}),
});

/** Runs `commands` through one actor: the first alone, the rest queued behind it; traced ones get a process span. */
const run = (commands: ReadonlyArray<{ readonly command: Command; readonly traced: boolean }>, options: { tracer: boolean; fenced?: boolean }) =>
  Effect.scoped(
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>();
      const actor = yield* makeSkuActor(sku, { state: initialState(sku), seq: 0, asOf: null }, 1, defaultActorPolicy, hooks(options.tracer)).pipe(
        Effect.provide(gatedJournal(gate, options.fenced)),
      );
      const settled = yield* Effect.forEach(commands, () => Deferred.make<ReplyOutcome>());
      const offer = ({ command, traced }: (typeof commands)[number], i: number) => {
        const span = traced ? tracer.startSpan(SpanNames.processRequest, { attributes: { [SpanAttributeNames.commandId]: command.commandId } }) : undefined;
        const envelope: Envelope = {
          command,
          span,
          settle: (outcome) => {
            span?.end();
            const done = settled[i];
            if (done !== undefined) Deferred.unsafeDone(done, Effect.succeed(outcome));
          },
        };
        expect(actor.offer(envelope)).toBe(true);
      };
      // The first command goes alone into its append (held by the gate); the rest wait in the mailbox together.
      commands.slice(0, 1).forEach(offer);
      yield* Effect.sleep('20 millis');
      commands.slice(1).forEach((c, i) => offer(c, i + 1));
      yield* Effect.sleep('20 millis');
      yield* Deferred.succeed(gate, undefined);
      return yield* Effect.forEach(settled, Deferred.await);
    }),
  );

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const processSpanOf = (command: Command): ReadableSpan => {
  const span = spansNamed(SpanNames.processRequest).find((s) => s.attributes[SpanAttributeNames.commandId] === command.commandId);
  if (span === undefined) throw new Error(`no process span for ${command.commandId}`);
  return span;
};
const childrenOf = (parent: ReadableSpan, name: string) =>
  spansNamed(name).filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('a group commit, traced', () => {
  it('one decide span per traced command, one append span for the batch, linked from the others', async () => {
    const first = restock(10);
    const [b, c, untraced, d] = [reserve('r-b', 1), reserve('r-c', 2), reserve('r-u', 1), reserve('r-d', 3)];
    const outcomes = await Effect.runPromise(
      run(
        [first, b, c, untraced, d].map((command) => ({ command, traced: command !== untraced })),
        { tracer: true },
      ),
    );
    expect(outcomes.map((o) => o._tag)).toEqual(['Accepted', 'Accepted', 'Accepted', 'Accepted', 'Accepted']);

    const appends = spansNamed(SpanNames.append);
    expect(appends).toHaveLength(2);
    expect(spansNamed(SpanNames.decide)).toHaveLength(4); // the untraced command has none

    const [firstAppend] = childrenOf(processSpanOf(first), SpanNames.append);
    expect(firstAppend?.attributes).toMatchObject({ 'larder.batch.commands': 1, [SpanAttributeNames.journalSeq]: 1 });

    const [groupAppend] = childrenOf(processSpanOf(b), SpanNames.append);
    if (groupAppend === undefined) throw new Error('the group commit has no append span under its first traced command');
    expect(groupAppend.attributes).toMatchObject({ 'larder.batch.commands': 4, 'larder.batch.events': 4, [SpanAttributeNames.journalSeq]: 2, 'larder.journal.expected_seq': 1 });
    expect(groupAppend.status.code).toBe(SpanStatusCode.UNSET);

    for (const command of [b, c, d]) {
      const decides = childrenOf(processSpanOf(command), SpanNames.decide);
      expect(decides, command.commandId).toHaveLength(1);
      const links = decides[0]?.links.map((l) => l.context.spanId) ?? [];
      // The first traced command's trace holds the append itself; the others point at it.
      expect(links).toEqual(command === b ? [] : [groupAppend.spanContext().spanId]);
      expect(decides[0]?.attributes).toMatchObject({ [SpanAttributeNames.outcome]: 'Accepted', 'larder.batch.commands': 4 });
    }
    expect(childrenOf(processSpanOf(c), SpanNames.append)).toEqual([]);
  });

  it('a rejection is a decide span with the rejection, and needs no append', async () => {
    const unknown: Command = { _tag: 'CommitReservation', ...base(), reservationId: ReservationId.make('r-none') };
    const outcomes = await Effect.runPromise(run([{ command: unknown, traced: true }], { tracer: true }));
    expect(outcomes[0]?._tag).toBe('Rejected');
    expect(spansNamed(SpanNames.append)).toEqual([]);
    expect(childrenOf(processSpanOf(unknown), SpanNames.decide)[0]?.attributes).toMatchObject({
      [SpanAttributeNames.outcome]: 'Rejected',
      [SpanAttributeNames.rejection]: 'UnknownReservation',
    });
  });

  it('a hold refused for want of stock is recorded (one append) and answered Rejected once durable', async () => {
    const tooMany = reserve('r-x', 5);
    const outcomes = await Effect.runPromise(run([{ command: tooMany, traced: true }], { tracer: true }));
    expect(outcomes[0]).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'InsufficientStock', requested: 5, available: 0 }, seq: 1 });
    expect(childrenOf(processSpanOf(tooMany), SpanNames.append)).toHaveLength(1);
  });

  it('a fenced append is an error span, once per attempt', async () => {
    const command = restock(1);
    const outcomes = await Effect.runPromise(run([{ command, traced: true }], { tracer: true, fenced: true }));
    expect(outcomes[0]).toMatchObject({ _tag: 'Retry', reason: 'fenced' });
    const appends = childrenOf(processSpanOf(command), SpanNames.append);
    expect(appends.map((s) => [s.attributes['larder.attempt'], s.attributes['error.type'], s.status.code])).toEqual([
      [1, 'JournalFencedError', SpanStatusCode.ERROR],
      [2, 'JournalFencedError', SpanStatusCode.ERROR],
    ]);
  });
});

describe('tracing off', () => {
  it('no tracer in the hooks: no decide or append spans, even for commands that carry one', async () => {
    await Effect.runPromise(run([{ command: restock(1), traced: true }, { command: reserve('r-off', 1), traced: true }], { tracer: false }));
    expect(spansNamed(SpanNames.decide)).toEqual([]);
    expect(spansNamed(SpanNames.append)).toEqual([]);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
