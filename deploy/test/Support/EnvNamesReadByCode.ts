// The environment variables a Larder process reads, collected from the source text of the projects it
// is built from, so a deployment file cannot pass a variable nothing reads (a typo, a removed setting).
import { filesUnder, readRepoFile } from './RepoFiles.js';

/** Source folders of each process: its app and the libs it runs (not the test harness). */
const SourcesOf = {
  api: ['apps/api/src', 'libs/messaging/src', 'libs/persistence/src', 'libs/domain/src'],
  runner: ['apps/inventory-actors/src', 'libs/messaging/src', 'libs/persistence/src', 'libs/domain/src'],
} as const;
export type LarderProcess = keyof typeof SourcesOf;

// `Config.string('NAME')`, `int('NAME', …)`, `optional('NAME')`: a call whose first argument is an
// upper-case literal; and `process.env['NAME']` / `process.env.NAME`.
const readPatterns = [/\w\(\s*'([A-Z][A-Z0-9_]*)'/g, /process\.env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g, /process\.env\.([A-Z][A-Z0-9_]*)/g];

/** Names found in one source text. */
export const envNamesIn = (source: string): ReadonlyArray<string> =>
  readPatterns.flatMap((pattern) => [...source.matchAll(pattern)].flatMap((m) => (m[1] === undefined ? [] : [m[1]])));

/** Every variable the process's code reads (only files that use effect's Config or process.env). */
export const envNamesReadBy = (process: LarderProcess): ReadonlySet<string> =>
  new Set(
    SourcesOf[process]
      .flatMap((folder) => filesUnder(folder))
      .filter((file) => file.endsWith('.ts'))
      .map(readRepoFile)
      .filter((source) => /\bConfig\.\w+\(|process\.env/.test(source))
      .flatMap(envNamesIn),
  );
