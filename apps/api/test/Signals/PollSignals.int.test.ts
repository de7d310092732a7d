// Poll and survey signals over real HTTP (DESIGN.md §10 "Demand", docs/demand-signals.md): answers posted
// by a poll tool, signed over the raw body; the same 1,000 answers posted twice count 1,000; an unsigned,
// wrongly signed or tampered body is a 401, a batch with one bad answer a 400 that stores nothing; a
// mapping names SKUs per answer (a flavour, two sizes), counts follow it at read time, and an unmapped
// answer is stored and counted nowhere; a respondent who changes their answer counts once, latest first.
import { randomBytes } from 'node:crypto';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollCountsAnswer } from '../../src/Signals/PollCounts.js';
import { PollSignatureHeader, signPollBody } from '../../src/Signals/PollSignature.js';
import { PollAnswersReceived } from '../../src/Signals/ReceivePollAnswers.js';
import { RestockSuggestionsAnswer } from '../../src/Demand/RestockSuggestions.js';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import type { ApiClient, HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const secret = `poll-${randomBytes(24).toString('base64url')}`;
let f: SystemFixture;
/** An instance without a secret, whose poll bodies may be 1 KiB at most. */
let unconfigured: ApiClient;
beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_POLL_SIGNING_SECRET: secret } });
  unconfigured = await f.startApiInstance({ LARDER_POLL_SIGNING_SECRET: '', LARDER_POLL_BODY_LIMIT_BYTES: '1024' });
});
afterAll(async () => f?.cleanup());

const ghost50 = uniqueSku('GHOST-50G');
const ghost100 = uniqueSku('GHOST-100G');
const teriyaki = uniqueSku('TERI-50G');

const answer = (pollId: string, i: number, overrides: Record<string, string> = {}) => ({
  pollId,
  questionId: 'flavour',
  answerId: i % 4 === 0 ? 'teriyaki' : 'ghost-pepper',
  respondentId: `resp-${i}`,
  at: `2026-12-20T09:${String(i % 60).padStart(2, '0')}:00Z`,
  ...overrides,
});
const batch = (pollId: string, n: number) => ({ answers: Array.from({ length: n }, (_, i) => answer(pollId, i)) });

const postRaw = (body: string, headers: Record<string, string>, on: ApiClient = f.api) =>
  on.raw({ method: 'POST', path: '/v1/signals/polls', body, key: null, headers: { 'content-type': 'application/json', ...headers } });
const postSigned = (body: unknown, on: ApiClient = f.api) => {
  const text = JSON.stringify(body);
  return postRaw(text, { [PollSignatureHeader]: signPollBody(secret, text) }, on);
};
const received = (answer: HttpAnswer) => {
  expect(answer.status, answer.text).toBe(200);
  return decodeBody(PollAnswersReceived, answer);
};
const mapTo = async (pollId: string, answers: Record<string, Record<string, ReadonlyArray<string>>>, expected = 200) => {
  const put = await f.api.put(`/v1/signals/polls/${pollId}/mapping`, { answers }, { key: f.keys.write });
  expect(put.status, put.text).toBe(expected);
  return put;
};
const counts = async (query: string) => {
  const answer = await f.api.get(`/v1/signals/polls/counts?${query}`, { key: f.keys.read });
  expect(answer.status, answer.text).toBe(200);
  return decodeBody(PollCountsAnswer, answer);
};
const respondentsFor = async (sku: string, pollId?: string) =>
  (await counts(`sku=${sku}${pollId === undefined ? '' : `&pollId=${pollId}`}`)).skus.find((s) => s.sku === sku)?.respondents;
const tallyOf = async (pollId: string) => (await counts(`pollId=${pollId}`)).polls.find((p) => p.pollId === pollId);

const flavours = { flavour: { 'ghost-pepper': [ghost50, ghost100], teriyaki: [teriyaki] } };

