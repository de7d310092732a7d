// One HTTP attempt of one delivery: signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
// `webhook-signature`), POSTed with a timeout. Never throws: every failure is an outcome.
import { Webhook } from 'standardwebhooks';
import { payloadOf, type Delivery } from './WebhookPayload.js';

export interface AttemptOutcome {
  readonly ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** Why there was no 2xx answer: a timeout, a refused connection, a DNS failure… */
  readonly error?: string;
  readonly durationMs: number;
}

/** The receiver's body is not read: only its status counts. */
const drain = async (response: Response) => {
  await response.body?.cancel().catch(() => undefined);
};

export const sendAttempt = async (
  delivery: Delivery,
  target: { readonly url: string; readonly secret: string },
  options: { readonly timeoutMs: number; readonly now: () => number },
): Promise<AttemptOutcome> => {
  const body = payloadOf(delivery);
  // One instant for the header and the signature (the receiver checks both against each other).
  const sentAt = new Date(options.now());
  const signature = new Webhook(target.secret).sign(delivery.webhookId, sentAt, body);
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Larder-Webhooks/1',
        'webhook-id': delivery.webhookId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await drain(response);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, durationMs: duration(), ...(ok ? {} : { error: `HTTP ${response.status}` }) };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const detail = timedOut ? `no answer within ${options.timeoutMs} ms` : `${error instanceof Error ? error.message : String(error)}${cause}`;
    return { ok: false, error: detail.slice(0, 500), durationMs: duration() };
  }
};
