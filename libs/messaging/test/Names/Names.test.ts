// Every wire name, built from the namespace and the shard count; and subjects read back.
import { describe, expect, it } from '@effect/vitest';
import { ChannelId, LocationId, Sku } from '@larder/domain';
import { Either } from 'effect';
import {
  DefaultNamespace,
  DefaultShards,
  DropEventKinds,
  InvalidSubject,
  makeNames,
  Namespace,
  ProcessId,
  Shard,
  Shards,
  shardOf,
  StockEventKinds,
} from '../../src/index.js';

const names = makeNames(DefaultNamespace, { shards: DefaultShards });
const sku = Sku.make('JERKY-TERIYAKI-100G'); // shard 16 of 32 (pinned in Shard.test.ts)
const shard = Shard.make(16);
const processId = ProcessId.make('4Kq9YfTq2xZp0bWn1cLm7a');

// Naming rules of NATS: stream/consumer names no `.`, `*`, `>`, whitespace; buckets [A-Za-z0-9_-].
const streamOrConsumerName = /^[^.*>\s]+$/;
const bucketName = /^[A-Za-z0-9_-]+$/;
const kvKey = /^[-/_=.A-Za-z0-9]+$/;
const literalSubject = /^[^.*>\s]+(\.[^.*>\s]+)*$/;

describe('makeNames (default namespace, 32 shards)', () => {
  it('builds the request subject and its queue group', () => {
    expect(names.requests.subject(shard)).toBe('larder.inv.req.16');
    expect(names.requests.queueGroup(shard)).toBe('larder_inv_req_16');
  });

  it('builds the command subject from the SKU, the shard filter, the durable and the stream', () => {
    expect(names.commands.subject(sku)).toBe('larder.inv.cmd.16.JERKY-TERIYAKI-100G');
    expect(names.commands.shardFilter(shard)).toBe('larder.inv.cmd.16.*');
    expect(names.commands.durable(shard)).toBe('cmd_shard_16');
    expect(names.commands.stream).toBe('LARDER_INV_CMD');
    expect(names.commands.streamSubjects).toEqual(['larder.inv.cmd.>']);
  });

  it('builds the journal subject, shard filter and stream', () => {
    expect(names.journal.subject(sku)).toBe('larder.inv.evt.16.JERKY-TERIYAKI-100G');
    expect(names.journal.shardFilter(shard)).toBe('larder.inv.evt.16.*');
    expect(names.journal.stream).toBe('LARDER_INV_EVT');
    expect(names.journal.streamSubjects).toEqual(['larder.inv.evt.>']);
  });

  it('builds the dead-letter subject and stream', () => {
    expect(names.deadLetters.subject(shard)).toBe('larder.inv.dlq.16');
    expect(names.deadLetters.stream).toBe('LARDER_INV_DLQ');
    expect(names.deadLetters.streamSubjects).toEqual(['larder.inv.dlq.>']);
  });

  it.each(StockEventKinds)('builds the public %s subject', (kind) => {
    expect(names.stock.subject(kind, sku)).toBe(`larder.stock.v1.${kind}.JERKY-TERIYAKI-100G`);
  });

  it.each(DropEventKinds)('builds the public drop %s subject, under the same stream', (kind) => {
    expect(names.stock.dropSubject(kind, 'ghost-pepper-1200', sku)).toBe(`larder.stock.v1.drop.${kind}.ghost-pepper-1200.JERKY-TERIYAKI-100G`);
  });

  it('names the public stream', () => {
    expect(names.stock.stream).toBe('LARDER_STOCK');
    expect(names.stock.streamSubjects).toEqual(['larder.stock.v1.>']);
    expect(names.stock.notifySubject(sku)).toBe('larder.stock.v1.notify.JERKY-TERIYAKI-100G');
    expect(names.notify).toEqual({ durable: 'notify_back', backFilter: 'larder.stock.v1.back.>' });
  });

  it('names the KV buckets and keys', () => {
    expect(names.buckets).toEqual({ stock: 'larder_stock', shardLeases: 'larder_shard_leases', runners: 'larder_runners', requests: 'larder_requests', drops: 'larder_drops', webhooks: 'larder_webhooks', catalogue: 'larder_catalogue', availability: 'larder_availability' });
    expect(names.keys.request('AbC_-12')).toBe('k.AbC_-12');
    expect(names.keys.placing('AbC_-12')).toBe('p.AbC_-12');
    expect(names.keys.digestOfPlacing(names.keys.placing('AbC_-12'))).toBe('AbC_-12');
    // A client's reservation id may hold ":" (not allowed in a KV key): base64url.
    expect(names.keys.reservationId('cart:42')).toBe(`i.${Buffer.from('cart:42').toString('base64url')}`);
    expect(names.keys.stock(sku)).toBe('JERKY-TERIYAKI-100G');
    expect(names.keys.pack(sku)).toBe('pack.JERKY-TERIYAKI-100G');
    expect(names.keys.location(LocationId.make('3pl'))).toBe('location.3pl');
    expect(names.keys.channel(ChannelId.make('retail'))).toBe('channel.retail');
    expect(names.keys.channelAll).toBe('channel.>');
    expect(names.keys.lease(shard)).toBe('shard.16');
    expect(names.keys.runner(processId)).toBe('4Kq9YfTq2xZp0bWn1cLm7a');
    expect(names.kv.stream(names.buckets.shardLeases)).toBe('KV_larder_shard_leases');
    expect(names.kv.subject(names.buckets.shardLeases, names.keys.lease(shard))).toBe('$KV.larder_shard_leases.shard.16');
  });

  it('names the process inbox', () => {
    expect(names.inbox.prefix(processId)).toBe('larder._INBOX.4Kq9YfTq2xZp0bWn1cLm7a');
    expect(names.inbox.wildcard(processId)).toBe('larder._INBOX.4Kq9YfTq2xZp0bWn1cLm7a.>');
  });

  it('knows its shards', () => {
    expect(names.shards).toBe(32);
    expect(names.allShards).toHaveLength(32);
    expect(names.shardOf(sku)).toBe(shardOf(sku, DefaultShards));
  });
});