describe('the signature', () => {
  const body = JSON.stringify(answer('poll-sig', 1));

  it('a body signed with the shared secret is taken', async () => {
    expect(received(await postRaw(body, { [PollSignatureHeader]: signPollBody(secret, body) }))).toEqual({ received: 1, stored: 1, changed: 0, duplicates: 0 });
  });

  it('no x-larder-signature is a 401', async () => {
    expect(problemOf(await postRaw(body, {}))).toEqual(problem(401, 'unauthorized'));
  });

  it.each([
    ['signed with another secret', signPollBody(`${secret}-other`, body)],
    ['not sha256=<hex>', signPollBody(secret, body).replace('sha256=', 'sha1=')],
    ['a hex digest cut short', signPollBody(secret, body).slice(0, -2)],
    ['garbage', 'sha256=zz'],
  ])('a signature %s is a 401', async (_, signature) => {
    expect(problemOf(await postRaw(body, { [PollSignatureHeader]: signature }))).toEqual(problem(401, 'unauthorized'));
  });

  it('a tampered body with the original signature is a 401, even when it means the same JSON', async () => {
    const signature = signPollBody(secret, body);
    const tampered = body.replace('"resp-1"', '"resp-666"');
    expect(problemOf(await postRaw(tampered, { [PollSignatureHeader]: signature }))).toEqual(problem(401, 'unauthorized'));
    expect(problemOf(await postRaw(JSON.stringify(JSON.parse(body), null, 2), { [PollSignatureHeader]: signature }))).toEqual(problem(401, 'unauthorized'));
  });

  it('is checked before the body is read: an unsigned body that is not JSON is a 401 too', async () => {
    expect(problemOf(await postRaw('{not json', {}))).toEqual(problem(401, 'unauthorized'));
  });

  it('an API key is no substitute for it', async () => {
    const answer = await f.api.raw({ method: 'POST', path: '/v1/signals/polls', body, headers: { 'content-type': 'application/json' } });
    expect(problemOf(answer)).toEqual(problem(401, 'unauthorized'));
  });

  it('without LARDER_POLL_SIGNING_SECRET the route answers 503 signals-not-configured, signed or not', async () => {
    expect(problemOf(await postSigned(answer('poll-sig', 2), unconfigured))).toEqual(problem(503, 'signals-not-configured'));
    expect(problemOf(await postRaw(body, {}, unconfigured))).toEqual(problem(503, 'signals-not-configured'));
  });

  it('a body over LARDER_POLL_BODY_LIMIT_BYTES is a 413; one that is not JSON a 415', async () => {
    expect(problemOf(await postSigned(batch('poll-sig', 20), unconfigured))).toEqual(problem(413, 'payload-too-large'));
    expect(problemOf(await postRaw(body, { 'content-type': 'text/plain', [PollSignatureHeader]: signPollBody(secret, body) }))).toEqual(problem(415, 'unsupported-media-type'));
  });
});

describe('a batch of 1,000 answers posted twice', () => {
  const pollId = 'poll-twice';
  const payload = JSON.stringify(batch(pollId, 1_000));
  const signed = { [PollSignatureHeader]: signPollBody(secret, payload) };

  it('stores 1,000 answers, then none: the same payload counts 1,000', async () => {
    await mapTo(pollId, flavours, 201);
    expect(received(await postRaw(payload, signed))).toEqual({ received: 1_000, stored: 1_000, changed: 0, duplicates: 0 });
    expect(received(await postRaw(payload, signed))).toEqual({ received: 1_000, stored: 0, changed: 0, duplicates: 1_000 });
    expect(await tallyOf(pollId)).toMatchObject({ answers: 1_000, respondents: 1_000, unmappedAnswers: 0, unmapped: [] });
    // resp-0, resp-4, … (250) chose teriyaki; the other 750 ghost pepper, one flavour in two sizes.
    expect(await respondentsFor(teriyaki, pollId)).toBe(250);
    expect(await respondentsFor(ghost50, pollId)).toBe(750);
    expect(await respondentsFor(ghost100, pollId)).toBe(750);
  });

  it('counts each answer once across the SKUs of its flavour and the others: 1,000 respondents in all', async () => {
    const all = await counts(`pollId=${pollId}`);
    const ofPoll = (sku: string) => all.skus.find((s) => s.sku === sku)?.polls.find((p) => p.pollId === pollId)?.respondents ?? 0;
    expect(ofPoll(teriyaki) + ofPoll(ghost50)).toBe(1_000);
  });
});

