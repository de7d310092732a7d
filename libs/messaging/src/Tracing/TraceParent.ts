// W3C trace context on Larder's wire: the `traceparent` value an API instance puts on each item of a
// RequestBatch and in the `traceparent` header of an INV_CMD message, and how a runner reads it back.
import { ROOT_CONTEXT, trace, type Context, type SpanContext, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Schema } from 'effect';

/** `00-<trace id>-<parent span id>-<flags>` (W3C Trace Context, version 00: 55 characters). */
export const TraceParent = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
  Schema.annotations({
    identifier: 'TraceParent',
    description: 'W3C traceparent of the sender\'s span (version-traceid-spanid-flags); present only when the sender traces.',
  }),
);
export type TraceParent = typeof TraceParent.Type;

const propagator = new W3CTraceContextPropagator();
const TraceParentField = 'traceparent';

/** One value in, one value out: the carrier is the traceparent string itself. */
const getter: TextMapGetter<string | undefined> = {
  get: (carrier, key) => (key === TraceParentField ? carrier : undefined),
  keys: () => [TraceParentField],
};
const setter: TextMapSetter<{ value: string | undefined }> = {
  set: (carrier, key, value) => {
    if (key === TraceParentField) carrier.value = value;
  },
};

/** The traceparent naming `span` as the parent; undefined for an invalid (non-recording no-op) span context. */
export const traceParentOf = (span: SpanContext): TraceParent | undefined => {
  const carrier: { value: string | undefined } = { value: undefined };
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, span), carrier, setter);
  return carrier.value;
};

/** The remote parent a traceparent names; the root context when it is absent or malformed (a new trace starts). */
export const contextOfTraceParent = (traceparent: string | undefined): Context =>
  traceparent === undefined || traceparent === '' ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, traceparent, getter);
