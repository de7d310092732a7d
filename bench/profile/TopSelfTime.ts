// `npm run bench:profile -- <dir or .cpuprofile files> [--top=25] [--by=function|file|caller] [--skip=<ms of start-up>]`: the functions (or files) with the most self
// time in V8 CPU profiles (`--cpu-prof`, e.g. BENCH_PROFILE_DIR=<dir> npm run bench), per profile:
// % of the profile's sampled time, ms, and where (file:line, shortened to the repository or package).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Schema } from 'effect';
import { makeSourcePositions, type SourcePositions } from './SourcePositions.js';

const CallFrame = Schema.Struct({ functionName: Schema.String, url: Schema.String, lineNumber: Schema.Number, columnNumber: Schema.Number });
const ProfileNode = Schema.Struct({ id: Schema.Number, callFrame: CallFrame, children: Schema.optional(Schema.Array(Schema.Number)) });
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
/** `function` (self time), `file` (self time per file), `caller` (each sample charged to its nearest Larder frame: apps/ or libs/). */
export type Grouping = 'function' | 'file' | 'caller';

const isLarder = (url: string) => /\/(apps|libs)\/[^/]+\/src\//.test(url) && !url.includes('/node_modules/');

export const topSelfTime = (text: string, top: number, grouping: Grouping = 'function', positions: SourcePositions | null = null, skipMs = 0): { readonly totalMs: number; readonly idleMs: number; readonly spots: ReadonlyArray<HotSpot> } => {
  const profile = decodeProfile(text);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const byFile = grouping === 'file';
  /** The sample's own frame, or (grouping by caller) its nearest ancestor in Larder's code. */
  const chargedTo = (id: number) => {
    if (grouping !== 'caller') return byId.get(id);
    for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
      const n = byId.get(cur);
      if (n !== undefined && isLarder(n.callFrame.url)) return n;
    }
    return byId.get(id);
  };
  const selfUs = new Map<string, { fn: string; where: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    // Start-up (tsx compiling, module loading) is left out with --skip.
    if (clock - profile.startTime < skipMs * 1000) return;
    const own = byId.get(id);
    const node = chargedTo(id);
    if (node === undefined || own === undefined) return;
    totalUs += dt;
    if (own.callFrame.functionName === '(idle)') {
      idleUs += dt;
      return;
    }
    const fn = node.callFrame.functionName === '' ? '(anonymous)' : node.callFrame.functionName;
    const { url, lineNumber, columnNumber } = node.callFrame;
    // A TypeScript file under tsx: V8's line is the minified one; map it back to the source.
    const mapped = url.endsWith('.ts') && url.startsWith('file://') ? (positions?.lookup(url.slice('file://'.length), lineNumber, columnNumber) ?? null) : null;
    const where = mapped === null ? shorten(url, lineNumber) : `${shorten(url, mapped.line - 1)} \`${mapped.text.replace(/[|`]/g, ' ')}\``;
    const file = shorten(url, 0).replace(/:\d+$/, '');
    const outside = grouping === 'caller' && !isLarder(url);
    const key = outside ? '(outside Larder code)' : byFile ? file : `${fn}@${where}`;
    const entry = selfUs.get(key) ?? { fn: outside ? '(no Larder frame on the stack)' : byFile ? '(every function)' : fn, where: outside ? '–' : byFile ? file : where, us: 0 };
    entry.us += dt;
    selfUs.set(key, entry);
  });
  const busyUs = Math.max(1, totalUs - idleUs);
  const spots = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 100) / 10, percent: Math.round((e.us / busyUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), spots };
};

const main = async () => {
  const positions = await makeSourcePositions();
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' }, skip: { type: 'string', default: '0' } }, allowPositionals: true });
  const top = Number(values.top);
  const grouping: Grouping = values.by === 'file' ? 'file' : values.by === 'caller' ? 'caller' : 'function';
  const files = positionals.flatMap((p) =>
    statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f)) : [p],
  );
  if (files.length === 0) throw new Error('give a folder of .cpuprofile files or the files themselves');
  for (const file of files) {
    const { totalMs, idleMs, spots } = topSelfTime(readFileSync(file, 'utf8'), top, grouping, positions, Number(values.skip));
    process.stdout.write(`\n### ${path.basename(file)}: ${totalMs} ms sampled, ${idleMs} ms idle; % of the busy (non-idle) time\n\n`);
    process.stdout.write('| % self | ms | function | where |\n| --- | --- | --- | --- |\n');
    for (const s of spots) process.stdout.write(`| ${s.percent} | ${s.selfMs} | ${s.fn} | ${s.where} |\n`);
  }
};

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) await main();
