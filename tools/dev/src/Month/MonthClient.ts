// The simulation's HTTP client of the API: JSON over Node's keep-alive fetch, an Idempotency-Key on
// every POST (the same key on each retry), and another try after Retry-After while the API answers 503
// (admission control sheds under load; a shard may not have its owner yet).
import { randomUUID } from 'node:crypto';
import { fetchRetrying } from '../FetchRetrying.js';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export interface MonthClient {
  readonly get: (path: string) => Promise<Answer>;
  readonly put: (path: string, body: unknown) => Promise<Answer>;
  /** With a fresh Idempotency-Key, kept across retries. */
  readonly post: (path: string, body: unknown) => Promise<Answer>;
  /** A body sent as given, with these headers and no API key (the signed poll route). */
  readonly postRaw: (path: string, raw: string, headers: Readonly<Record<string, string>>) => Promise<Answer>;
  /** How many 503 answers were retried. */
  readonly retried: () => number;
}

export const makeMonthClient = (baseUrl: string, apiKey: string): MonthClient => {
  let retries = 0;
  const call = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetchRetrying(`${baseUrl}${path}`, init, () => retries++);
    const text = await response.text();
    const json = text.length > 0 && (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, body: json ? JSON.parse(text) : undefined, text };
  };
  const json = { 'content-type': 'application/json', 'x-api-key': apiKey };
  return {
    get: (path) => call(path, { headers: { 'x-api-key': apiKey } }),
    put: (path, body) => call(path, { method: 'PUT', headers: json, body: JSON.stringify(body) }),
    post: (path, body) => call(path, { method: 'POST', headers: { ...json, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) }),
    postRaw: (path, raw, headers) => call(path, { method: 'POST', headers, body: raw }),
    retried: () => retries,
  };
};

/** Throws unless the answer has one of the statuses expected. */
export const expectStatus = (what: string, answer: Answer, ...statuses: ReadonlyArray<number>): Answer => {
  if (!statuses.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer;
};
