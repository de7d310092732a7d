// `npm run bench:actors [-- --smoke]`: commands per second through one shard, request path and
// INV_CMD, group commit on and off, one hot SKU and many. Prints markdown and writes a JSON file.
import { parseBenchOptions } from './BenchOptions.js';
import { loadAverage, machineFacts } from './MachineFacts.js';
import { footnotes, ratioTable, resultsTable } from './MarkdownTable.js';
import { machineBusyPercent } from './ProcessCpu.js';
import { ratios } from './Ratios.js';
import { writeResults } from './ResultsFile.js';
import { runScenario } from './RunScenario.js';
import { makeScenarios, type ScenarioResult } from './Scenario.js';
import { connectServices } from './Services.js';

const options = parseBenchOptions(process.argv.slice(2));
const scenarios = makeScenarios(options).filter((s) => options.only.length === 0 || options.only.some((o) => s.id.includes(o)));
const services = await connectServices();
const machine = machineFacts(services.nc);
const startedAt = new Date().toISOString();
// Measured, not the load average (a minute behind): is anything else using the cores right now?
const busyAtStart = await machineBusyPercent(2_000);
if (busyAtStart !== null && busyAtStart > 25) {
  process.stderr.write(`⚠ the machine is ${busyAtStart}% busy (of one core) before the run: other work competes, figures will be low and noisy\n`);
}
const results: Array<ScenarioResult> = [];
// Ctrl-C: stop the scenario in hand, but still stop its runner and remove its namespace.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
try {
  for (const scenario of scenarios) {
    if (interrupt.signal.aborted) throw new Error('interrupted');
    process.stderr.write(`▶ ${scenario.id}: ${scenario.commands} commands, ${scenario.clients} clients, ${scenario.skus} SKU(s)… `);
    const result = await runScenario(services, scenario, { profileDir: options.profileDir, signal: interrupt.signal });
    process.stderr.write(`${result.commandsPerSecond} cmd/s, ${result.commandsPerAppend} cmds/append\n`);
    results.push(result);
  }
} catch (error) {
  process.stderr.write(`\n✖ benchmark stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  if (results.length > 0) process.stdout.write(`\nCompleted before the failure:\n\n${resultsTable(results)}\n`);
  process.exitCode = 1;
} finally {
  await services.close();
}

if (process.exitCode !== 1) {
  const rs = ratios(results);
  const title = `## Larder actors: commands per second through one shard${options.smoke ? ' (smoke)' : ''}`;
  const facts = `${machine.hostname}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, nats-server ${machine.natsServer}, busy before the run ${busyAtStart ?? '?'}% of one core`;
  process.stdout.write(`\n${title}\n\n${facts}\n\n${resultsTable(results)}\n\n${footnotes(results)}\n\nGroup commit ON ÷ OFF:\n\n${ratioTable(rs)}\n`);
  const kind = options.smoke ? 'smoke' : options.only.length > 0 ? 'partial' : 'full';
  const path = await writeResults(machine.hostname, kind, {
    benchmark: 'actors',
    startedAt,
    finishedAt: new Date().toISOString(),
    machineBusyAtStartPercent: busyAtStart,
    loadAverageAtEnd: loadAverage(),
    options,
    machine,
    results,
    ratios: rs,
  });
  process.stdout.write(`\nwrote ${path}\n`);
}
