// Every NATS header name Larder reads or writes, in one place (habit 11: messaging owns wire names).

export const HeaderNames = {
  /** JetStream de-duplication id: the command id (= the HTTP `Idempotency-Key`). */
  messageId: 'Nats-Msg-Id',
  /** JetStream fencing of a journal append: the subject's last sequence the owner has seen. */
  expectedLastSubjectSequence: 'Nats-Expected-Last-Subject-Sequence',
  /** W3C trace context, carried from the HTTP request to the actor. */
  traceParent: 'traceparent',
  /** The owner's lease epoch on a journal append. */
  epoch: 'Larder-Epoch',
  /** Why a message was dead-lettered (one line; see `headerValue`). */
  reason: 'Larder-Reason',
} as const;

export type HeaderName = (typeof HeaderNames)[keyof typeof HeaderNames];
