// compose.yaml and nats/nats-server.conf hold what the rest of Larder assumes: the three services, images
// pinned to a major, loopback ports, healthchecks and declared volumes; and a config nats-server accepts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Either, ParseResult, Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const file = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** `name:<major>[.<minor>]-<variant>`: a major is pinned, `latest` or a bare name is not. */
const pinnedImage = (name: string, major: number) =>
  Schema.String.pipe(Schema.pattern(new RegExp(`^${name}:${major}(\\.\\d+)*(-[a-z0-9.]+)?$`)));

const Healthcheck = Schema.Struct({
  test: Schema.Tuple([Schema.Literal('CMD', 'CMD-SHELL')], Schema.String),
  interval: Schema.String,
  timeout: Schema.String,
  retries: Schema.Int.pipe(Schema.positive()),
});

/** A service: the image, ports and healthcheck we rely on, and a named volume for its data. */
const Service = (image: Schema.Schema<string>, port: number, dataVolume: string) =>
  Schema.Struct({
    image,
    ports: Schema.Array(Schema.String).pipe(
      Schema.filter((ports) => ports.includes(`127.0.0.1:${port}:${port}`) || `port ${port} must be published on 127.0.0.1`),
      Schema.filter((ports) => ports.every((p) => p.startsWith('127.0.0.1:')) || 'every port must be bound to 127.0.0.1'),
    ),
    healthcheck: Healthcheck,
    volumes: Schema.Array(Schema.String).pipe(
      Schema.filter((vs) => vs.some((v) => v.startsWith(`${dataVolume}:`)) || `the ${dataVolume} volume must be mounted`),
    ),
  });

const ComposeFile = Schema.Struct({
  services: Schema.Struct({
    nats: Schema.extend(
      Service(pinnedImage('nats', 2), 4222, 'nats-data'),
      Schema.Struct({ command: Schema.Array(Schema.String) }),
    ),
    postgres: Service(pinnedImage('postgres', 15), 5432, 'postgres-data'),
    redis: Service(pinnedImage('redis', 7), 6379, 'redis-data'),
  }),
  volumes: Schema.Struct({ 'nats-data': Schema.Unknown, 'postgres-data': Schema.Unknown, 'redis-data': Schema.Unknown }),
});

const decodeCompose = () => {
  const decoded = Schema.decodeUnknownEither(ComposeFile)(parse(readFileSync(file('compose.yaml'), 'utf8')));
  if (Either.isLeft(decoded)) throw new Error(ParseResult.TreeFormatter.formatErrorSync(decoded.left));
  return decoded.right;
};

describe('compose.yaml', () => {
  it('declares nats, postgres and redis with pinned images, loopback ports, healthchecks and volumes', () => {
    const compose = decodeCompose();
    expect(Object.keys(compose.services).sort()).toEqual(['nats', 'postgres', 'redis']);
  });

  it('runs NATS from the shared config file with JetStream stored on the named volume', () => {
    const { nats } = decodeCompose().services;
    expect(nats.volumes).toContain('./nats/nats-server.conf:/etc/nats/larder.conf:ro');
    expect(nats.command).toEqual(expect.arrayContaining(['-c', '/etc/nats/larder.conf', '-sd', '/data']));
    expect(nats.volumes).toContain('nats-data:/data');
  });

  it('rejects an unpinned image (the schema is not vacuous)', () => {
    const result = Schema.decodeUnknownEither(pinnedImage('redis', 7))('redis:latest');
    expect(Either.isLeft(result)).toBe(true);
    expect(Either.isRight(Schema.decodeUnknownEither(pinnedImage('redis', 7))('redis:7.2-alpine'))).toBe(true);
  });
});

describe('nats/nats-server.conf', () => {
  it('is accepted by `nats-server -t`', () => {
    const run = spawnSync('nats-server', ['-t', '-c', file('nats/nats-server.conf')], { encoding: 'utf8' });
    if (run.error) throw new Error(`nats-server is needed on PATH for this check: ${run.error.message}`);
    expect(`${run.stdout}${run.stderr}`).toContain('is valid');
    expect(run.status).toBe(0);
  });

  it('would be rejected by `nats-server -t` if it were broken (the check is real)', () => {
    const run = spawnSync('nats-server', ['-t', '-c', '/dev/null/missing.conf'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
  });
});
