// The hot-path JetStream publisher against the real server: each publish gets its own PubAck (the
// stored sequence) even when hundreds are in flight, a failed Expected-Last-Subject-Sequence check
// is `Refused` with 10071, and a subject no stream captures is `NoStream` at once, not a time-out.
import { Sku } from '@larder/domain';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { Effect } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultTopologyOptions,
  HeaderNames,
  makeJetStreamPublisher,
  streamConfigs,
  WrongLastSequence,
  type JetStreamPublisher,
  type PubAck,
  type PubAckFailure,
} from '../../src/index.js';
import { connectTestNats, type TestNats } from './Support/TestNats.js';

let t: TestNats;
let publisher: JetStreamPublisher;
beforeAll(async () => {
  t = await connectTestNats();
  // Only the journal stream: the command subjects stay uncaptured for the NoStream case.
  const journal = streamConfigs(t.names, defaultTopologyOptions).find((c) => c.name === t.names.journal.stream);
  if (journal === undefined) throw new Error('streamConfigs has no journal stream');
  await t.jsm.streams.add(journal);
  publisher = makeJetStreamPublisher(t.nc, { inboxPrefix: t.inboxPrefix('publisher'), timeoutMs: 10_000 });
});
afterAll(async () => {
  publisher?.close();
  await t?.cleanup();
});

type Settled = { readonly ack: PubAck } | { readonly failure: PubAckFailure };
const publish = (p: JetStreamPublisher, subject: string, payload: Uint8Array, h?: MsgHdrs): Promise<Settled> =>
  Effect.runPromise(Effect.match(p.publish(subject, payload, h), { onSuccess: (ack) => ({ ack }), onFailure: (failure) => ({ failure }) }));
const ackOf = (s: Settled): PubAck | undefined => ('ack' in s ? s.ack : undefined);
const failureOf = (s: Settled): PubAckFailure | undefined => ('failure' in s ? s.failure : undefined);

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const expectingLast = (seq: number): MsgHdrs => {
  const h = headers();
  h.set(HeaderNames.expectedLastSubjectSequence, String(seq));
  return h;
};

describe('a publish the stream stores', () => {
  it('returns the PubAck with the stored sequence', async () => {
    const subject = t.names.journal.subject(Sku.make('PUB-ACK-1'));
    const result = await publish(publisher, subject, bytes('batch 1'));
    const stored = await t.jsm.streams.getMessage(t.names.journal.stream, { last_by_subj: subject });
    expect(result).toEqual({ ack: { stream: t.names.journal.stream, seq: stored?.seq, duplicate: false } });
    expect(stored === null ? '' : text(stored.data)).toBe('batch 1');
  });

  it('reports a second publish with the same Nats-Msg-Id as a duplicate of the first', async () => {
    const subject = t.names.journal.subject(Sku.make('PUB-DUP-1'));
    const withId = () => {
      const h = headers();
      h.set(HeaderNames.messageId, 'dup-1');
      return h;
    };
    const first = ackOf(await publish(publisher, subject, bytes('once'), withId()));
    const second = ackOf(await publish(publisher, subject, bytes('once'), withId()));
    expect(first?.duplicate).toBe(false);
    expect(second).toEqual({ stream: t.names.journal.stream, seq: first?.seq, duplicate: true });
  });
});