describe('a batch with one bad answer', () => {
  const pollId = 'poll-bad';

  it('is a 400 naming the first bad answer, and nothing of it is stored', async () => {
    const body = batch(pollId, 50);
    body.answers[17] = answer(pollId, 17, { at: 'yesterday' });
    body.answers[30] = answer(pollId, 30, { respondentId: 'has space' });
    const refused = await postSigned(body);
    expect(problemOf(refused)).toEqual(problem(400, 'invalid-request'));
    expect(refused.body).toMatchObject({ index: 17, issues: [{ path: 'at' }] });
    expect(await tallyOf(pollId)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"answers": ['],
    ['an empty batch', JSON.stringify({ answers: [] })],
    ['more than 5,000 answers', JSON.stringify(batch(pollId, 5_001))],
    ['a field of its own', JSON.stringify({ ...answer(pollId, 1), score: 5 })],
  ])('%s is a 400', async (_, text) => {
    expect(problemOf(await postRaw(text, { [PollSignatureHeader]: signPollBody(secret, text) }))).toEqual(problem(400, 'invalid-request'));
    expect(await tallyOf(pollId)).toBeUndefined();
  });
});

describe('an answer no mapping names', () => {
  const pollId = 'poll-unmapped';

  it('is stored and counted for no SKU, and the poll lists it as unmapped', async () => {
    await mapTo(pollId, flavours, 201);
    received(await postSigned({ answers: [answer(pollId, 1), answer(pollId, 2), answer(pollId, 3, { answerId: 'smoked-salmon' })] }));
    const all = await counts(`pollId=${pollId}`);
    expect(all.skus.flatMap((s) => s.polls).reduce((sum, p) => sum + p.respondents, 0)).toBe(4); // 2 ghost-pepper answers × 2 sizes
    expect(all.skus.map((s) => s.sku).sort()).toEqual([ghost100, ghost50].sort());
    expect(all.polls).toEqual([
      expect.objectContaining({ pollId, answers: 3, respondents: 3, unmappedAnswers: 1, unmapped: [{ questionId: 'flavour', answerId: 'smoked-salmon', answers: 1 }] }),
    ]);
  });

  it('counts once a mapping names it, and an answer mapped to no SKU is no longer unmapped', async () => {
    await mapTo(pollId, { flavour: { ...flavours.flavour, 'smoked-salmon': [] } });
    expect(await tallyOf(pollId)).toMatchObject({ unmappedAnswers: 0, unmapped: [] });
    await mapTo(pollId, { flavour: { ...flavours.flavour, 'smoked-salmon': [teriyaki] } });
    expect(await respondentsFor(teriyaki, pollId)).toBe(1);
  });
});

describe('a mapping', () => {
  const pollId = 'poll-remap';

  it('counts a flavour answer for both SKUs it names, and a remapping moves the counts at once', async () => {
    const missing = await f.api.get(`/v1/signals/polls/${pollId}/mapping`, { key: f.keys.read });
    expect(problemOf(missing)).toEqual(problem(404, 'not-found'));
    received(await postSigned(batch(pollId, 8)));
    expect(await respondentsFor(ghost50, pollId)).toBe(0);

    const put = await mapTo(pollId, flavours, 201);
    expect(put.body).toMatchObject({ pollId, answers: flavours, updatedBy: 'apikey:test-write' });
    expect((await f.api.get(`/v1/signals/polls/${pollId}/mapping`, { key: f.keys.read })).body).toEqual(put.body);
    expect([await respondentsFor(ghost50, pollId), await respondentsFor(ghost100, pollId), await respondentsFor(teriyaki, pollId)]).toEqual([6, 6, 2]);

    await mapTo(pollId, { flavour: { 'ghost-pepper': [ghost50], teriyaki: [teriyaki, ghost100] } });
    expect([await respondentsFor(ghost50, pollId), await respondentsFor(ghost100, pollId), await respondentsFor(teriyaki, pollId)]).toEqual([6, 2, 2]);
  });

  it('sums a SKU over polls, a respondent once per poll however many of its answers name the SKU', async () => {
    const other = 'poll-remap-2';
    await mapTo(other, { flavour: { teriyaki: [teriyaki] }, 'next-drop': { teriyaki: [teriyaki] } }, 201);
    received(await postSigned({ answers: [answer(other, 0), answer(other, 0, { questionId: 'next-drop' })] }));
    const sku = (await counts(`sku=${teriyaki}`)).skus.find((s) => s.sku === teriyaki);
    expect(sku?.polls.find((p) => p.pollId === other)?.respondents).toBe(1);
    expect(sku?.respondents).toBe(sku?.polls.reduce((sum, p) => sum + p.respondents, 0));
  });

  it('shows each SKU\'s votes beside its restock suggestions, as the counts give them', async () => {
    const skus = [ghost50, ghost100, teriyaki];
    const expected = await Promise.all(skus.map(async (sku) => [sku, await respondentsFor(sku)]));
    expect(expected.every(([, n]) => typeof n === 'number' && n > 0)).toBe(true);
    const answer = await f.api.get(`/v1/restock-suggestions?${skus.map((sku) => `sku=${sku}`).join('&')}`, { key: f.keys.read });
    expect(answer.status, answer.text).toBe(200);
    const items = decodeBody(RestockSuggestionsAnswer, answer).items;
    expect(skus.map((sku) => [sku, items.find((i) => i.sku === sku)?.signals.pollVotes])).toEqual(expected);
  });

  it('is refused when it is not one, and needs stock:write', async () => {
    const bad = await f.api.put(`/v1/signals/polls/${pollId}/mapping`, { answers: { flavour: { teriyaki: ['NOT A SKU'] } } }, { key: f.keys.write });
    expect(problemOf(bad)).toEqual(problem(400, 'invalid-request'));
    const read = await f.api.put(`/v1/signals/polls/${pollId}/mapping`, { answers: flavours }, { key: f.keys.read });
    expect(problemOf(read)).toEqual(problem(403, 'forbidden'));
    expect(problemOf(await f.api.get('/v1/signals/polls/counts', { key: null }))).toEqual(problem(401, 'unauthorized'));
  });
});

describe('a respondent who changes their answer', () => {
  const pollId = 'poll-changed';

  it('counts once, for the answer with the latest `at`, whatever order the answers arrive in', async () => {
    await mapTo(pollId, flavours, 201);
    const first = answer(pollId, 1, { answerId: 'teriyaki', at: '2026-12-20T09:00:00Z' });
    const later = answer(pollId, 1, { answerId: 'ghost-pepper', at: '2026-12-20T10:00:00+00:30' });
    expect(received(await postSigned(later))).toMatchObject({ stored: 1 });
    expect(received(await postSigned(first))).toMatchObject({ stored: 0, changed: 0, duplicates: 1 });
    expect([await respondentsFor(ghost50, pollId), await respondentsFor(teriyaki, pollId)]).toEqual([1, 0]);

    const latest = answer(pollId, 1, { answerId: 'teriyaki', at: '2026-12-21T08:00:00Z' });
    expect(received(await postSigned({ answers: [first, latest, later] }))).toEqual({ received: 3, stored: 0, changed: 1, duplicates: 2 });
    expect([await respondentsFor(ghost50, pollId), await respondentsFor(teriyaki, pollId)]).toEqual([0, 1]);
    expect(await tallyOf(pollId)).toMatchObject({ answers: 1, respondents: 1 });
  });
});

describe('the metrics and the API document', () => {
  it('larder_poll_answers_total counts answers by outcome', async () => {
    const text = (await f.api.get('/metrics', { key: null })).text;
    const outcome = (name: string) => Number(new RegExp(`^larder_poll_answers_total\\{outcome="${name}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(outcome('stored')).toBeGreaterThanOrEqual(1_000);
    expect(outcome('duplicate')).toBeGreaterThanOrEqual(1_000);
    expect(outcome('changed')).toBeGreaterThanOrEqual(1);
  });

  it('lists the routes, the webhook with its signature header and body shape', async () => {
    const Document = Schema.Struct({ paths: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: Schema.Unknown }) }) });
    const doc = decodeBody(Document, await f.api.get('/docs/openapi.json', { key: null }));
    expect(Object.keys(doc.paths['/v1/signals/polls'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/v1/signals/polls/{pollId}/mapping'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/v1/signals/polls/counts'] ?? {})).toEqual(['get']);
    expect(doc.paths['/v1/signals/polls']?.['post']).toMatchObject({
      security: [],
      parameters: [{ name: PollSignatureHeader, in: 'header', required: true }],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PollSubmission' } } } },
    });
  });
});
