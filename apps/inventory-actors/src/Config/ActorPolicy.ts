// The actor's tunables, named once (STYLE.md habit 6): group commit, mailbox, snapshots,
// passivation and expiry. Read from the environment by `RunnerConfig`.
export interface ActorPolicy {
  /** At most this many commands decided together and appended as one journal message. */
  readonly maxBatch: number;
  /** Commands waiting per SKU beyond this are answered `Retry: overloaded` at once. */
  readonly mailboxSize: number;
  /** Snapshot a SKU after this many events since its last snapshot… */
  readonly snapshotEveryEvents: number;
  /** …or this long after its first unsnapshotted event. */
  readonly snapshotEveryMs: number;
  /** Drop an idle SKU's state (no commands, no open holds) after this long. */
  readonly passivateAfterMs: number;
  /** How often due holds are looked for; a hold expires within this (plus decide time) of `expiresAt`. */
  readonly expiryTickMs: number;
  /** Group commit on (default) or off (one append per command; for the benchmark's comparison). */
  readonly groupCommit: boolean;
}

export const defaultActorPolicy: ActorPolicy = {
  maxBatch: 512,
  mailboxSize: 10_000,
  snapshotEveryEvents: 1_000,
  snapshotEveryMs: 10_000,
  passivateAfterMs: 5 * 60_000,
  expiryTickMs: 200,
  groupCommit: true,
};
