// The run as markdown: one row per scenario, then group commit ON ÷ OFF per case.
import type { Ratio } from './Ratios.js';
import type { ScenarioResult } from './Scenario.js';

const int = (n: number) => n.toLocaleString('en-US');
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${n}`);

const row = (cells: ReadonlyArray<string>) => `| ${cells.join(' | ')} |`;

export const resultsTable = (results: ReadonlyArray<ScenarioResult>): string => {
  const head = ['scenario', 'path', 'SKUs', 'group commit', 'commands', 'clients', 'cmd/s', 'cmds/append', 'p50 ms', 'p99 ms', 'refused/retry/failed', 'CPU % runner/gen/nats/pg+redis/other'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const r of results) {
    const s = r.scenario;
    lines.push(
      row([
        s.id,
        s.path === 'request' ? 'request' : 'INV_CMD',
        int(s.skus),
        s.groupCommit ? 'on' : 'off',
        int(s.commands),
        int(s.clients),
        int(r.commandsPerSecond),
        r.commandsPerAppend.toFixed(2),
        r.latency.p50Ms.toFixed(2),
        r.latency.p99Ms.toFixed(2),
        `${r.refused}/${r.retried}/${r.failed}`,
        [r.cpuPercent['runner'], r.cpuPercent['generator'], r.cpuPercent['natsServer'], r.cpuPercent['pgRedis'], r.cpuPercent['other']].map(pct).join('/'),
      ]),
    );
  }
  return lines.join('\n');
};

export const ratioTable = (rs: ReadonlyArray<Ratio>): string => {
  const head = ['case', 'ON cmd/s', 'OFF cmd/s', 'ON ÷ OFF throughput', 'ON ÷ OFF p99', 'ON cmds/append'];
  return [
    row(head),
    row(head.map(() => '---')),
    ...rs.map((r) => row([r.case, int(r.onPerSecond), int(r.offPerSecond), `${r.throughput.toFixed(2)}×`, `${r.p99.toFixed(2)}×`, r.onCommandsPerAppend.toFixed(2)])),
  ].join('\n');
};

export const footnotes = (results: ReadonlyArray<ScenarioResult>): string => {
  const published = results.filter((r) => r.publishSeconds !== null);
  const lines = [
    'request rows: latency = send → answer (durable). INV_CMD rows: cmd/s = published → applied (journal), latency = publish → PubAck (the API\'s 202).',
    'CPU % of one core during the measured window (200 = both cores of a 2-core machine); pg+redis = every local Postgres and Redis process, whoever it serves; other = the rest of the machine: anything there competed with the benchmark.',
  ];
  for (const r of results.filter((x) => !x.journalMatches)) {
    lines.push(`⚠ ${r.scenario.id}: the journal does not match the answers (accepted ${r.accepted}, journal events ${JSON.stringify(r.journalEvents)})`);
  }
  lines.push(`runner ready / drained after SIGTERM, s: ${results.map((r) => `${r.scenario.id} ${(r.runner.readyMs / 1000).toFixed(1)}/${(r.runner.stopMs / 1000).toFixed(1)}`).join(', ')}`);
  for (const r of published) {
    if (r.publishSeconds === null) continue;
    lines.push(`${r.scenario.id}: all PubAcks in ${r.publishSeconds.toFixed(2)} s (${int(Math.round(r.scenario.commands / r.publishSeconds))} publishes/s), all applied in ${r.seconds.toFixed(2)} s`);
  }
  return lines.map((l) => `- ${l}`).join('\n');
};
