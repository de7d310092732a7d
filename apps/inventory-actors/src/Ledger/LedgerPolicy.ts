// The ledger projector's named knobs, in one place (STYLE.md habit 6): its durable consumer, how many
// inserts run at once, and how a failing Postgres is retried.
/** The durable consumer shared by every runner of a namespace (its stream already carries the namespace). */
export const LedgerDurable = 'ledger';

export interface LedgerPolicy {
  /** Inserts in flight at once (each one statement). */
  readonly concurrency: number;
  /** Journal messages (batches) an insert takes at most: whatever was delivered meanwhile, up to this. */
  readonly maxBatch: number;
  /** Messages delivered but not yet acked, across every runner sharing the consumer. */
  readonly maxAckPending: number;
  /** Redelivery after this long without an ack; above `insertTimeoutMs`, so a slow insert is not doubled. */
  readonly ackWaitMs: number;
  /** An insert still running after this is abandoned and its batch nak'd. */
  readonly insertTimeoutMs: number;
  /** First redelivery delay after a failed insert; doubles per delivery up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export const defaultLedgerPolicy: LedgerPolicy = {
  concurrency: 8,
  maxBatch: 256,
  maxAckPending: 1_000,
  ackWaitMs: 30_000,
  insertTimeoutMs: 10_000,
  backoffMs: 250,
  maxBackoffMs: 30_000,
};

/** The nak delay of a batch whose insert failed on its `deliveries`-th delivery. */
export const retryDelayMs = (policy: LedgerPolicy, deliveries: number): number =>
  Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, Math.min(deliveries - 1, 30)));
