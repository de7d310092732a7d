// A read or write of a store (the Postgres catalogue or ledger, the reservation records in NATS KV)
// that failed for want of it: a 503 the client can retry, naming the store, instead of a bare 500.
import { Problem } from './Problems.js';

export const orStoreUnavailable = async <A>(store: string, work: Promise<A>): Promise<A> => {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem({
      type: 'service-unavailable',
      detail: `the ${store} did not answer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`.slice(0, 500),
      retryAfter: 5,
    });
  }
};
