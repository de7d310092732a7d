// A read or write of the Postgres catalogue or ledger that failed for want of the database: a 503 the
// client can retry, naming the store, instead of a bare 500. Holds, commits and reads never get here.
import { Problem } from './Problems.js';

export const orStoreUnavailable = async <A>(store: string, work: Promise<A>): Promise<A> => {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem({
      type: 'service-unavailable',
      detail: `the ${store} (Postgres) did not answer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`.slice(0, 500),
      retryAfter: 5,
    });
  }
};
