// `npm run bench:imports`: uploads a 10,000-row restock CSV (POST /v1/imports/restocks) to an API and a
// runner started as child processes, and measures rows/s and what the import does to the API's event
// loop: its delay (p99, max) over the import as the API's own /metrics reports it (prom-client's
// monitorEventLoopDelay, reset at each scrape), and the latency of stock reads sent meanwhile, as a ratio
// against the same reads just before the import, in the same run. `--smoke` runs in seconds.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Schema } from 'effect';
import { machineFacts } from '../actors/MachineFacts.js';
import { writeResults } from '../actors/ResultsFile.js';
import { loopLagMs, scrapeMetrics } from '../suite/ApiMetrics.js';
import { ratio } from '../suite/ScenarioReport.js';
import { percentiles } from '../actors/Percentiles.js';
import { connectServices } from '../actors/Services.js';
import { ensureBuilt, makeSuiteSystem } from '../suite/SuiteSystem.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : Number(found.slice(name.length + 3));
};
const smoke = process.argv.includes('--smoke');
const rows = arg('rows', smoke ? 1_000 : 10_000);
const skuCount = arg('skus', smoke ? 20 : 100);
const readers = arg('readers', 4);
const baselineMs = arg('baseline-ms', smoke ? 1_000 : 5_000);

const Report = Schema.Struct({ totals: Schema.Struct({ rows: Schema.Int, applied: Schema.Int, unchanged: Schema.Int, refused: Schema.Int }) });
const decodeReport = Schema.decodeUnknownSync(Schema.parseJson(Report));

