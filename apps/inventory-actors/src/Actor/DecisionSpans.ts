// Spans of one group commit, made only when the runner traces and only for commands that carry a span:
// a `decide` span per command (child of its `process` span), and ONE `append inv.evt` span for the
// batch's journal append, a child of the first traced command's `process` span. Every other command's
// `decide` span links to that append, so each trace shows which durable write carried its events.
import { recordOutcome, SpanAttributeNames, SpanNames } from '@larder/messaging';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { Either } from 'effect';
import type { Pending } from './Outcome.js';

export const BatchAttributeNames = {
  commands: 'larder.batch.commands',
  events: 'larder.batch.events',
  attempt: 'larder.attempt',
  epoch: 'larder.epoch',
  expectedSeq: 'larder.journal.expected_seq',
  errorType: 'error.type',
} as const;

export interface DecidedBatch {
  readonly sku: string;
  readonly epoch: number;
  readonly attempt: number;
  /** Each command's decision and its `process` span (undefined: not traced), in batch order. */
  readonly pending: ReadonlyArray<Pending & { readonly envelope: { readonly span?: Span | undefined } }>;
  readonly events: number;
  readonly expectedSeq: number;
  /** `performance.now()` when the batch was taken for deciding, and when every decision was made. */
  readonly decideStarted: number;
  readonly decided: number;
}

export interface AppendSpan {
  /** Ends the append span with the journal sequence, or with why the append failed. */
  readonly end: (result: Either.Either<number, { readonly _tag: string; readonly detail: string }>) => void;
}

/** Ends nothing it returns: the caller ends the append span (undefined when no traced command needs an append). */
export const traceDecisions = (tracer: Tracer, batch: DecidedBatch): AppendSpan | undefined => {
  let append: Span | undefined;
  let links: Array<Link> = [];
  for (const pending of batch.pending) {
    const { span } = pending.envelope;
    if (span === undefined) continue;
    const parent = trace.setSpan(ROOT_CONTEXT, span);
    if (append === undefined && batch.events > 0) {
      append = tracer.startSpan(
        SpanNames.append,
        {
          kind: SpanKind.PRODUCER,
          startTime: batch.decided,
          attributes: {
            [SpanAttributeNames.messagingSystem]: 'nats',
            [SpanAttributeNames.operationType]: 'send',
            [SpanAttributeNames.sku]: batch.sku,
            [BatchAttributeNames.commands]: batch.pending.length,
            [BatchAttributeNames.events]: batch.events,
            [BatchAttributeNames.attempt]: batch.attempt,
            [BatchAttributeNames.epoch]: batch.epoch,
            [BatchAttributeNames.expectedSeq]: batch.expectedSeq,
          },
        },
        parent,
      );
    } else if (append !== undefined && links.length === 0) links = [{ context: append.spanContext() }];
    const decide = tracer.startSpan(
      SpanNames.decide,
      {
        startTime: batch.decideStarted,
        attributes: { [BatchAttributeNames.commands]: batch.pending.length, [BatchAttributeNames.attempt]: batch.attempt },
        links,
      },
      parent,
    );
    recordOutcome(decide, pending.outcome(null));
    decide.end(batch.decided);
  }
  const span = append;
  if (span === undefined) return undefined;
  return {
    end: (result) => {
      if (Either.isRight(result)) span.setAttribute(SpanAttributeNames.journalSeq, result.right);
      else {
        span.setAttribute(BatchAttributeNames.errorType, result.left._tag);
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.left.detail });
      }
      span.end();
    },
  };
};
