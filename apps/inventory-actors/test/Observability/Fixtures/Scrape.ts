// Scrapes a Prometheus text endpoint over HTTP and reads series out of it by name and exact labels,
// the way a test checks what an operator's Prometheus would get.
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/;
const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export const parseExposition = (text: string): ReadonlyArray<Sample> =>
  text.split('\n').flatMap((row) => {
    const match = line.exec(row);
    if (match === null || row.startsWith('#')) return [];
    const [, name = '', body = '', raw = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of body.matchAll(label)) labels[key] = value;
    return [{ name, labels, value: Number(raw) }];
  });

export interface Scrape {
  readonly samples: ReadonlyArray<Sample>;
  /** The value of the series with exactly these labels; undefined when absent. */
  readonly value: (name: string, labels?: Record<string, string>) => number | undefined;
  readonly text: string;
}

export const scrape = async (url: string): Promise<Scrape> => {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  const text = await response.text();
  const samples = parseExposition(text);
  const value = (name: string, labels: Record<string, string> = {}) => {
    const wanted = Object.entries(labels);
    return samples.find(
      (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
    )?.value;
  };
  return { samples, value, text };
};
