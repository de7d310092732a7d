// Webhook registrations in KV `webhooks` (one key per endpoint id), read straight from KV by the routes
// and watched by every instance's dispatcher, which starts and stops each endpoint's delivery loop.
import type { KV } from '@nats-io/kv';
import { Either } from 'effect';
import { decodeRegistration, encodeRegistration, type WebhookRegistration } from './WebhookEndpoint.js';

export interface WebhookStore {
  readonly read: (id: string) => Promise<WebhookRegistration | undefined>;
  readonly list: () => Promise<ReadonlyArray<WebhookRegistration>>;
  readonly write: (registration: WebhookRegistration) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
  /**
   * Calls `listener` with every registration already stored, then with each change (undefined: deleted),
   * until the returned function is called.
   */
  readonly watch: (listener: (id: string, registration: WebhookRegistration | undefined) => void, onBadValue: (id: string, reason: string) => void) => Promise<() => void>;
}

export const makeWebhookStore = (kv: KV): WebhookStore => {
  const read = async (id: string) => {
    const entry = await kv.get(id);
    if (entry === null || entry.operation !== 'PUT') return undefined;
    const decoded = decodeRegistration(entry.value);
    if (Either.isLeft(decoded)) throw new Error(`webhook ${id}: the stored registration does not decode: ${decoded.left.reason}`);
    return decoded.right;
  };
  return {
    read,
    list: async () => {
      const found: Array<WebhookRegistration> = [];
      for await (const key of await kv.keys()) {
        const registration = await read(key);
        if (registration !== undefined) found.push(registration);
      }
      return found.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    write: async (registration) => {
      await kv.put(registration.id, encodeRegistration(registration));
    },
    remove: async (id) => {
      await kv.delete(id);
    },
    watch: async (listener, onBadValue) => {
      const watch = await kv.watch();
      void (async () => {
        for await (const entry of watch) {
          if (entry.operation !== 'PUT') {
            listener(entry.key, undefined);
            continue;
          }
          const decoded = decodeRegistration(entry.value);
          if (Either.isRight(decoded)) listener(entry.key, decoded.right);
          else onBadValue(entry.key, decoded.left.reason);
        }
      })();
      return () => watch.stop();
    },
  };
};