describe('fencing with Nats-Expected-Last-Subject-Sequence', () => {
  it('stores when the expected sequence is the subject’s last', async () => {
    const subject = t.names.journal.subject(Sku.make('PUB-FENCE-1'));
    const first = ackOf(await publish(publisher, subject, bytes('a'), expectingLast(0)));
    const next = ackOf(await publish(publisher, subject, bytes('b'), expectingLast(first?.seq ?? -1)));
    expect(first?.seq).toBeGreaterThan(0);
    expect(next?.seq).toBeGreaterThan(first?.seq ?? Infinity);
  });

  // nats-server 2.9 answers a failed expectation with `error` plus `stream`/`seq: 0`: a refusal, never a PubAck.
  it('refuses a stale writer with Refused / 10071 and stores nothing', async () => {
    const subject = t.names.journal.subject(Sku.make('PUB-FENCE-2'));
    const first = ackOf(await publish(publisher, subject, bytes('a'), expectingLast(0)));
    const next = ackOf(await publish(publisher, subject, bytes('b'), expectingLast(first?.seq ?? -1)));
    // A stale writer still believes `first` is the last batch.
    const stale = await publish(publisher, subject, bytes('stale'), expectingLast(first?.seq ?? -1));
    const last = await t.jsm.streams.getMessage(t.names.journal.stream, { last_by_subj: subject });
    expect(last?.seq).toBe(next?.seq); // the server stored nothing for the stale writer…
    expect(failureOf(stale)).toMatchObject({ _tag: 'Refused', code: 400, errCode: WrongLastSequence }); // …and the publisher must say so
  });
});

describe('a subject no stream captures', () => {
  it('fails with NoStream at once, long before the publisher’s time-out', async () => {
    const subject = t.names.commands.subject(Sku.make('PUB-NOSTREAM-1'));
    let timer: NodeJS.Timeout | undefined;
    // An ordering check, not a timing claim: the answer comes before a timer shorter than the 10 s time-out.
    const stillWaiting = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), 5_000)));
    const result = await Promise.race([publish(publisher, subject, bytes('lost?')), stillWaiting]);
    clearTimeout(timer);
    expect(result !== 'still waiting' && failureOf(result)?._tag).toBe('NoStream');
  });

  it('fails with Timeout at the deadline when something listens but no stream answers', async () => {
    const quick = makeJetStreamPublisher(t.nc, { inboxPrefix: t.inboxPrefix('quick'), timeoutMs: 300 });
    const subject = t.names.commands.subject(Sku.make('PUB-SILENT-1'));
    const sub = t.nc.subscribe(subject, { callback: () => undefined });
    await t.nc.flush();
    const sentAt = Date.now();
    const result = await publish(quick, subject, bytes('into the void'));
    const settledAt = Date.now();
    sub.unsubscribe();
    quick.close();
    expect(failureOf(result)?._tag).toBe('Timeout');
    expect(settledAt - sentAt).toBeGreaterThanOrEqual(300);
  });
});

describe('many publishes in flight at once', () => {
  it('gives every publish its own ack: distinct sequences, each pointing at its own message', async () => {
    const skus = Array.from({ length: 8 }, (_, i) => Sku.make(`PUB-MANY-${i}`));
    const sent = Array.from({ length: 400 }, (_, i) => ({ subject: t.names.journal.subject(skus[i % skus.length] ?? Sku.make('x')), body: `m-${i}` }));
    const results = await Promise.all(sent.map((m) => publish(publisher, m.subject, bytes(m.body))));
    const acks = results.map(ackOf);
    expect(acks.filter((a) => a === undefined)).toHaveLength(0);
    const seqs = acks.map((a) => a?.seq ?? -1);
    expect(new Set(seqs).size).toBe(sent.length);
    const stored = await Promise.all(seqs.map((seq) => t.jsm.streams.getMessage(t.names.journal.stream, { seq })));
    expect(stored.map((m) => (m === null ? null : { subject: m.subject, body: text(m.data) }))).toEqual(sent);
    expect(publisher.inFlight()).toBe(0);
  });
});

describe('closing', () => {
  it('answers what is still in flight with Timeout instead of leaving it hanging', async () => {
    const closing = makeJetStreamPublisher(t.nc, { inboxPrefix: t.inboxPrefix('closing'), timeoutMs: 10_000 });
    const subject = t.names.commands.subject(Sku.make('PUB-CLOSE-1'));
    const sub = t.nc.subscribe(subject, { callback: () => undefined }); // listens, never acks
    await t.nc.flush();
    const pending = publish(closing, subject, bytes('never acked'));
    await expect.poll(() => closing.inFlight()).toBe(1);
    closing.close();
    expect(failureOf(await pending)).toEqual({ _tag: 'Timeout', description: 'publisher closed' });
    sub.unsubscribe();
  });
});
