// Admission control: when this instance's event loop is saturated, new work is refused at the door
// (503 `overloaded` with Retry-After, before authentication, body parsing or any record) while reads
// and the end of a checkout go on. A flash sale that hits an instance must not starve the storefront
// reads it also serves; a shed request did nothing, so its retry with the same Idempotency-Key is safe.
//
// The measuring is @fastify/under-pressure's (event-loop utilisation and delay over each sample); which
// requests are shed is `sheddable` below. Shedding before the loop lags (utilisation, not only delay)
// is what keeps the reads' p99 flat: by the time the delay is high, every read already waited for it.
import type { FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyRequest } from 'fastify';
import { Problem } from './Problems.js';

export interface AdmissionPolicy {
  /** Shed when the event loop was busy more than this share of the last sample (0 < x ≤ 1; 0 = never). */
  readonly maxEventLoopUtilization: number;
  /** Shed when the mean event-loop delay over the last sample exceeded this (ms; 0 = never). */
  readonly maxEventLoopDelayMs: number;
  /** How often both are sampled (ms): how fast shedding starts and stops. */
  readonly sampleMs: number;
}

export const defaultAdmissionPolicy: AdmissionPolicy = { maxEventLoopUtilization: 0.9, maxEventLoopDelayMs: 50, sampleMs: 100 };

/** What a shed request's Retry-After says: the least HTTP can say (whole seconds). */
const RetryAfterSeconds = 1;

/**
 * What is shed under pressure: every write except finishing or abandoning a hold (a customer at
 * checkout keeps going: shedding those would only leave holds to expire). Reads, health and metrics
 * are never shed.
 */
export const sheddable = (method: string, routeUrl: string | undefined): boolean =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && !(routeUrl?.startsWith('/v1/reservations/:') ?? false);

/**
 * The options of @fastify/under-pressure that shed every request it sees while under pressure (null:
 * shedding is off): register it in a context holding only the `sheddable` routes. `onShed` counts each
 * shed request by route.
 */
export const admissionOptions = (policy: AdmissionPolicy, onShed: (route: string) => void): FastifyUnderPressureOptions | null => {
  if (policy.maxEventLoopUtilization <= 0 && policy.maxEventLoopDelayMs <= 0) return null;
  const overloaded = new Problem({
    type: 'overloaded',
    detail: `this API instance is saturated and sheds new writes to keep reads fast; nothing was done: retry with the same Idempotency-Key after ${RetryAfterSeconds} s`,
    retryAfter: RetryAfterSeconds,
  });
  return {
    ...(policy.maxEventLoopUtilization > 0 ? { maxEventLoopUtilization: policy.maxEventLoopUtilization } : {}),
    ...(policy.maxEventLoopDelayMs > 0 ? { maxEventLoopDelay: policy.maxEventLoopDelayMs } : {}),
    sampleInterval: policy.sampleMs,
    // Called only under pressure; the rejection goes to the app's error handler, which answers it as
    // problem+json with its Retry-After. One Problem for every shed
    // request: building an Error (and its stack) per refusal would cost what shedding saves.
    pressureHandler: (request: FastifyRequest) => {
      onShed(request.routeOptions.url ?? 'unknown');
      return Promise.reject(overloaded);
    },
  };
};
