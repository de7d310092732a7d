// The isolation scenario's background storm as a child process (its own event loop, so the measured
// open loop in the bench process is not delayed by it): a flash sale (closed-loop holds on one SKU)
// and a restock storm (POST /v1/restocks at max rate on other SKUs) until SIGTERM or `seconds`. A 503
// `overloaded` (the instance shedding writes) is an expected answer; like a closed-loop client that
// ignores Retry-After, the storm sends its next request at once.
import { Schema } from 'effect';
import { runMaxRate } from './HttpLoad.js';
import { reserveRequest, restockRequest } from './Requests.js';
import { StormSpec } from './StormSpec.js';

const spec = Schema.decodeUnknownSync(Schema.parseJson(StormSpec))(process.env['STORM'] ?? '');
let stopped = false;
process.once('SIGTERM', () => (stopped = true));
const stop = () => stopped;
const summary = (r: Awaited<ReturnType<typeof runMaxRate>>) => ({ answered: r.answered, seconds: r.seconds, perSecond: r.answersPerSecond, statusCounts: r.statusCounts, p99Ms: r.latency.p99Ms, errors: r.errors });

process.stdout.write(`${JSON.stringify({ level: 30, msg: 'storm ready' })}\n`);
const [flash, restocks] = await Promise.all([
  runMaxRate(
    { origin: spec.apiUrl, make: (i) => reserveRequest(spec.apiKey, spec.flashSku, `storm-flash-${i}`), expect: [201, 409, 503] },
    { connections: spec.flashClients, count: spec.flashRequests, seconds: spec.seconds, stop },
  ),
  runMaxRate(
    {
      origin: spec.apiUrl,
      make: (i) => restockRequest(spec.apiKey, spec.restockSkus[i % spec.restockSkus.length] ?? 'ISO-RESTOCK-0', 1, `storm-restock-${i}`),
      expect: [202, 503],
    },
    { connections: spec.restockConnections, seconds: spec.seconds, stop },
  ),
]);
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'storm done', flash: summary(flash), restocks: summary(restocks) })}\n`);
process.exit(0);
