// A real Prometheus (the Debian package's `prometheus` binary) for tests: its own config, a temporary
// TSDB, a free port on 127.0.0.1; waited on until /-/ready, queried through its HTTP API, and stopped
// by its own pid (SIGTERM, then SIGKILL), never left behind if the test process dies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@larder/testing';
import { Either, ParseResult, Schema } from 'effect';
import { startServerProcess } from './Fixtures/ServerProcess.js';

const QueryResponse = Schema.Struct({
  status: Schema.Literal('success'),
  data: Schema.Struct({
    resultType: Schema.String,
    result: Schema.Array(Schema.Struct({ metric: Schema.Record({ key: Schema.String, value: Schema.String }), value: Schema.Tuple(Schema.Number, Schema.String) })),
  }),
});
export type QueryResult = typeof QueryResponse.Type.data.result;

export interface RunningPrometheus {
  readonly pid: number;
  readonly url: string;
  /** GET on its HTTP API, decoded with `schema`. */
  readonly api: <A, I>(path: string, schema: Schema.Schema<A, I>) => Promise<A>;
  /** An instant query; fails with Prometheus's error when the query does not run. */
  readonly query: (promql: string) => Promise<QueryResult>;
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

/** Starts `prometheus` with `config` (YAML text); resolves once it is ready. */
export const startPrometheus = async (config: string): Promise<RunningPrometheus> => {
  const dir = mkdtempSync(join(tmpdir(), 'larder-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServerProcess({
    name: 'prometheus',
    command: 'prometheus',
    install: 'Debian/Ubuntu: apt-get install prometheus; elsewhere the release tarball from prometheus.io/download',
    args: [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    ready: () => fetch(`${url}/-/ready`).then((r) => r.ok, () => false),
    readyTimeoutMs: 30_000,
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async <A, I>(path: string, schema: Schema.Schema<A, I>): Promise<A> => {
    const response = await fetch(`${url}${path}`);
    const body: unknown = await response.json();
    const decoded = Schema.decodeUnknownEither(schema)(body);
    if (Either.isLeft(decoded)) {
      throw new Error(`GET ${path} answered ${response.status} ${JSON.stringify(body).slice(0, 500)}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
    }
    return decoded.right;
  };

  return {
    pid: server.pid,
    url,
    api,
    query: async (promql) => (await api(`/api/v1/query?query=${encodeURIComponent(promql)}`, QueryResponse)).data.result,
    output: server.output,
    stop,
  };
};
