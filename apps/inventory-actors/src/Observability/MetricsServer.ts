// A tiny HTTP server beside the runner for Prometheus: `GET /metrics` (text exposition format) and
// `GET /healthz` (the process is alive and serving). No credentials: protected by the network,
// like any scrape endpoint (DESIGN.md §6). Closed with the scope.
import { createServer, type Server } from 'node:http';
import { Data, Effect } from 'effect';
import type { Registry } from 'prom-client';

export class MetricsServerError extends Data.TaggedError('MetricsServerError')<{ readonly detail: string }> {}

const listen = (server: Server, host: string, port: number) =>
  Effect.async<number, MetricsServerError>((resume) => {
    const failed = (error: Error) => resume(Effect.fail(new MetricsServerError({ detail: `cannot listen on ${host}:${port}: ${error.message}` })));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const address = server.address();
      resume(Effect.succeed(typeof address === 'object' && address !== null ? address.port : port));
    });
  });

/** Serves `registry` on host:port until the scope closes; the port actually bound (useful with 0). */
export const serveMetrics = (registry: Registry, host: string, port: number) =>
  Effect.gen(function* () {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
          (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${String(error)}`),
        );
      } else if (path === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz');
      }
    });
    const bound = yield* Effect.acquireRelease(listen(server, host, port), () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void));
        server.closeAllConnections();
      }),
    );
    return { url: `http://${host}:${bound}`, port: bound };
  });
