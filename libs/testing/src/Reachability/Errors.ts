// Errors of the reachability probe (one file per module, ADR 0003). ServiceUnreachableError is what a test
// sees when a service it needs is down and testcontainers cannot stand in: its message says what to start.
import { Data } from 'effect';

export type ServiceName = 'NATS' | 'Postgres' | 'Redis';

export interface ServiceUnreachableFields {
  readonly service: ServiceName;
  /** The URL probed, password redacted. */
  readonly url: string;
  readonly envVar: string;
  readonly startCommand: string;
  readonly reason: string;
}

export class ServiceUnreachableError extends Data.TaggedError('ServiceUnreachableError')<
  ServiceUnreachableFields & { readonly message: string }
> {}

export const serviceUnreachable = (fields: ServiceUnreachableFields): ServiceUnreachableError =>
  new ServiceUnreachableError({
    ...fields,
    message:
      `${fields.service} is not reachable at ${fields.url} (${fields.envVar}). ` +
      `Start it (\`${fields.startCommand}\`) or set ${fields.envVar}; ` +
      `no Docker engine was found for testcontainers. Cause: ${fields.reason}`,
  });
