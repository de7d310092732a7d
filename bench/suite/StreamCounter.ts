// A Server-Sent Events client that only counts, for benches that keep many streams open for a whole
// run (libs/testing's openEventStream keeps every event in memory): `event: stock` frames and bytes
// received, whether `event: ready` came, and whether the server cut the connection before we closed it.
// Frames are counted by their `event: stock` line; a frame's data is one line of JSON, which cannot
// hold a newline, so the line cannot appear inside it. Nothing received is kept but a 12-character tail.
import { request, type IncomingMessage } from 'node:http';

const StockLine = 'event: stock\n';
const ReadyLine = 'event: ready\n';
/** Long enough that a line split across two chunks is still found, too short to hold a whole line. */
const Carry = Math.max(StockLine.length, ReadyLine.length) - 1;

export interface StreamCount {
  /** `event: stock` frames so far, snapshot frames (before `ready`) included. */
  readonly stockFrames: number;
  /** `event: stock` frames received before `event: ready` (the named SKUs' current views). */
  readonly snapshotFrames: number;
  readonly bytes: number;
  /** The connection ended while we had not closed it (the server cut it off, or it failed). */
  readonly cutOff: boolean;
}

export interface CountingStream {
  readonly status: number;
  readonly count: () => StreamCount;
  /** Resolves at `event: ready`; rejects if the connection ends first. */
  readonly ready: Promise<void>;
  readonly close: () => void;
}

const occurrences = (text: string, needle: string): number => {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
};

/** Opens `url` (http only, a connection of its own) and resolves once the status and headers are in. */
export const openCountingStream = (url: string, headers: Readonly<Record<string, string>>): Promise<CountingStream> =>
  new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      let stockFrames = 0;
      let snapshotFrames = 0;
      let bytes = 0;
      let isReady = false;
      let closing = false;
      let ended = false;
      let tail = '';
      let markReady: () => void = () => undefined;
      let failReady: (error: Error) => void = () => undefined;
      const ready = new Promise<void>((done, fail) => {
        markReady = done;
        failReady = fail;
      });
      // Handled here: a stream that never gets ready is reported by whoever awaits it.
      ready.catch(() => undefined);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        const text = tail + chunk;
        tail = text.slice(-Carry);
        const stock = occurrences(text, StockLine);
        stockFrames += stock;
        if (isReady) return;
        const readyAt = text.indexOf(ReadyLine);
        if (readyAt < 0) {
          snapshotFrames += stock;
          return;
        }
        snapshotFrames += occurrences(text.slice(0, readyAt), StockLine);
        isReady = true;
        markReady();
      });
      const end = () => {
        if (ended) return;
        ended = true;
        if (!isReady) failReady(new Error(`${url}: the stream ended before event: ready (HTTP ${res.statusCode ?? '?'})`));
      };
      res.on('close', end);
      res.on('end', end);
      res.on('error', end);
      resolve({
        status: res.statusCode ?? 0,
        count: () => ({ stockFrames, snapshotFrames, bytes, cutOff: ended && !closing }),
        ready,
        close: () => {
          closing = true;
          req.destroy();
          res.destroy();
        },
      });
    });
    req.end();
  });
