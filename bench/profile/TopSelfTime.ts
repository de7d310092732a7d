// `npm run bench:profile -- <dir or .cpuprofile files> [--top=25] [--by=file]`: the functions (or files) with the most self
// time in V8 CPU profiles (`--cpu-prof`, e.g. BENCH_PROFILE_DIR=<dir> npm run bench), per profile:
// % of the profile's sampled time, ms, and where (file:line, shortened to the repository or package).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Schema } from 'effect';

const CallFrame = Schema.Struct({ functionName: Schema.String, url: Schema.String, lineNumber: Schema.Number });
const ProfileNode = Schema.Struct({ id: Schema.Number, callFrame: CallFrame });
const CpuProfile = Schema.Struct({
  nodes: Schema.Array(ProfileNode),
  startTime: Schema.Number,
  endTime: Schema.Number,
  samples: Schema.Array(Schema.Number),
  timeDeltas: Schema.Array(Schema.Number),
});
const decodeProfile = Schema.decodeUnknownSync(Schema.parseJson(CpuProfile));

export interface HotSpot {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** `file:///…/node_modules/effect/dist/esm/x.js` → `effect/dist/esm/x.js`; the repo's files relative to it. */
const shorten = (url: string, line: number): string => {
  if (url === '') return '(native)';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  const short = nm >= 0 ? p.slice(nm + 'node_modules/'.length) : p.replace(/^.*?\/(apps|libs|bench|tools)\//, '$1/');
  return `${short}:${line + 1}`;
};

/** Self time by function (name + location), from the samples and their time deltas. */
export const topSelfTime = (text: string, top: number, byFile = false): { readonly totalMs: number; readonly idleMs: number; readonly spots: ReadonlyArray<HotSpot> } => {
  const profile = decodeProfile(text);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { fn: string; where: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    totalUs += dt;
    const fn = node.callFrame.functionName === '' ? '(anonymous)' : node.callFrame.functionName;
    if (fn === '(idle)') idleUs += dt;
    const where = shorten(node.callFrame.url, node.callFrame.lineNumber);
    const file = where.replace(/:\d+$/, '');
    const key = byFile ? (fn === '(idle)' ? fn : file) : `${fn}@${where}`;
    const entry = selfUs.get(key) ?? { fn: byFile && fn !== '(idle)' ? '(every function)' : fn, where: byFile ? file : where, us: 0 };
    entry.us += dt;
    selfUs.set(key, entry);
  });
  const busyUs = Math.max(1, totalUs - idleUs);
  const spots = [...selfUs.values()]
    .filter((e) => e.fn !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 100) / 10, percent: Math.round((e.us / busyUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), spots };
};

const main = () => {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' } }, allowPositionals: true });
  const top = Number(values.top);
  const files = positionals.flatMap((p) =>
    statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f)) : [p],
  );
  if (files.length === 0) throw new Error('give a folder of .cpuprofile files or the files themselves');
  for (const file of files) {
    const { totalMs, idleMs, spots } = topSelfTime(readFileSync(file, 'utf8'), top, values.by === 'file');
    process.stdout.write(`\n### ${path.basename(file)}: ${totalMs} ms sampled, ${idleMs} ms idle; % of the busy (non-idle) time\n\n`);
    process.stdout.write('| % self | ms | function | where |\n| --- | --- | --- | --- |\n');
    for (const s of spots) process.stdout.write(`| ${s.percent} | ${s.selfMs} | ${s.fn} | ${s.where} |\n`);
  }
};

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) main();
