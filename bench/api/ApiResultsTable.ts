// The run as markdown: one row per scenario, then each API route's rate ÷ the baselines'.
import type { ApiRatio } from './ApiRatios.js';
import type { ApiScenarioResult } from './ApiScenario.js';
import type { HoldsCheck } from './HoldsCheck.js';
import type { BaselineStockCheck } from './ReserveBaselineStore.js';

const int = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${n}`);
const row = (cells: ReadonlyArray<string>) => `| ${cells.join(' | ')} |`;

const errorsOf = (r: ApiScenarioResult) => Object.values(r.measured.errors).reduce((a, b) => a + b, 0);

export const apiResultsTable = (results: ReadonlyArray<ApiScenarioResult>): string => {
  const head = ['scenario', 'route', 'conns', 'answers', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'unexpected status', 'errors', 'bytes/answer', 'CPU % server/runner/gen/nats/other'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const r of results) {
    const m = r.measured;
    const c = r.cpuPercent;
    lines.push(
      row([
        r.id,
        r.route,
        int(r.connections),
        int(m.answers),
        int(m.answersPerSecond),
        ms(m.latency.p50Ms),
        ms(m.latency.p90Ms),
        ms(m.latency.p99Ms),
        ms(m.latency.maxMs),
        `${int(r.unexpected)} (non-${r.expectStatus})`,
        int(errorsOf(r)),
        int(m.bytesPerAnswer),
        [c['server'], c['runner'], c['generator'], c['natsServer'], c['other']].map(pct).join('/'),
      ]),
    );
  }
  return lines.join('\n');
};

export const ratioTable = (ratios: ReadonlyArray<ApiRatio>): string => {
  const x = (n: number | null) => (n === null ? '–' : `${n.toFixed(2)}×`);
  const head = ['scenario', 'req/s', '÷ baseline-inline', '÷ baseline-child', '÷ baseline-pg', '÷ baseline-redis'];
  const body = ratios.map((r) => row([r.id, int(r.perSecond), x(r.overInline), x(r.overChild), x(r.overPg), x(r.overRedis)]));
  return [row(head), row(head.map(() => '---')), ...body].join('\n');
};

export const footnotes = (results: ReadonlyArray<ApiScenarioResult>, holds: HoldsCheck | null, stocks: ReadonlyArray<BaselineStockCheck> = []): string => {
  const lines = [
    'Closed loop: each connection sends its next request when the previous one is answered. req/s = answers ÷ the run\'s wall time; latency = send → full answer, every answer whatever its status.',
    'CPU % of one core over the measured window: server = the API child (baseline-child, baseline-pg, baseline-redis: their own child, Postgres and Redis themselves count in other; baseline-inline: none, it is the generator), gen = this process (autocannon), other = everything else on the machine.',
  ];
  for (const r of results) {
    const statuses = Object.entries(r.measured.statusCounts).filter(([code]) => code !== String(r.expectStatus));
    if (statuses.length > 0) lines.push(`⚠ ${r.id}: unexpected statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    if (Object.keys(r.measured.errors).length > 0) lines.push(`⚠ ${r.id}: connection errors ${JSON.stringify(r.measured.errors)} (timeouts ${r.measured.timeouts})`);
  }
  if (holds !== null) {
    lines.push(
      `reserve: ${int(holds.answered201)} holds answered 201 (warm-up + measured); the SKU shows reserved ${int(holds.reserved)}, onHand ${int(holds.onHand)}, available ${int(holds.available)}` +
        ` (${int(holds.unanswered)} placed but unanswered when a run stopped mid-flight; at most 2 × connections expected)`,
    );
  }
  for (const s of stocks) {
    const ledger = s.ledgerRows === null ? '' : `, ledger rows ${int(s.ledgerRows)}${s.ledgerRows === s.decremented ? '' : ' ⚠ ≠ decremented'}`;
    lines.push(
      `${s.oversold === 0 ? '' : '⚠ '}${s.id}: oversold ${int(s.oversold)} — seeded ${int(s.seeded)}, available after ${int(s.available)}, decremented ${int(s.decremented)}${ledger};` +
        ` ${int(s.answered201)} answered 201 (warm-up + measured), ${int(s.unanswered)} applied but unanswered`,
    );
  }
  return lines.map((l) => `- ${l}`).join('\n');
};
