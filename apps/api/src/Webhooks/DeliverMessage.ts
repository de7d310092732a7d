// What happens to one message of an endpoint's consumer: send it, log the attempt, then ack it
// (delivered), nak it with the schedule's delay (failed, JetStream redelivers it), or dead-letter it
// and stop its redelivery (the budget is spent). The attempt number is JetStream's delivery count.
import { publicEventTypeOf, type Names } from '@larder/messaging';
import type { JsMsg } from '@nats-io/jetstream';
import { Either } from 'effect';
import type { DeadLetters } from './DeadLetters.js';
import { decodeWebhookDeadLetter } from './DeadLetters.js';
import type { DeliveryLog, DeliveryOutcome } from './DeliveryLog.js';
import { nextStep } from './RetrySchedule.js';
import { sendAttempt, type AttemptOutcome } from './SendAttempt.js';
import type { WebhookRegistration } from './WebhookEndpoint.js';
import { deliveryOf, type Delivery } from './WebhookPayload.js';
import type { WebhookSettings } from './WebhookSettings.js';

export interface DeliverDeps {
  readonly names: Names;
  readonly settings: WebhookSettings;
  readonly log: DeliveryLog;
  readonly deadLetters: DeadLetters;
  readonly now: () => number;
  readonly count: (outcome: DeliveryOutcome) => void;
  readonly warn: (detail: string) => void;
}

/** A dead letter that cannot be written yet is tried again this much later (the message stays pending). */
const DeadLetterRetryMs = 5_000;

const deliver = async (deps: DeliverDeps, endpoint: WebhookRegistration, m: JsMsg, delivery: Delivery, replay: boolean) => {
  const attempt = m.info.deliveryCount;
  const outcome: AttemptOutcome = await sendAttempt(delivery, endpoint, { timeoutMs: deps.settings.timeoutMs, now: deps.now });
  const step = outcome.ok ? undefined : nextStep(deps.settings.retryScheduleMs, attempt);
  const result: DeliveryOutcome = outcome.ok ? 'delivered' : step?._tag === 'Retry' ? 'failed' : 'dead_lettered';
  if (result === 'dead_lettered') {
    try {
      await deps.deadLetters.put({
        v: 1,
        endpointId: endpoint.id,
        delivery,
        attempts: attempt,
        ...(outcome.status === undefined ? {} : { lastStatus: outcome.status }),
        ...(outcome.error === undefined ? {} : { lastError: outcome.error }),
        reason: `no 2xx answer after ${attempt} attempt(s); last: ${outcome.error ?? 'unknown'}`,
        deadLetteredAt: new Date(deps.now()).toISOString(),
      });
    } catch (error) {
      deps.warn(`webhook ${endpoint.id}: could not store the dead letter of ${delivery.webhookId} (kept pending, retried in ${DeadLetterRetryMs} ms): ${String(error)}`);
      m.nak(DeadLetterRetryMs);
      return;
    }
  }
  await deps.log
    .append(endpoint.id, {
      v: 1,
      webhookId: delivery.webhookId,
      type: delivery.type,
      attempt,
      replay,
      at: new Date(deps.now()).toISOString(),
      outcome: result,
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      durationMs: outcome.durationMs,
    })
    .catch((error: unknown) => deps.warn(`webhook ${endpoint.id}: the delivery log refused an entry (delivery goes on): ${String(error)}`));
  deps.count(result);
  if (step?._tag === 'Retry') m.nak(step.delayMs);
  // A replay lives in a work queue: only an ack removes it. A STOCK message is kept for analysts: term stops its redelivery.
  else if (result === 'dead_lettered' && !replay) m.term();
  else m.ack();
};

/** A message of the endpoint's STOCK consumer; an event type the endpoint did not ask for is acked unsent. */
export const deliverStockMessage = async (deps: DeliverDeps, endpoint: WebhookRegistration, m: JsMsg) => {
  const type = publicEventTypeOf(deps.names, m.subject);
  if (type === undefined || !endpoint.events.includes(type)) {
    m.ack();
    return;
  }
  const delivery = deliveryOf(type, m.seq, m.data);
  if (Either.isLeft(delivery)) {
    deps.warn(`webhook ${endpoint.id}: STOCK message ${m.seq} on ${m.subject} is not a public event, skipped: ${delivery.left}`);
    m.term();
    return;
  }
  await deliver(deps, endpoint, m, delivery.right, false);
};

/** A message of the endpoint's replay consumer: a dead letter sent again. */
export const deliverReplayMessage = async (deps: DeliverDeps, endpoint: WebhookRegistration, m: JsMsg) => {
  const letter = decodeWebhookDeadLetter(m.data);
  if (Either.isLeft(letter)) {
    deps.warn(`webhook ${endpoint.id}: replay ${m.seq} does not decode, dropped: ${letter.left.reason}`);
    m.ack();
    return;
  }
  await deliver(deps, endpoint, m, letter.right.delivery, true);
};
