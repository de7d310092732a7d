// The run as markdown: machine facts, the targets of issue 5 with pass/miss, then per scenario its
// load runs, ratios, oversell read-backs and notes. The same file is printed and written beside the JSON.
import type { ScenarioReport } from './ScenarioReport.js';
import type { SuiteMachine } from './SuiteMachine.js';

const int = (n: number | null | undefined) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n: number) => n.toFixed(2);
const row = (cells: ReadonlyArray<string>) => `| ${cells.join(' | ')} |`;
const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

const cpuCell = (cpu: Readonly<Record<string, number | null>>) =>
  Object.entries(cpu)
    .filter(([k, v]) => v !== null && k !== 'machine' && (v > 0 || k === 'generator'))
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');

export const targetRows = (reports: ReadonlyArray<ScenarioReport>) =>
  reports.flatMap((r) => r.ratios.flatMap((x) => (x.target === null ? [] : [[r.id, x.name, x.value === null ? '–' : `${x.value}${x.unit ?? '×'}`, x.target.text, x.target.pass ? '✅ met' : '❌ missed']])));

export const oversellRows = (reports: ReadonlyArray<ScenarioReport>) =>
  reports.flatMap((r) => r.oversell.map((o) => ({ scenario: r.id, label: o.label, report: o.report })));

export const suiteMarkdown = (title: string, command: string, machine: SuiteMachine, loadAtEnd: ReadonlyArray<number>, generatorPercent: number, reports: ReadonlyArray<ScenarioReport>, failures: ReadonlyArray<string>): string => {
  const out: Array<string> = [`# ${title}`, ''];
  out.push(
    `\`${command}\` on ${machine.hostname}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node} (servers: ${machine.servers}; API: ${machine.serverNodeFlags.api.join(' ') || 'no flags'}; runners: ${machine.serverNodeFlags.runner.join(' ') || 'no flags'}), nats-server ${machine.natsServer}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}; git ${machine.gitCommit?.slice(0, 10) ?? '?'}${(machine.gitDirtyFiles?.length ?? 0) > 0 ? ` + ${machine.gitDirtyFiles?.length} uncommitted files` : ''}.`,
    '',
    `Load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${loadAtEnd.join(' / ')} (1/5/15 min); the machine was ${machine.busyBeforePercent ?? '?'}% busy (of one core) in the 2 s before the run. The load generator is the bench process itself and shares the ${machine.cores} cores with the system under test: its CPU is the \`generator\` figure of every row (${generatorPercent}% of one core on average over the whole run, seeding and read-backs included).`,
    '',
  );
  if (failures.length > 0) out.push('## ⚠ Failures', '', ...failures.map((f) => `- ${f}`), '');
  const oversell = oversellRows(reports);
  const anyOversold = oversell.some((o) => o.report.oversold > 0);
  out.push('## Targets', '', table(['scenario', 'figure', 'measured', 'target', ''], [
    ['all', 'oversell, every run and every record', anyOversold ? 'oversold' : '0', '0', anyOversold ? '❌ missed' : '✅ met'],
    ...targetRows(reports),
  ]), '');
  for (const r of reports) {
    out.push(`## ${r.id}: ${r.title}`, '');
    out.push(
      table(
        ['run', 'route', 'load', 'answered', 'answers/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'statuses', 'CPU % of a core'],
        r.runs.map((x) => {
          const l = x.result;
          const load = l.mode === 'open' ? `open ${int(l.offeredPerSecond)}/s (${int(l.sent)})` : `max, ${l.connections} conns`;
          const statuses = Object.entries(l.statusCounts).map(([s, n]) => `${s}×${int(n)}`).join(' ') + (l.unexpected > 0 ? ` ⚠ ${int(l.unexpected)} unexpected` : '');
          return [x.label, x.route, load, int(l.answered), int(l.answersPerSecond), ms(l.latency.p50Ms), ms(l.latency.p90Ms), ms(l.latency.p99Ms), ms(l.latency.p999Ms), ms(l.latency.maxMs), statuses, cpuCell(x.cpuPercent)];
        }),
      ),
      '',
    );
    const figures = Object.entries(r.figures).filter(([, v]) => v !== null);
    if (figures.length > 0) out.push(figures.map(([k, v]) => `- ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`).join('\n'), '');
    if (r.ratios.length > 0) out.push(table(['ratio', 'value', 'target'], r.ratios.map((x) => [x.name, x.value === null ? '–' : `${x.value}${x.unit ?? '×'}`, x.target === null ? '–' : `${x.target.text} ${x.target.pass ? '✅' : '❌'}`])), '');
    if (r.oversell.length > 0) {
      out.push(
        table(
          ['oversell check', 'SKUs', 'supplied', '201 answers', ...['GET /v1/stock', 'KV stock', 'journal', 'ledger'].map((s) => `taken: ${s}`), 'oversold', 'records agree'],
          r.oversell.map(({ label, report }) => {
            const taken = (source: string) => {
              const s = report.sources.find((x) => x.source === source);
              return s === undefined ? '–' : `${int(s.taken)}${s.missing > 0 ? ` (${s.missing} missing)` : ''}${s.incomplete === undefined ? '' : ` ⚠ ${s.incomplete}`}`;
            };
            const baseline = report.sources.some((s) => !['GET /v1/stock', 'KV stock', 'journal', 'ledger'].includes(s.source));
            const cells = baseline
              ? [report.sources.map((s) => `${s.source}: ${int(s.taken)}`).join(', '), '', '', '']
              : ['GET /v1/stock', 'KV stock', 'journal', 'ledger'].map(taken);
            return [label, int(report.skus), int(report.supplied), int(report.answeredHeld), ...cells, `${report.oversold === 0 ? '0' : `❌ ${int(report.oversold)}`}`, report.consistent ? 'yes' : '⚠ no'];
          }),
        ),
        '',
      );
    }
    if (r.notes.length > 0) out.push(r.notes.map((n) => `- ${n}`).join('\n'), '');
  }
  return `${out.join('\n')}\n`;
};
