// A real HTTP receiver for webhook tests on a free port: records every request (headers and raw body)
// and answers as the test says — a status, or no answer at all (to make the sender time out).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverAnswer = number | 'hang';

export interface ReceivedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
  /** What the receiver answered. */
  readonly answer: ReceiverAnswer;
  readonly at: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReadonlyArray<ReceivedRequest>;
  /** Answers for the next requests, in order; once used up, `otherwise`. */
  readonly script: (answers: ReadonlyArray<ReceiverAnswer>, otherwise?: ReceiverAnswer) => void;
  /** Resolves once `predicate` holds for the requests so far (polled), or fails after `timeoutMs`. */
  readonly waitFor: (predicate: (received: ReadonlyArray<ReceivedRequest>) => boolean, timeoutMs?: number) => Promise<ReadonlyArray<ReceivedRequest>>;
  readonly stop: () => Promise<void>;
}

const headersOf = (request: IncomingMessage) => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') out[name] = value;
  return out;
};

export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: Array<ReceivedRequest> = [];
  let queue: Array<ReceiverAnswer> = [];
  let otherwise: ReceiverAnswer = 200;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Array<Buffer> = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = queue.shift() ?? otherwise;
      received.push({ headers: headersOf(request), body: Buffer.concat(chunks).toString('utf8'), answer, at: Date.now() });
      if (answer === 'hang') return;
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    script: (answers, then = 200) => {
      queue = [...answers];
      otherwise = then;
    },
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (predicate(received)) return [...received];
        await new Promise((done) => setTimeout(done, 20));
      }
      throw new Error(`the receiver never saw what the test waited for; it got ${received.length} request(s): ${received.map((r) => `${r.answer} ${r.body.slice(0, 120)}`).join(' | ')}`);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};
