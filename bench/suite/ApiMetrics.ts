// An API instance's own /metrics (Prometheus text format, no credentials) as the benches read it: a
// sample's value by name, and the event-loop delay prom-client reports (monitorEventLoopDelay, reset
// at each scrape, so a scrape before and one after a window give the window's delay).
export const scrapeMetrics = async (apiUrl: string): Promise<string> => (await fetch(`${apiUrl}/metrics`)).text();

/** The value of the unlabelled sample `name` (NaN when absent). */
export const metricValue = (metrics: string, name: string): number => {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
};

/** `larder_api_nodejs_eventloop_lag_<stat>_seconds`, in ms (2 decimals). */
export const loopLagMs = (metrics: string, stat: 'p99' | 'max'): number =>
  Math.round(metricValue(metrics, `larder_api_nodejs_eventloop_lag_${stat}_seconds`) * 1000 * 100) / 100;
