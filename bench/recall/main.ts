// `npm run bench:recall`: a recall trace on a large history. Starts a runner and an API (child processes,
// bench/suite), seeds --lines committed lines (default 100,000) over several lots of a few SKUs through the
// real runner, waits for the ledger, then times GET /v1/recalls/trace for each selector (JSON, and CSV for
// the widest) and checks each answer against a brute-force scan of the journal: the same lines, the same
// movements per lot, books closed. `--smoke` runs 2,000 lines in seconds. Results in bench/results.
import os from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nuid } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineFacts } from '../actors/MachineFacts.js';
import { writeResults } from '../actors/ResultsFile.js';
import { connectServices } from '../actors/Services.js';
import { makeCommandSender } from '../suite/Seeding.js';
import { ensureBuilt, makeSuiteSystem } from '../suite/SuiteSystem.js';
import { compareTrace } from './CompareTrace.js';
import { scanJournal, type BenchSelector } from './JournalScan.js';
import { makePlan, seedHistory } from './RecallSeed.js';
import { traceCsvRows, traceJson } from './TraceRun.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : Number(found.slice(name.length + 3));
};
const smoke = process.argv.includes('--smoke');
const lines = arg('lines', smoke ? 2_000 : 100_000);
const skuCount = arg('skus', 3);
const lotCount = arg('lots', 4);
const runs = arg('runs', 3);
/** Units committed per SKU and location ≈ lines × 2 (qty 1–3) ÷ (SKUs × 2): lots hold 25 % more, so the last is never used up. */
const unitsPerLot = Math.ceil(((lines * 2) / (skuCount * 2)) * 1.25 / lotCount) + 50;
const LedgerWaitMs = 15 * 60_000;