const built = ensureBuilt();
const services = await connectServices();
const system = makeSuiteSystem(services, () => undefined);
const headers = { 'x-api-key': system.apiKey };
let failed = false;
try {
  await system.startRunner('runner');
  const api = await system.startApi('api');
  const post = async (path: string, csv: string) => {
    // As a client should: a 503 `overloaded` (the instance shedding writes) is retried with the same key after Retry-After.
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${api.url}${path}`, { method: 'POST', body: csv, headers: { ...headers, 'content-type': 'text/csv', 'idempotency-key': key } });
      const text = await response.text();
      if (response.status === 503 && attempt < 30) {
        await new Promise((done) => setTimeout(done, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 500)}`);
      return decodeReport(text);
    }
  };
  const skus = Array.from({ length: skuCount }, (_, i) => `BENCH-IMP-${i}`);
  const catalogue = await post('/v1/imports/catalogue', ['sku,name', ...skus.map((s) => `${s},Bench jerky ${s}`)].join('\n'));
  if (catalogue.totals.applied !== skuCount) throw new Error(`the catalogue import applied ${catalogue.totals.applied} of ${skuCount}`);
  // One unit each first, so every read below is a 200 from the cache.
  await post('/v1/imports/restocks', ['sku,qty,reference', ...skus.map((s) => `${s},1,bench-seed`)].join('\n'));
  const csv = ['sku,qty,reference,location', ...Array.from({ length: rows }, (_, i) => `${skus[i % skuCount]},${(i % 9) + 1},bench-po-${i},main`)].join('\n');

  /** Closed-loop stock reads until `until` resolves; their latencies (ms). */
  const readWhile = async (until: Promise<unknown>) => {
    let done = false;
    void until.finally(() => (done = true));
    const sample: Array<number> = [];
    await Promise.all(
      Array.from({ length: readers }, async (_, r) => {
        for (let i = r; !done; i += readers) {
          const started = performance.now();
          const response = await fetch(`${api.url}/v1/stock/${skus[i % skuCount]}`, { headers });
          await response.arrayBuffer();
          sample.push(performance.now() - started);
        }
      }),
    );
    return percentiles(Float64Array.from(sample));
  };
  const scrape = () => scrapeMetrics(api.url);

  await scrape(); // resets the event-loop histogram
  const before = await readWhile(new Promise((resolve) => setTimeout(resolve, baselineMs)));
  const loopBefore = await scrape();
  const started = performance.now();
  const importing = post('/v1/imports/restocks', csv);
  const during = await readWhile(importing);
  const seconds = (performance.now() - started) / 1000;
  const loopDuring = await scrape();
  const report = await importing;
  if (report.totals.applied !== rows) throw new Error(`the import applied ${report.totals.applied} of ${rows} rows: ${JSON.stringify(report.totals)}`);

  // Baseline, same run: the same number of restocks as single POST /v1/restocks requests, paced at the
  // import's rows/s (16 in flight at most), so the write load on the API, the runner and NATS is the same
  // and what differs is one streamed file against many small requests.
  const rate = rows / seconds;
  let next = 0;
  const singlesStarted = performance.now();
  const sendSingles = Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < rows; i = next++) {
        const due = singlesStarted + (i / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((done) => setTimeout(done, wait));
        const body = JSON.stringify({ sku: skus[i % skuCount], qty: (i % 9) + 1, reference: `bench-single-${i}` });
        for (let attempt = 1; ; attempt++) {
          const response = await fetch(`${api.url}/v1/restocks`, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `single-${i}` } });
          await response.arrayBuffer();
          if (response.status === 202) break;
          if (response.status !== 503 || attempt >= 30) throw new Error(`POST /v1/restocks answered ${response.status}`);
          await new Promise((done) => setTimeout(done, 1000));
        }
      }
    }),
  );
  await scrape();
  const duringSingles = await readWhile(sendSingles);
  const singlesSeconds = (performance.now() - singlesStarted) / 1000;
  const loopSingles = await scrape();
  await sendSingles;

  const result = {
    when: new Date().toISOString(),
    smoke,
    built,
    machine: machineFacts(services.nc),
    rows,
    skus: skuCount,
    readers,
    importSeconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rows / seconds),
    eventLoopDelayMs: {
      before: { p99: loopLagMs(loopBefore, 'p99'), max: loopLagMs(loopBefore, 'max') },
      during: { p99: loopLagMs(loopDuring, 'p99'), max: loopLagMs(loopDuring, 'max') },
    },
    stockReads: { before, during, p99Ratio: ratio(during.p99Ms, before.p99Ms) },
    singleRequests: {
      seconds: Math.round(singlesSeconds * 100) / 100,
      rowsPerSecond: Math.round(rows / singlesSeconds),
      eventLoopDelayMs: { p99: loopLagMs(loopSingles, 'p99'), max: loopLagMs(loopSingles, 'max') },
      stockReads: duringSingles,
    },
  };
  const importOverSingles = {
    eventLoopDelayP99: ratio(result.eventLoopDelayMs.during.p99, result.singleRequests.eventLoopDelayMs.p99),
    stockReadP99: ratio(during.p99Ms, duringSingles.p99Ms),
    rowsPerSecond: ratio(result.rowsPerSecond, result.singleRequests.rowsPerSecond),
  };
  process.stdout.write(
    [
      `imports bench${smoke ? ' (smoke: figures mean nothing)' : ''}: ${rows} restock rows over ${skuCount} SKUs`,
      `  import: ${result.importSeconds} s, ${result.rowsPerSecond} rows/s (every row applied)`,
      `  API event-loop delay p99/max: before ${result.eventLoopDelayMs.before.p99}/${result.eventLoopDelayMs.before.max} ms, during ${result.eventLoopDelayMs.during.p99}/${result.eventLoopDelayMs.during.max} ms`,
      `  stock reads (${readers} closed-loop readers) p50/p99/max: before ${before.p50Ms}/${before.p99Ms}/${before.maxMs} ms, during ${during.p50Ms}/${during.p99Ms}/${during.maxMs} ms; p99 during ÷ before ${result.stockReads.p99Ratio}`,
      `  baseline, the same ${rows} restocks as single POST /v1/restocks paced at up to the import's rate (${Math.round(rate)}/s; achieved ${Math.round(rows / singlesSeconds)}/s, ${result.singleRequests.seconds} s): event-loop delay p99/max ${result.singleRequests.eventLoopDelayMs.p99}/${result.singleRequests.eventLoopDelayMs.max} ms; stock reads p50/p99/max ${duringSingles.p50Ms}/${duringSingles.p99Ms}/${duringSingles.maxMs} ms`,
      `  import ÷ single requests: event-loop delay p99 ${importOverSingles.eventLoopDelayP99}×, stock-read p99 ${importOverSingles.stockReadP99}×, rows/s ${importOverSingles.rowsPerSecond}×`,
      '',
    ].join('\n'),
  );
  const file = await writeResults(os.hostname(), smoke ? 'smoke' : 'full', { ...result, importOverSingles }, 'imports');
  process.stdout.write(`  written to ${file}\n`);
} catch (error) {
  failed = true;
  process.stderr.write(`✖ imports bench failed: ${error instanceof Error ? error.message : String(error)}\n  child logs: ${system.logDir}\n`);
} finally {
  await system.remove();
  await services.close();
}
process.exit(failed ? 1 : 0);
