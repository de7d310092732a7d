// The system under test as separate processes: shard runners and API instances (each its own
// child, as in production) on a namespace of their own (`bench_api_<12 hex>`), one generated API
// key with every scope. BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each when it stops.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import { makeNames, Namespace, Shards, type Names } from '@larder/messaging';
import { freePort, LarderNodeFlags } from '@larder/testing';
import { generateApiKey } from '../../apps/api/src/Auth/ApiKeys.js';
import { startChildService, type ChildExit, type ChildService } from '../actors/ChildService.js';
import type { Services } from '../actors/Services.js';
import { makeApiIsolation, type ApiIsolation, type Removed } from '../api/ApiIsolation.js';

export const SuiteShards = 32;
const ReadyTimeoutMs = 120_000;
const StopGraceMs = 20_000;

export interface ApiInstance {
  readonly url: string;
  readonly child: ChildService;
}

export interface RunnerOptions {
  /** LARDER_OWNED_SHARDS (pinned shards, still through leases); undefined leaves it unset (a fair share). */
  readonly ownedShards?: string;
  /** Called with each chunk the runner writes (its pino log lines). */
  readonly onOutput?: (text: string) => void;
  /** Text of the log line that means started (default `"runner ready"`: it hosts its share). */
  readonly ready?: string;
  /** Node flags besides the profile's (e.g. an --import that marks when node is up). */
  readonly nodeArgs?: ReadonlyArray<string>;
  /** LOG_LEVEL for this runner (default info); `debug` adds each shard's `shard N: hosting` and `activated N SKUs on takeover` lines. */
  readonly logLevel?: 'info' | 'debug';
}

export interface SuiteSystem {
  readonly isolation: ApiIsolation;
  readonly names: Names;
  readonly apiKey: string;
  readonly env: Readonly<Record<string, string>>;
  readonly startRunner: (name: string, options?: RunnerOptions) => Promise<ChildService>;
  readonly startApi: (name: string) => Promise<ApiInstance>;
  /** Every child still running: API instances first, then runners (SIGTERM by pid). */
  readonly stop: () => Promise<Readonly<Record<string, ChildExit | null>>>;
  /** Stops the children, then removes the namespace's streams, buckets, schema and keys. */
  readonly remove: () => Promise<Removed | null>;
  /** Resolves with a report when any child dies unasked. */
  readonly deaths: () => ReadonlyArray<Promise<string>>;
  readonly pids: () => Readonly<Record<string, number>>;
  /** Where every child's whole log is written (`<name>.log`). */
  readonly logDir: string;
}

/**
 * The V8 flags of the API instances or runners: `LarderNodeFlags` (as deployed), unless
 * `BENCH_API_NODE_FLAGS` / `BENCH_RUNNER_NODE_FLAGS` says otherwise — space-separated, empty for Node's
 * defaults (how docs/performance.md's young-generation table and GC traces are reproduced).
 */
export const serverNodeFlags = (role: 'api' | 'runner'): ReadonlyArray<string> => {
  const text = process.env[`BENCH_${role.toUpperCase()}_NODE_FLAGS`];
  return text === undefined ? LarderNodeFlags : text.split(/\s+/).filter((flag) => flag.length > 0);
};

/**
 * The runners and API instances run compiled output (`dist/main.js`, plain node, as deployed) unless
 * BENCH_SOURCE=1 asks for the TypeScript sources through tsx (what `npm start` does). Compiled output
 * matters most to the recovery scenario's restart mode: tsx spends about a second loading TypeScript.
 */
const fromSource = process.env['BENCH_SOURCE'] === '1';
const entryOf = (app: 'inventory-actors' | 'api') => (fromSource ? `apps/${app}/src/main.ts` : `apps/${app}/dist/main.js`);

/** Builds every project's `dist` (nx, cached) unless the run uses the sources; returns what it ran. */
export const ensureBuilt = (): string => {
  if (fromSource) return 'BENCH_SOURCE=1: TypeScript sources through tsx';
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false' } });
  return 'compiled output (dist/main.js, built by `nx run-many -t build`)';
};

export const profileArgs = (): ReadonlyArray<string> => {
  const dir = process.env['BENCH_PROFILE_DIR'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
};

/** `onChild` sees every child as it starts (to watch for its death); `extraEnv` goes to every child. */
export const makeSuiteSystem = (services: Services, onChild: (child: ChildService) => void, extraEnv: Readonly<Record<string, string>> = {}): SuiteSystem => {
  const isolation = makeApiIsolation(services);
  const names = makeNames(Namespace.make(isolation.id), { shards: Shards.make(SuiteShards) });
  const { key, entry } = generateApiKey('bench', ['admin']);
  const env = { ...isolation.env, LOG_LEVEL: 'info', LARDER_SHARDS: String(SuiteShards), LARDER_API_KEYS: JSON.stringify([entry]), ...extraEnv };
  const children = new Map<string, ChildService>();
  const logDir = `${os.tmpdir()}/larder-bench/${isolation.id}`;
  mkdirSync(logDir, { recursive: true });
  const logs: Array<WriteStream> = [];
  /** The child's log, to its file and to the caller's listener. */
  const logTo = (name: string, listener?: (text: string) => void) => {
    const file = createWriteStream(`${logDir}/${name}.log`);
    logs.push(file);
    return (text: string) => {
      file.write(text);
      listener?.(text);
    };
  };
  const exits: Record<string, ChildExit | null> = {};
  const stopOne = async (name: string, child: ChildService) => {
    children.delete(name);
    exits[name] = await child.stop(StopGraceMs).catch(() => null);
  };
  const stop = async () => {
    for (const [name, child] of [...children].filter(([n]) => n.startsWith('api'))) await stopOne(name, child);
    for (const [name, child] of [...children]) await stopOne(name, child);
    for (const file of logs.splice(0)) file.end();
    return { ...exits };
  };
  return {
    isolation,
    names,
    apiKey: key,
    env,
    startRunner: async (name, options = {}) => {
      const child = await startChildService({
        name,
        entry: entryOf('inventory-actors'),
        env: {
          ...env,
          ...(options.ownedShards === undefined ? {} : { LARDER_OWNED_SHARDS: options.ownedShards }),
          ...(options.logLevel === undefined ? {} : { LOG_LEVEL: options.logLevel }),
        },
        ready: options.ready ?? '"runner ready"',
        readyTimeoutMs: ReadyTimeoutMs,
        nodeArgs: [...profileArgs(), ...serverNodeFlags('runner'), ...(options.nodeArgs ?? [])],
        onOutput: logTo(name, options.onOutput),
      });
      children.set(name, child);
      onChild(child);
      return child;
    },
    startApi: async (name) => {
      const port = await freePort();
      const child = await startChildService({
        name,
        entry: entryOf('api'),
        env: { ...env, PORT: String(port) },
        ready: '"api ready"',
        readyTimeoutMs: ReadyTimeoutMs,
        nodeArgs: [...profileArgs(), ...serverNodeFlags('api')],
        onOutput: logTo(name),
      });
      children.set(name, child);
      onChild(child);
      return { url: `http://127.0.0.1:${port}`, child };
    },
    stop,
    remove: async () => {
      await stop();
      return isolation.remove().catch((error: unknown) => {
        process.stderr.write(`✖ removing ${isolation.id} failed: ${String(error)}\n`);
        return null;
      });
    },
    deaths: () => [...children.values()].map((c) => c.died),
    pids: () => Object.fromEntries([...children].map(([name, c]) => [name, c.pid])),
    logDir,
  };
};
