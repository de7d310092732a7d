// How long a runner waits, after finding peers gone (no responders on their control subjects), before
// pinging them again to confirm (ADR 0010, "Crashed owners"). The confirmation must come at least a
// renewal interval (+ a margin) after the peer was last heard from, so that a peer that is alive and
// reaches the KV has renewed by then (and the compare-and-delete on its leases fails). Counting from
// its last heartbeat rather than from the first ping saves what already elapsed: a runner killed
// right after a heartbeat and found gone 400 ms later is confirmed 350 ms later, not 750. (Freeing a
// live runner's shards by mistake is still safe, only wasteful: fencing, ADR 0010.)

/** Margin over a renewal interval: a renewal round can run late by a scheduling hiccup. */
export const ConfirmGoneMarginMs = 250;

/**
 * Milliseconds to wait before the confirming ping: the latest of every peer's `lastHeartbeatAt +
 * renewEveryMs + margin`, counted from `now`; the whole interval for a peer never heard from (no
 * membership) or one whose heartbeat is in the future by this clock (clock skew: no credit taken).
 */
export const confirmGoneAfterMs = (lastHeartbeats: ReadonlyArray<number | undefined>, now: number, renewEveryMs: number): number => {
  const full = renewEveryMs + ConfirmGoneMarginMs;
  const waits = lastHeartbeats.map((at) => (at === undefined || at > now ? full : Math.min(full, Math.max(0, at + full - now))));
  return waits.length === 0 ? 0 : Math.max(...waits);
};
