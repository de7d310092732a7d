// Reads the few settings of a nats-server config file that the compose cluster depends on (server
// name, cluster name and routes, includes, store dir), and runs `nats-server -t` on a file.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';

export interface NatsClusterSettings {
  readonly serverName: string | undefined;
  readonly clusterName: string | undefined;
  readonly clusterListen: string | undefined;
  /** Each route as host and port (`nats-route://nats-2:6222` → nats-2, 6222). */
  readonly routes: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  readonly includes: ReadonlyArray<string>;
  readonly storeDir: string | undefined;
  readonly httpPort: number | undefined;
}

const withoutComments = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join('\n');

const value = (text: string, key: string) => new RegExp(`(?:^|\\s)${key}\\s*[:=]\\s*"?([^"\\s]+)"?`, 'm').exec(text)?.[1];

/** The text of a `name { … }` block (no nested blocks inside the ones we read). */
const block = (text: string, name: string) => new RegExp(`(?:^|\\s)${name}\\s*\\{([^}]*)\\}`, 'm').exec(text)?.[1];

/** Settings of a config file with its `include`s read in (paths relative to the including file). */
export const readNatsConfig = (path: string): NatsClusterSettings => {
  const own = withoutComments(readFileSync(path, 'utf8'));
  const includes = [...own.matchAll(/^\s*include\s+"?([^"\s]+)"?/gm)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
  const text = [own, ...includes.map((file) => withoutComments(readFileSync(join(dirname(path), file), 'utf8')))].join('\n');
  const cluster = block(text, 'cluster') ?? '';
  const routes = [...(/routes\s*[:=]?\s*\[([^\]]*)\]/.exec(cluster)?.[1] ?? '').matchAll(/nats(?:-route)?:\/\/([a-z0-9.-]+):(\d+)/g)].flatMap(
    (m) => (m[1] === undefined ? [] : [{ host: m[1], port: Number(m[2]) }]),
  );
  const httpPort = value(text, 'http_port');
  return {
    serverName: value(text, 'server_name'),
    clusterName: value(cluster, 'name'),
    clusterListen: value(cluster, 'listen'),
    routes,
    includes,
    storeDir: value(block(text, 'jetstream') ?? '', 'store_dir'),
    httpPort: httpPort === undefined ? undefined : Number(httpPort),
  };
};

/** `nats-server -t -c <path>`: exit status and output. Throws when nats-server is not on PATH. */
export const natsServerCheck = (path: string) => {
  const run = spawnSync('nats-server', ['-t', '-c', path], { encoding: 'utf8' });
  if (run.error) throw new Error(`nats-server is needed on PATH for this check: ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};
