// Per-route request counts and latencies, kept in plain arrays so that answering a request costs a
// few array writes instead of prom-client's label validation and hashing (three metric updates per
// request were ~5 % of the API's CPU on reads). Prometheus still sees ordinary series: at each
// scrape they are rendered as `larder_http_requests_total{route,method,status}` (a counter) and
// `larder_http_request_duration_seconds{route,method}` (a histogram, cumulative `le` buckets).
import { Counter, Histogram, type Registry } from 'prom-client';

const StatusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** What a route's handler calls once per answered request. */
export interface RouteRecorder {
  readonly record: (status: number, seconds: number) => void;
}

interface RouteSeries {
  readonly route: string;
  readonly method: string;
  /** Requests by status class, index 0 = 1xx … 4 = 5xx. */
  readonly byClass: Array<number>;
  /** Observations per bucket (not cumulative); the last slot is above the largest bound (+Inf). */
  readonly buckets: Array<number>;
  sum: number;
  count: number;
}

export const makeRouteStats = (registry: Registry, bounds: ReadonlyArray<number>) => {
  const series: Array<RouteSeries> = [];

  new Counter({
    name: 'larder_http_requests_total',
    help: 'HTTP requests answered, by route and status class',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of series) {
        s.byClass.forEach((n, i) => {
          if (n > 0) this.inc({ route: s.route, method: s.method, status: StatusClasses[i] ?? '5xx' }, n);
        });
      }
    },
  });

  const name = 'larder_http_request_duration_seconds';
  const help = 'HTTP request latency by route';
  /** The series in the shape prom-client's own histogram produces (`labels` + the route's `sharedLabels`). */
  const histogramValues = () =>
    series.flatMap((s) => {
      const sharedLabels = { route: s.route, method: s.method };
      let cumulative = 0;
      const buckets = bounds.map((le, i) => {
        cumulative += s.buckets[i] ?? 0;
        return { labels: { le }, sharedLabels, value: cumulative, metricName: `${name}_bucket` };
      });
      return [
        ...buckets,
        { labels: { le: '+Inf' }, sharedLabels, value: s.count, metricName: `${name}_bucket` },
        { labels: {}, sharedLabels, value: s.sum, metricName: `${name}_sum` },
        { labels: {}, sharedLabels, value: s.count, metricName: `${name}_count` },
      ];
    });
  // A prom-client histogram that is never observed: the registry renders it through
  // getForPromString (get() builds on it too), which here reads the arrays.
  class RouteDurations extends Histogram<'route' | 'method'> {
    async getForPromString() {
      return { name, help, type: 'histogram', values: histogramValues(), aggregator: 'sum' };
    }
  }
  new RouteDurations({ name, help, labelNames: ['route', 'method'], buckets: [...bounds], registers: [registry] });

  /** A recorder for one route; its series exist (at zero) from the start. */
  const route = (url: string, method: string): RouteRecorder => {
    const s: RouteSeries = { route: url, method, byClass: [0, 0, 0, 0, 0], buckets: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
    series.push(s);
    return {
      record: (status, seconds) => {
        const cls = Math.min(4, Math.max(0, Math.floor(status / 100) - 1));
        s.byClass[cls] = (s.byClass[cls] ?? 0) + 1;
        let i = 0;
        while (i < bounds.length && seconds > (bounds[i] ?? Infinity)) i++;
        s.buckets[i] = (s.buckets[i] ?? 0) + 1;
        s.sum += seconds;
        s.count += 1;
      },
    };
  };
  return { route };
};

export type RouteStats = ReturnType<typeof makeRouteStats>;
