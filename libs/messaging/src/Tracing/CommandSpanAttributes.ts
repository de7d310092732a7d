// The attributes of a span about one command, the same on the API's and the runner's side, so a
// trace search by SKU, command id or outcome finds both halves. Messaging names follow OpenTelemetry's
// (still incubating) messaging conventions; they are spelled here rather than imported, as it advises.
import type { Command } from '@larder/domain';
import type { Attributes, Span } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReplyOutcome } from '../Codec/ReplyOutcome.js';

export const SpanAttributeNames = {
  messagingSystem: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  messageId: 'messaging.message.id',
  batchSize: 'messaging.batch.message_count',
  command: 'larder.command.type',
  commandId: 'larder.command.id',
  sku: 'larder.sku',
  shard: 'larder.shard',
  /** `Accepted`, `Rejected` or `Retry`; or the request failure (`NoResponders`, `Timeout`, …). */
  outcome: 'larder.outcome',
  rejection: 'larder.rejection',
  retryReason: 'larder.retry.reason',
  journalSeq: 'larder.journal.seq',
} as const;

export type MessagingOperation = 'send' | 'process';

export const commandSpanAttributes = (command: Command, subject: string, shard: number, operation: MessagingOperation): Attributes => ({
  [SpanAttributeNames.messagingSystem]: 'nats',
  [SpanAttributeNames.destination]: subject,
  [SpanAttributeNames.operationType]: operation,
  [SpanAttributeNames.messageId]: command.commandId,
  [SpanAttributeNames.command]: command._tag,
  [SpanAttributeNames.commandId]: command.commandId,
  [SpanAttributeNames.sku]: command.sku,
  [SpanAttributeNames.shard]: shard,
});

/** Records a command's answer on its span: a rejection is an answer, a `Retry` is an error. */
export const recordOutcome = (span: Span, outcome: ReplyOutcome): void => {
  span.setAttribute(SpanAttributeNames.outcome, outcome._tag);
  switch (outcome._tag) {
    case 'Accepted':
      if (outcome.seq !== null) span.setAttribute(SpanAttributeNames.journalSeq, outcome.seq);
      return;
    case 'Rejected':
      span.setAttribute(SpanAttributeNames.rejection, outcome.rejection._tag);
      return;
    case 'Retry':
      span.setAttribute(SpanAttributeNames.retryReason, outcome.reason);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${outcome.reason}: ${outcome.detail}` });
      return;
    default: {
      const never: never = outcome;
      return never;
    }
  }
};

/** Records a failure that is not an answer (no owner, a timeout, a broken reply, a refused publish). */
export const recordFailure = (span: Span, kind: string, detail: string): void => {
  span.setAttribute(SpanAttributeNames.outcome, kind);
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${kind}: ${detail}` });
};
