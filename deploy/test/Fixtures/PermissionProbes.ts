// What the server said about a client's permissions: every `Permissions Violation` it reported on a
// connection, and the violation behind a rejected request (JetStream API calls are requests).
import { PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';

export interface Violations {
  /** Resolves with the violation for `subject` once the server reports it; fails after `timeoutMs`. */
  readonly next: (operation: 'publish' | 'subscription', subject: string, timeoutMs?: number) => Promise<PermissionViolationError>;
  /** Every violation reported so far. */
  readonly all: () => ReadonlyArray<PermissionViolationError>;
}

export const recordViolations = (nc: NatsConnection): Violations => {
  const seen: Array<PermissionViolationError> = [];
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'error' && status.error instanceof PermissionViolationError) seen.push(status.error);
    }
  })();
  const find = (operation: string, subject: string) => seen.find((e) => e.operation === operation && e.subject === subject);
  return {
    all: () => seen,
    next: async (operation, subject, timeoutMs = 3_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(operation, subject);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no ${operation} violation for ${subject}; seen: ${seen.map((e) => e.message).join(' | ')}`);
        await new Promise((done) => setTimeout(done, 20));
      }
    },
  };
};

/** The PermissionViolationError somewhere in an error's cause chain, or undefined. */
export const violationIn = (error: unknown): PermissionViolationError | undefined => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PermissionViolationError) return e;
  }
  return undefined;
};

/** Awaits a promise that must be refused by a permission violation, and returns that violation. */
export const refused = async (work: Promise<unknown>): Promise<PermissionViolationError> => {
  const outcome = await work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a permission violation, but it succeeded with ${String(outcome.value)}`);
  const violation = violationIn(outcome.error);
  if (violation === undefined) throw new Error(`expected a permission violation, got: ${String(outcome.error)}`, { cause: outcome.error });
  return violation;
};
