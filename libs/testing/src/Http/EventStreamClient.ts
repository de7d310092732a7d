// A Server-Sent Events client for tests and benches (node:http, no browser): connects with headers
// (an API key, Last-Event-ID), parses frames as they arrive, can stop reading to play a slow client,
// and says when the server ended or cut the connection.
import { request, type IncomingMessage } from 'node:http';

export interface StreamEvent {
  readonly event: string;
  /** The frame's own `id:` (undefined when it has none). */
  readonly id: string | undefined;
  readonly data: string;
}

export interface EventStreamClient {
  readonly status: number;
  readonly contentType: string;
  /** Every event received so far, in order. */
  readonly events: () => ReadonlyArray<StreamEvent>;
  /** The last `id:` received (what a browser would send as Last-Event-ID). */
  readonly lastEventId: () => string | undefined;
  /** Resolves with the first event, among those received so far or later, that satisfies `predicate`. */
  readonly waitFor: (predicate: (event: StreamEvent) => boolean, timeoutMs?: number) => Promise<StreamEvent>;
  /** Stops reading from the socket (the server's writes pile up), as a slow client does. */
  readonly pause: () => void;
  /** Reads again after `pause`, throwing away what arrives (a paused client only sees the connection end once it reads). */
  readonly discardRest: () => void;
  /** Resolves when the connection ends, whoever ended it. */
  readonly closed: Promise<void>;
  readonly isClosed: () => boolean;
  readonly close: () => void;
  /** Called with each event as it arrives. */
  readonly onEvent: (listener: (event: StreamEvent) => void) => void;
}

/** Opens `url` (http only) and resolves once the response's status and headers are in. */
export const openEventStream = (url: string, headers: Readonly<Record<string, string>> = {}): Promise<EventStreamClient> =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const events: Array<StreamEvent> = [];
      const listeners: Array<(event: StreamEvent) => void> = [];
      const waiters: Array<{ readonly predicate: (event: StreamEvent) => boolean; readonly done: (event: StreamEvent) => void }> = [];
      let lastId: string | undefined;
      let buffer = '';
      let ended = false;
      let markClosed: () => void = () => undefined;
      const closed = new Promise<void>((done) => {
        markClosed = () => {
          ended = true;
          done();
        };
      });
      const deliver = (event: StreamEvent) => {
        events.push(event);
        if (event.id !== undefined) lastId = event.id;
        for (const l of listeners) l(event);
        for (let i = waiters.length - 1; i >= 0; i--) {
          const waiter = waiters[i];
          if (waiter !== undefined && waiter.predicate(event)) {
            waiters.splice(i, 1);
            waiter.done(event);
          }
        }
      };
      const parseFrame = (frame: string) => {
        let event = 'message';
        let id: string | undefined;
        const data: Array<string> = [];
        for (const line of frame.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'id') id = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length > 0) deliver({ event, id, data: data.join('\n') });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('close', markClosed);
      res.on('end', markClosed);
      res.on('error', markClosed);
      req.on('close', markClosed);
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        events: () => events,
        lastEventId: () => lastId,
        waitFor: (predicate, timeoutMs = 10_000) => {
          const seen = events.find(predicate);
          if (seen !== undefined) return Promise.resolve(seen);
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching event within ${timeoutMs} ms; received ${events.length}: ${events.slice(-3).map((e) => `${e.event} ${e.data.slice(0, 120)}`).join(' | ')}`)), timeoutMs);
            waiters.push({ predicate, done: (event) => {
              clearTimeout(timer);
              done(event);
            } });
          });
        },
        pause: () => {
          res.pause();
          res.removeAllListeners('data');
        },
        discardRest: () => {
          res.on('data', () => undefined);
          res.resume();
        },
        closed,
        isClosed: () => ended,
        close: () => {
          req.destroy();
          res.destroy();
        },
        onEvent: (listener) => void listeners.push(listener),
      });
    });
    req.end();
  });
