// The live stock stream behind GET /v1/stock/events (Server-Sent Events): every change this instance's
// KV watch keeps is written to each connected client that asked for its SKU, pushed, never polled. A
// frame's `id` is the change's revision in the KV `stock` bucket, the same on every API instance, so a
// client that reconnects with `Last-Event-ID` (to this instance or another) gets what it missed: the
// latest view of each SKU changed since, from the changes kept in memory, or, when its position is
// older than those, the current view of every SKU it follows. A client too slow to read is
// disconnected (it reconnects and resumes); a write never waits for a client, so none slows the API.
import type { StockView } from '@larder/messaging';
import { PassThrough } from 'node:stream';
import type { StreamSettings } from '../Config/ApiConfig.js';
import type { Metrics } from '../Metrics/Metrics.js';
import type { StockCache } from './StockCache.js';

interface Change {
  readonly revision: number;
  readonly view: StockView;
}

interface Client {
  /** null: every SKU. */
  readonly skus: ReadonlySet<string> | null;
  readonly out: PassThrough;
  /** Bytes queued in the socket below the stream (Node's own buffer). */
  readonly socketBuffered: () => number;
  readonly drop: () => void;
}

export interface StockStreamRequest {
  readonly skus: ReadonlySet<string> | null;
  /** The `Last-Event-ID` the client resumes from; undefined on a first connection. */
  readonly lastEventId: number | undefined;
  readonly socketBuffered: () => number;
  /** Cuts the connection (the client is too slow). */
  readonly disconnect: () => void;
  /** Called once the client is gone, whoever ended it. */
  readonly onClose: (listener: () => void) => void;
}

/** How a stream starts: `resumed` from kept changes, a `snapshot` of current views, or `live` (no SKUs named, nothing to resume). */
export type StreamStart = 'resumed' | 'snapshot' | 'live';

export interface StockFeed {
  /** Opens a client's stream: the frames that bring it up to date, then every matching change. */
  readonly open: (request: StockStreamRequest) => { readonly body: PassThrough; readonly start: StreamStart };
  readonly clients: () => number;
  /** Ends every stream (the server is closing: open streams would keep it from closing). */
  readonly close: () => void;
}

const frameOf = (body: string, id: number | undefined, event = 'stock') => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${body}\n\n`;

export const makeStockFeed = (cache: StockCache, serialised: (view: StockView) => string, metrics: Metrics, settings: StreamSettings): StockFeed => {
  // A ring of the latest changes; `floor`: every change after it is in the ring.
  const ring: Array<Change | undefined> = new Array<Change | undefined>(settings.replayChanges).fill(undefined);
  let next = 0;
  // Changes the watch delivered before this feed listened are not in the ring: older positions get a snapshot.
  let floor = cache.revision();
  const clients = new Set<Client>();

  const write = (client: Client, frame: string) => {
    client.out.write(frame);
    metrics.streamEvents.inc();
    const buffered = client.out.writableLength + client.out.readableLength + client.socketBuffered();
    if (buffered > settings.maxBufferBytes) {
      metrics.streamDropped.inc();
      client.drop();
    }
  };

  cache.onUpdate((view, _lagMs, revision) => {
    const evicted = ring[next];
    if (evicted !== undefined) floor = evicted.revision;
    ring[next] = { revision, view };
    next = (next + 1) % ring.length;
    if (clients.size === 0) return;
    let frame: string | undefined;
    for (const client of clients) {
      if (client.skus !== null && !client.skus.has(view.sku)) continue;
      frame ??= frameOf(serialised(view), revision);
      write(client, frame);
    }
  });

  /** The latest kept change of each followed SKU after `after`, oldest first. */
  const changesAfter = (after: number, skus: ReadonlySet<string> | null): ReadonlyArray<Change> => {
    const latest = new Map<string, Change>();
    for (let i = 1; i <= ring.length; i++) {
      const change = ring[(next - i + ring.length) % ring.length];
      if (change === undefined || change.revision <= after) break;
      if ((skus === null || skus.has(change.view.sku)) && !latest.has(change.view.sku)) latest.set(change.view.sku, change);
    }
    return [...latest.values()].sort((a, b) => a.revision - b.revision);
  };

  const keepAlive = setInterval(() => {
    for (const client of clients) client.out.write(': keep-alive\n\n');
  }, settings.keepAliveMs);
  keepAlive.unref();

  return {
    open: (request) => {
      const out = new PassThrough();
      const position = cache.revision();
      const resumable = request.lastEventId !== undefined && request.lastEventId >= floor && request.lastEventId <= position;
      const start: StreamStart = resumable ? 'resumed' : request.skus === null && request.lastEventId === undefined ? 'live' : 'snapshot';
      // A reconnecting browser waits this long (ms) before it tries again.
      out.write('retry: 2000\n\n');
      const missing: Array<string> = [];
      let caughtUp = 0;
      if (start === 'resumed') {
        for (const change of changesAfter(request.lastEventId ?? 0, request.skus)) {
          out.write(frameOf(serialised(change.view), change.revision));
          caughtUp++;
        }
      } else if (start === 'snapshot') {
        const views = request.skus === null ? cache.values() : [...request.skus].map((sku) => cache.get(sku) ?? sku);
        for (const view of views) {
          if (typeof view === 'string') missing.push(view);
          else {
            out.write(frameOf(serialised(view), undefined));
            caughtUp++;
          }
        }
      }
      metrics.streamEvents.inc(caughtUp);
      out.write(frameOf(JSON.stringify({ revision: position, start, missing }), position, 'ready'));
      const client: Client = {
        skus: request.skus,
        out,
        socketBuffered: request.socketBuffered,
        drop: () => {
          request.disconnect();
          gone();
        },
      };
      clients.add(client);
      metrics.streamClients.set(clients.size);
      function gone() {
        if (!clients.delete(client)) return;
        metrics.streamClients.set(clients.size);
        out.destroy();
      }
      request.onClose(gone);
      out.once('close', gone);
      return { body: out, start };
    },
    clients: () => clients.size,
    close: () => {
      clearInterval(keepAlive);
      for (const client of clients) client.out.end();
      clients.clear();
      metrics.streamClients.set(0);
    },
  };
};
