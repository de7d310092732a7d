// Writes a run to `bench/results/<yyyy-mm-dd>-<bench>-<hostname>.json` (UTC date; `bench` is `actors`
// unless named); a smoke or partial run gets a `-smoke` / `-partial` suffix (git-ignored) so it never
// replaces a full run's file.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../results/', import.meta.url));

export type RunKind = 'full' | 'smoke' | 'partial';

export const writeResults = async (hostname: string, kind: RunKind, body: unknown, bench = 'actors'): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const safeHost = hostname.replace(/[^A-Za-z0-9._-]/g, '_');
  const suffix = kind === 'full' ? '' : `-${kind}`;
  const path = `${dir}${date}-${bench}-${safeHost}${suffix}.json`;
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
};
