// Reads one series of a prom-client registry the way Prometheus would see it: by series name
// (`x`, `x_count`, `x_sum`, `x_bucket`) and exact labels (`le` included only when given).
import type { Registry } from 'prom-client';

export const seriesValue = async (registry: Registry, series: string, labels: Record<string, string> = {}): Promise<number | undefined> => {
  const base = series.replace(/_(count|sum|bucket)$/, '');
  const metric = registry.getSingleMetric(series) ?? registry.getSingleMetric(base);
  if (metric === undefined) throw new Error(`no metric ${series} in the registry`);
  const { name, values } = await metric.get();
  const wanted = Object.entries(labels);
  return values.find((v) => {
    const seriesName = 'metricName' in v && typeof v.metricName === 'string' ? v.metricName : name;
    if (seriesName !== series) return false;
    const keys = Object.keys(v.labels);
    return keys.length === wanted.length && wanted.every(([k, value]) => String(v.labels[k]) === value);
  })?.value;
};
