// The traceparent on Larder's wire: what an API writes for a span is what a runner reads back as the
// remote parent (same trace, same span, same sampled flag); absent or malformed values start a new trace.
import { describe, expect, it } from '@effect/vitest';
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { Either, Schema } from 'effect';
import { contextOfTraceParent, TraceParent, traceParentOf } from '../../src/index.js';

const sampled: SpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

describe('traceParentOf', () => {
  it('writes version 00, the trace id, the span id and the flags', () => {
    expect(traceParentOf(sampled)).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(traceParentOf({ ...sampled, traceFlags: TraceFlags.NONE })).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
  });

  it('writes nothing for the invalid span context of a no-op span (tracing off)', () => {
    expect(traceParentOf(INVALID_SPAN_CONTEXT)).toBeUndefined();
    expect(traceParentOf(trace.getTracer('off').startSpan('x').spanContext())).toBeUndefined();
  });

  it('writes only what the wire schema accepts', () => {
    const value = traceParentOf(sampled);
    expect(Either.isRight(Schema.decodeUnknownEither(TraceParent)(value))).toBe(true);
  });
});

describe('contextOfTraceParent', () => {
  it('reads back the span it was written from, as a remote parent', () => {
    const parent = trace.getSpanContext(contextOfTraceParent(traceParentOf(sampled)));
    expect(parent).toEqual({ ...sampled, isRemote: true });
  });

  it.each([undefined, '', 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'])(
    'starts a new trace from %j',
    (value) => {
      const context = contextOfTraceParent(value);
      expect(trace.getSpanContext(context)).toBeUndefined();
      expect(context).toBe(ROOT_CONTEXT);
    },
  );
});

describe('TraceParent', () => {
  it.each(['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331', '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01', `${'0'.repeat(54)}x`])(
    'refuses %j',
    (value) => {
      expect(Either.isLeft(Schema.decodeUnknownEither(TraceParent)(value))).toBe(true);
    },
  );
});
