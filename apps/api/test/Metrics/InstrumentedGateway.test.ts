// The timed command gateway on a fake write path: every send and enqueue is passed through unchanged,
// timed under its path, and counted by how it ended (an answer's tag, a request failure, stored/failed).
import { Actor, CommandId, EpochMillis, Quantity, Reference, Sku, type Command } from '@larder/domain';
import type { ReplyOutcome, RequestFailure } from '@larder/messaging';
import { Either } from 'effect';
import { describe, expect, it } from 'vitest';
import type { CommandGateway } from '../../src/Commands/CommandGateway.js';
import { instrumentGateway } from '../../src/Metrics/InstrumentedGateway.js';
import { makeMetrics, type Metrics } from '../../src/Metrics/Metrics.js';

const command: Command = {
  _tag: 'Restock',
  commandId: CommandId.make('gw-1'),
  actor: Actor.make('service:test'),
  now: EpochMillis.make(0),
  sku: Sku.make('GW-1'),
  qty: Quantity.make(1),
  reference: Reference.make('po-1'),
};
const retry: ReplyOutcome = { _tag: 'Retry', reason: 'overloaded', detail: 'full' };
const noOwner: RequestFailure = { _tag: 'NoResponders', shard: 3 };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Answers each send with the next of `answers` after 20 ms; enqueue fails when `storeFails`. */
const fakeGateway = (answers: Array<Either.Either<ReplyOutcome, RequestFailure>>, storeFails = false): CommandGateway => ({
  send: async () => {
    await sleep(20);
    const next = answers.shift();
    if (next === undefined) throw new Error('the test sent more commands than it scripted');
    return next;
  },
  enqueue: async () => {
    await sleep(20);
    if (storeFails) throw new Error('JetStream timed out');
  },
});

const value = async (metrics: Metrics, series: string, labels: Record<string, string>) => {
  const text = await metrics.registry.metrics();
  const body = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const match = new RegExp(`^${series}\\{${body}\\} (\\S+)$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]);
};

describe('the timed gateway', () => {
  it('passes answers through and counts them by path and result, with the time waited', async () => {
    const metrics = makeMetrics();
    const gateway = instrumentGateway(fakeGateway([Either.right(retry), Either.left(noOwner), Either.right(retry)]), metrics);
    expect(await gateway.send(command)).toEqual(Either.right(retry));
    expect(await gateway.send(command)).toEqual(Either.left(noOwner));
    expect(await gateway.send(command)).toEqual(Either.right(retry));
    expect(await value(metrics, 'larder_api_commands_total', { path: 'request', result: 'retry' })).toBe(2);
    expect(await value(metrics, 'larder_api_commands_total', { path: 'request', result: 'no_owner' })).toBe(1);
    expect(await value(metrics, 'larder_api_commands_total', { path: 'request', result: 'accepted' })).toBe(0);
    expect(await value(metrics, 'larder_api_command_duration_seconds_count', { path: 'request' })).toBe(3);
    expect(await value(metrics, 'larder_api_command_duration_seconds_sum', { path: 'request' })).toBeGreaterThanOrEqual(3 * 0.019);
    expect(await value(metrics, 'larder_api_command_duration_seconds_count', { path: 'inv_cmd' })).toBe(0);
  });

  it('counts a stored command and a failed one on INV_CMD, and rethrows the failure', async () => {
    const metrics = makeMetrics();
    await instrumentGateway(fakeGateway([]), metrics).enqueue(command);
    await expect(instrumentGateway(fakeGateway([], true), metrics).enqueue(command)).rejects.toThrow('JetStream timed out');
    expect(await value(metrics, 'larder_api_commands_total', { path: 'inv_cmd', result: 'stored' })).toBe(1);
    expect(await value(metrics, 'larder_api_commands_total', { path: 'inv_cmd', result: 'failed' })).toBe(1);
    expect(await value(metrics, 'larder_api_command_duration_seconds_count', { path: 'inv_cmd' })).toBe(2);
  });
});

describe('the readiness gauge', () => {
  it('reports each check the server gives it, as 1 or 0, at scrape time', async () => {
    const metrics = makeMetrics();
    expect(await value(metrics, 'larder_api_ready', { check: 'nats' })).toBe(0);
    let loaded = true;
    metrics.reportReadiness(() => ({ nats: true, stockProjection: loaded }));
    expect(await value(metrics, 'larder_api_ready', { check: 'stockProjection' })).toBe(1);
    loaded = false;
    expect(await value(metrics, 'larder_api_ready', { check: 'stockProjection' })).toBe(0);
    expect(await value(metrics, 'larder_api_ready', { check: 'nats' })).toBe(1);
  });
});