describe('makeNames (another namespace)', () => {
  const other = makeNames(Namespace.make('t_9f2c'), { shards: Shards.make(4) });
  const all = [
    other.commands.stream,
    other.journal.stream,
    other.deadLetters.stream,
    other.stock.stream,
    ...other.allShards.map(other.commands.durable),
  ];

  it('prefixes every name with it, uppercased in stream names', () => {
    expect(other.commands.stream).toBe('T_9F2C_INV_CMD');
    expect(other.stock.stream).toBe('T_9F2C_STOCK');
    expect(other.commands.subject(sku)).toBe(`t_9f2c.inv.cmd.${shardOf(sku, Shards.make(4))}.JERKY-TERIYAKI-100G`);
    expect(other.buckets.runners).toBe('t_9f2c_runners');
  });

  it('produces only names NATS accepts', () => {
    for (const name of all) expect(name).toMatch(streamOrConsumerName);
    for (const name of Object.values(other.buckets)) expect(name).toMatch(bucketName);
    for (const s of other.allShards) expect(other.keys.lease(s)).toMatch(kvKey);
    expect(other.keys.stock(sku)).toMatch(kvKey);
    expect(other.requests.queueGroup(Shard.make(3))).toMatch(streamOrConsumerName);
    for (const kind of StockEventKinds) expect(other.stock.subject(kind, sku)).toMatch(literalSubject);
    for (const kind of DropEventKinds) expect(other.stock.dropSubject(kind, 'drop_1-a', sku)).toMatch(literalSubject);
  });
});

describe('parseCommandSubject / parseEventSubject', () => {
  it('reads back what the builders wrote', () => {
    expect(names.parseCommandSubject(names.commands.subject(sku))).toEqual(Either.right({ shard, sku }));
    expect(names.parseEventSubject(names.journal.subject(sku))).toEqual(Either.right({ shard, sku }));
  });

  it.prop('round-trips every SKU', [Sku], ([any]) => {
    const expected = Either.right({ shard: names.shardOf(any), sku: any });
    expect(names.parseCommandSubject(names.commands.subject(any))).toEqual(expected);
    expect(names.parseEventSubject(names.journal.subject(any))).toEqual(expected);
  });

  it.each([
    ['another family', 'larder.inv.evt.16.JERKY-TERIYAKI-100G', 'expected a subject'],
    ['another namespace', 'other.inv.cmd.16.JERKY-TERIYAKI-100G', 'expected a subject'],
    ['no SKU token', 'larder.inv.cmd.16', 'SKU token is missing'],
    ['a non-numeric shard', 'larder.inv.cmd.x.JERKY-TERIYAKI-100G', 'not a whole number'],
    ['a padded shard', 'larder.inv.cmd.016.JERKY-TERIYAKI-100G', 'not a whole number'],
    ['a shard beyond the count', 'larder.inv.cmd.32.JERKY-TERIYAKI-100G', 'outside 0..31'],
    ['the wrong shard for the SKU', 'larder.inv.cmd.3.JERKY-TERIYAKI-100G', 'belongs to shard 16, not 3'],
    ['an extra token', 'larder.inv.cmd.16.JERKY.TERIYAKI', 'invalid SKU token'],
    ['a wildcard', 'larder.inv.cmd.16.*', 'invalid SKU token'],
    ['an empty SKU', 'larder.inv.cmd.16.', 'invalid SKU token'],
  ])('refuses %s', (_, subject, reason) => {
    const result = names.parseCommandSubject(subject);
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toBeInstanceOf(InvalidSubject);
      expect(result.left.subject).toBe(subject);
      expect(result.left.reason).toContain(reason);
    }
  });

  it('refuses a command subject as a journal subject', () => {
    expect(Either.isLeft(names.parseEventSubject(names.commands.subject(sku)))).toBe(true);
  });
});
