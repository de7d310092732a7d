// A real Prometheus (the Debian package's `prometheus` binary) for tests: its own config, a temporary
// TSDB, a free port on 127.0.0.1; waited on until /-/ready, queried through its HTTP API, and stopped
// by its own pid (SIGTERM, then SIGKILL), never left behind if the test process dies.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@larder/testing';
import { Either, ParseResult, Schema } from 'effect';

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

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Starts `prometheus` with `config` (YAML text); resolves once it is ready. */
export const startPrometheus = async (config: string): Promise<RunningPrometheus> => {
  const dir = mkdtempSync(join(tmpdir(), 'larder-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-16_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const ended = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', (error) => {
      output += `\nprometheus could not be started (apt-get install prometheus): ${error.message}`;
      done();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const killOnExit = () => {
    if (alive() && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (alive() && child.pid !== undefined) {
      const pid = child.pid;
      process.kill(pid, 'SIGTERM');
      const late = setTimeout(() => alive() && process.kill(pid, 'SIGKILL'), 10_000);
      await ended;
      clearTimeout(late);
    }
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

  const deadline = Date.now() + 30_000;
  while (alive() && Date.now() < deadline) {
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready && child.pid !== undefined) {
      return {
        pid: child.pid,
        url,
        api,
        query: async (promql) => (await api(`/api/v1/query?query=${encodeURIComponent(promql)}`, QueryResponse)).data.result,
        output: () => output,
        stop,
      };
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`prometheus was not ready within 30 s on ${url}; its output:\n${output}`);
};