const built = ensureBuilt();
const services = await connectServices();
const system = makeSuiteSystem(services, () => undefined);
let failed = false;
try {
  await system.startRunner('runner');
  const api = await system.startApi('api');
  const sender = makeCommandSender(services.nc, system.names);
  const js = jetstream(services.nc);
  const jsm = await jetstreamManager(services.nc);
  const plan = makePlan({ lines, skus: skuCount, lots: lotCount, unitsPerLot, run: nuid.next().slice(-5) });
  process.stdout.write(`recall bench: seeding ${lines} committed lines over ${lotCount} lots × ${skuCount} SKUs × 2 locations (${unitsPerLot} units per lot)…\n`);
  const seeded = await seedHistory(plan, { send: sender.send, js, jsm, names: system.names });
  sender.close();
  const scan = await scanJournal(js, jsm, system.names);
  process.stdout.write(`  seeded in ${seeded.seconds} s; journal: ${scan.messages} appends, ${scan.events} events, ${scan.lines.length} lot lines (scanned in ${scan.seconds} s)\n`);

  const [sku0, sku1, sku2] = [plan.skus[0] ?? '', plan.skus[1 % skuCount] ?? '', plan.skus[2 % skuCount] ?? ''];
  const lot1 = plan.lots[0];
  const lot2 = plan.lots[1 % lotCount];
  if (lot1 === undefined || lot2 === undefined) throw new Error('no lots planned');
  const everything: BenchSelector = { by: 'produced', sku: null, producedFrom: '2026-11-01', producedTo: '2026-11-30' };
  const selectors: ReadonlyArray<{ readonly name: string; readonly selector: BenchSelector }> = [
    { name: 'by lot', selector: { by: 'lot', sku: sku0, lot: lot1.code } },
    { name: 'by best-before', selector: { by: 'bestBefore', sku: sku1, bestBefore: lot2.bestBefore } },
    { name: 'by production range, one SKU', selector: { by: 'produced', sku: sku2, producedFrom: '2026-11-01', producedTo: '2026-11-02' } },
    { name: 'by production range, every SKU (the whole history)', selector: everything },
  ];

  // The ledger catches up with the journal: the widest trace has every line. Whether the books close is
  // compareTrace's to report below, never this wait's.
  const waitStarted = performance.now();
  for (;;) {
    const { trace } = await traceJson(api.url, system.apiKey, everything);
    if (trace.lines.length === scan.lines.length) break;
    if (performance.now() - waitStarted > LedgerWaitMs) throw new Error(`the ledger never caught up: ${trace.lines.length} of ${scan.lines.length} lines`);
    await sleep(1_000);
  }
  const ledgerCaughtUpSeconds = Math.round((performance.now() - waitStarted) / 100) / 10;

  const results = [];
  for (const { name, selector } of selectors) {
    const timings = [];
    let last = null;
    for (let r = 0; r < runs; r++) {
      const run = await traceJson(api.url, system.apiKey, selector);
      timings.push({ wallMs: run.wallMs, serverMs: run.serverMs, bytes: run.bytes });
      last = run.trace;
    }
    if (last === null) throw new Error('no run');
    const comparison = compareTrace(last, scan, selector);
    const csv = await traceCsvRows(api.url, system.apiKey, selector);
    results.push({
      name,
      selector,
      lots: last.lots.length,
      lines: last.lines.length,
      units: last.lines.reduce((sum, l) => sum + l.qty, 0),
      massBalance: last.lots.map((l) => ({ sku: l.sku, lot: l.lot, ...l.massBalance })),
      json: timings,
      csv: { rows: csv.rows, header: csv.header, wallMs: csv.wallMs, serverMs: csv.serverMs, bytes: csv.bytes, rowsMatch: csv.rows === last.lines.length + 1 },
      equalsJournal: comparison.equal,
      differences: comparison.differences,
    });
    if (!comparison.equal || csv.rows !== last.lines.length + 1) failed = true;
  }
  const mock = await traceJson(api.url, system.apiKey, everything, 'mock');
  const drills = await fetch(`${api.url}/v1/recalls/drills?limit=1`, { headers: { 'x-api-key': system.apiKey } }).then((r) => r.text());

  const result = {
    when: new Date().toISOString(),
    smoke,
    built,
    machine: machineFacts(services.nc),
    plan: { lines, skus: skuCount, lots: lotCount, locations: plan.locations.length, unitsPerLot, holdEvery: plan.holdEvery, returns: plan.returns, adjustments: plan.adjustments },
    seeding: { ...seeded, journalAppends: scan.messages, journalEvents: scan.events, lotLines: scan.lines.length, journalScanSeconds: scan.seconds },
    ledgerCaughtUpSeconds,
    traces: results,
    mockRecall: { serverMs: mock.serverMs, wallMs: mock.wallMs, lines: mock.trace.lines.length, recorded: drills.includes(`"tookMs":${mock.serverMs}`) },
  };
  const out = [
    `recall bench${smoke ? ' (smoke: figures mean nothing)' : ''}: ${scan.lines.length} lot lines from ${lines} committed lines (${seeded.sales} sales, ${seeded.holds} holds+commits), journal scan ${scan.seconds} s, ledger caught up ${ledgerCaughtUpSeconds} s after seeding`,
    ...results.map(
      (r) =>
        `  ${r.name}: ${r.lots} lot(s), ${r.lines} lines — JSON wall ${r.json.map((t) => t.wallMs).join(' / ')} ms (server ${r.json.map((t) => t.serverMs).join(' / ')} ms, ${Math.round((r.json[0]?.bytes ?? 0) / 1024)} KiB); CSV wall ${r.csv.wallMs} ms, ${r.csv.rows} rows; equals the journal: ${r.equalsJournal ? 'yes' : `NO (${r.differences.join('; ')})`}; books closed: ${r.massBalance.every((b) => b.difference === 0) ? 'yes' : 'NO'}`,
    ),
    `  mock recall (whole history): server ${mock.serverMs} ms, wall ${mock.wallMs} ms; recorded in drills: ${result.mockRecall.recorded ? 'yes' : 'NO'}`,
    '',
  ];
  process.stdout.write(out.join('\n'));
  if (!result.mockRecall.recorded) failed = true;
  const file = await writeResults(os.hostname(), smoke ? 'smoke' : failed ? 'partial' : 'full', result, 'recall');
  process.stdout.write(`  written to ${file}\n`);
} catch (error) {
  failed = true;
  process.stderr.write(`✖ recall bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n  child logs: ${system.logDir}\n`);
} finally {
  await system.remove();
  await services.close();
}
process.exit(failed ? 1 : 0);
