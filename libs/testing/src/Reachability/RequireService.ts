// Finds a usable service for a test file: the configured URL if it answers a real handshake, else a
// testcontainers container when a Docker engine exists, else a ServiceUnreachableError saying what to start.
import { dockerEngineAvailable } from './DockerEngine.js';
import { probeTcp } from './ProbeTcp.js';
import { redactUrl } from './RedactUrl.js';
import { serviceUnreachable, type ServiceName } from './Errors.js';

/** A service a test can use; `stop()` removes the container when one was started, else does nothing. */
export interface ServiceEndpoint {
  readonly url: string;
  readonly origin: 'configured' | 'container';
  readonly stop: () => Promise<void>;
}

/** What one service needs to be found, checked and, as a last resort, started. */
export interface ServiceSpec {
  readonly service: ServiceName;
  readonly envVar: string;
  readonly defaultUrl: string;
  readonly defaultPort: number;
  readonly startCommand: (port: number) => string;
  /** A real protocol round trip; rejects when the server is not usable. */
  readonly handshake: (url: string, timeoutMs: number) => Promise<void>;
  readonly startContainer: () => Promise<ServiceEndpoint>;
}

export interface RequireServiceOptions {
  /** Overrides the environment variable and the default. */
  readonly url?: string;
  /** Where the `*_URL` variables are read; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Runtime detection; defaults to testcontainers' own. Tests inject `async () => false`. */
  readonly dockerEngineAvailable?: () => Promise<boolean>;
  readonly timeoutMs?: number;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const probe = async (spec: ServiceSpec, url: string, timeoutMs: number): Promise<void> => {
  const parsed = new URL(url);
  const port = parsed.port === '' ? spec.defaultPort : Number(parsed.port);
  await probeTcp(parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port, timeoutMs);
  await spec.handshake(url, timeoutMs);
};

export const requireService = async (spec: ServiceSpec, options: RequireServiceOptions = {}): Promise<ServiceEndpoint> => {
  const env = options.env ?? process.env;
  const url = options.url ?? env[spec.envVar] ?? spec.defaultUrl;
  const timeoutMs = options.timeoutMs ?? 2_000;
  try {
    await probe(spec, url, timeoutMs);
    return { url, origin: 'configured', stop: () => Promise.resolve() };
  } catch (err) {
    const detect = options.dockerEngineAvailable ?? dockerEngineAvailable;
    if (!(await detect())) {
      const port = Number(URL.canParse(url) ? new URL(url).port || spec.defaultPort : spec.defaultPort);
      throw serviceUnreachable({
        service: spec.service,
        url: redactUrl(url),
        envVar: spec.envVar,
        startCommand: spec.startCommand(port),
        reason: errorText(err),
      });
    }
    const started = await spec.startContainer();
    try {
      await probe(spec, started.url, timeoutMs * 5);
      return started;
    } catch (containerErr) {
      await started.stop();
      throw containerErr;
    }
  }
};
