// A webhook endpoint: the PUT body, the registration kept in KV `webhooks` (with its signing secret),
// and what the API shows of it (never the whole secret).
import { randomBytes } from 'node:crypto';
import { makeJsonCodec, PublicEventType, PublicEventTypes } from '@larder/messaging';
import { Schema } from 'effect';

/** An endpoint id: a NATS token and part of a consumer name. */
export const WebhookId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/),
  Schema.annotations({ description: '1–64 letters, digits, "_" or "-"' }),
);

const urlProblem = (text: string): true | string => {
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'an absolute http:// or https:// URL';
    // Credentials in a URL would be kept in the delivery log and shown by GET: sign with the secret instead.
    if (url.username !== '' || url.password !== '') return 'a URL without a user name or password (deliveries are signed with the endpoint secret)';
    return true;
  } catch {
    return 'an absolute http:// or https:// URL';
  }
};

const WebhookUrl = Schema.String.pipe(Schema.maxLength(2048), Schema.filter(urlProblem));

/** `whsec_` and 24 to 64 random bytes in base64 (the Standard Webhooks secret format). */
const WebhookSecret = Schema.String.pipe(
  Schema.pattern(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/),
  Schema.annotations({ description: '`whsec_` followed by 24–64 bytes in base64' }),
);

/** Unknown names are refused with the list of valid ones (the route's 400 says which). */
const WebhookEvents = Schema.Array(Schema.String).pipe(Schema.minItems(1), Schema.maxItems(PublicEventTypes.length * 2));

export const WebhookRequest = Schema.Struct({
  url: WebhookUrl,
  events: WebhookEvents,
  secret: Schema.optional(WebhookSecret),
});

export const WebhookRegistration = Schema.Struct({
  v: Schema.Literal(1),
  id: WebhookId,
  url: WebhookUrl,
  events: Schema.Array(PublicEventType),
  secret: WebhookSecret,
  createdAt: Schema.Int,
  updatedAt: Schema.Int,
});
export type WebhookRegistration = typeof WebhookRegistration.Type;

const codec = makeJsonCodec(WebhookRegistration, { name: 'WebhookRegistration', onExcessProperty: 'ignore' });
export const encodeRegistration = codec.encode;
export const decodeRegistration = codec.decode;

export const generateSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export const WebhookAnswer = Schema.Struct({
  id: Schema.String,
  url: Schema.String,
  events: Schema.Array(Schema.String),
  /** The first characters only, so an operator can tell secrets apart. */
  secretHint: Schema.String,
  createdAt: Schema.String,
  updatedAt: Schema.String,
});

export const webhookAnswer = (r: WebhookRegistration) => ({
  id: r.id,
  url: r.url,
  events: r.events,
  secretHint: `${r.secret.slice(0, 10)}…`,
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});
