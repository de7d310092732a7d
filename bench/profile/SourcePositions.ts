// Maps a profile frame of a TypeScript file run under tsx back to its source line. tsx transpiles
// with esbuild, whitespace minified (one generated line per file), so V8 reports line 1 for
// everything: the file is transpiled again with the same options and the source map is consulted.
import { readFileSync } from 'node:fs';

type Transform = (source: string, options: Record<string, unknown>) => { readonly map: string };

interface Segment {
  readonly genLine: number;
  readonly genCol: number;
  readonly srcLine: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 VLQ values of one mapping segment. */
const vlq = (text: string): Array<number> => {
  const out: Array<number> = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
};

const decodeMappings = (mappings: string): Array<Segment> => {
  const segments: Array<Segment> = [];
  let srcLine = 0;
  mappings.split(';').forEach((line, genLine) => {
    let genCol = 0;
    for (const part of line.split(',')) {
      if (part === '') continue;
      const [dCol = 0, , dSrcLine] = vlq(part);
      genCol += dCol;
      if (dSrcLine !== undefined) {
        srcLine += dSrcLine;
        segments.push({ genLine, genCol, srcLine });
      }
    }
  });
  return segments;
};

export interface SourcePositions {
  /** The 1-based source line and its text for a 0-based generated line and column, or null. */
  readonly lookup: (path: string, line: number, column: number) => { readonly line: number; readonly text: string } | null;
}

const mappingsOf = (map: string): string | null => {
  const parsed: unknown = JSON.parse(map);
  const m: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'mappings') : undefined;
  return typeof m === 'string' ? m : null;
};

/** Null when esbuild (tsx's own transpiler) cannot be loaded: frames stay as V8 reported them. */
export const makeSourcePositions = async (): Promise<SourcePositions | null> => {
  const esbuild: unknown = await import('esbuild').catch(() => null);
  const transform: unknown = esbuild === null || typeof esbuild !== 'object' ? undefined : Reflect.get(esbuild, 'transformSync');
  if (typeof transform !== 'function') return null;
  const run: Transform = (source, options) => {
    const result: unknown = Reflect.apply(transform, undefined, [source, options]);
    const map: unknown = typeof result === 'object' && result !== null ? Reflect.get(result, 'map') : undefined;
    return { map: typeof map === 'string' ? map : '{}' };
  };
  const cache = new Map<string, { segments: Array<Segment>; lines: Array<string> } | null>();
  const load = (path: string) => {
    if (!cache.has(path)) {
      try {
        const source = readFileSync(path, 'utf8');
        // The options tsx 4 passes to esbuild for a TypeScript module.
        const { map } = run(source, { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcemap: 'external', minifyWhitespace: true, keepNames: true, sourcefile: path });
        const mappings = mappingsOf(map);
        cache.set(path, mappings === null ? null : { segments: decodeMappings(mappings), lines: source.split('\n') });
      } catch {
        cache.set(path, null);
      }
    }
    return cache.get(path) ?? null;
  };
  return {
    lookup: (path, line, column) => {
      const file = load(path);
      if (file === null) return null;
      let best: Segment | null = null;
      for (const s of file.segments) {
        if (s.genLine > line || (s.genLine === line && s.genCol > column)) break;
        best = s;
      }
      if (best === null) return null;
      return { line: best.srcLine + 1, text: (file.lines[best.srcLine] ?? '').trim().slice(0, 90) };
    },
  };
};
