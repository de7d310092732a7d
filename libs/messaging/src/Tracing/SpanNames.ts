// The name of every span Larder makes, in one table (docs/observability.md, "Tracing", lists them):
// `<operation> <subject template>` for messaging spans, as OpenTelemetry's messaging conventions do.
export const SpanNames = {
  /** API: a sync command sent to its shard's owner on `inv.req.<shard>`, until its answer (or failure). */
  sendRequest: 'send inv.req',
  /** API: an async command stored on INV_CMD (`inv.cmd.<shard>.<sku>`), until JetStream acknowledged it. */
  publishCommand: 'publish inv.cmd',
  /** Runner: one item of a request batch, from receipt until its answer is settled. */
  processRequest: 'process inv.req',
  /** Runner: one INV_CMD message, from delivery until it is acked, nak'd or dead-lettered. */
  processCommand: 'process inv.cmd',
  /** Runner: the actor deciding one command (in memory, with the rest of its group-commit batch). */
  decide: 'decide',
  /** Runner: one fenced journal append carrying the events of a whole group-commit batch. */
  append: 'append inv.evt',
} as const;
export type SpanName = (typeof SpanNames)[keyof typeof SpanNames];
