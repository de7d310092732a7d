// Helpers of the Idempotency-Key tests: request bodies, "this is the first answer, replayed", and
// "Redis lost everything" for one test file's keys.
import { deleteRedisKeys } from '@larder/testing';
import { expect } from 'vitest';
import type { HttpAnswer } from './HttpClient.js';
import type { SystemFixture } from './SystemFixture.js';

export const reservationBody = (sku: string, qty: number) => ({ lines: [{ sku, qty }] });
export const restockBody = (sku: string, qty: number, reference: string) => ({ sku, qty, reference });

/** The retry got the first answer again: same status, body and content type, marked idempotent-replayed. */
export const expectReplayOf = (retry: HttpAnswer, first: HttpAnswer) => {
  expect(retry.status, retry.text).toBe(first.status);
  expect(retry.body).toEqual(first.body);
  expect(retry.contentType).toBe(first.contentType);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
};

/** "Redis lost everything" for this file only (FLUSHDB would hit other files): every key under its prefix. */
export const emptyRedis = async (f: SystemFixture, sku: string) => {
  // The runner's mirror of the SKU first, so there is something to lose.
  for (let i = 0; i < 200 && (await f.redis.exists(`${f.redisPrefix}stock:${sku}`)) === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const deleted = await deleteRedisKeys(f.redis, f.redisPrefix);
  expect(deleted).toBeGreaterThan(0);
};
