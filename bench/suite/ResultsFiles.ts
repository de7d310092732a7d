// Writes the run to `bench/results/<yyyy-mm-dd>-<hostname>.json` and `.md` (UTC date). A smoke or
// partial (`--only`) run gets a `-smoke` / `-partial` suffix, git-ignored, so it never replaces a full run.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../results/', import.meta.url));

export type RunKind = 'full' | 'smoke' | 'partial';

export const writeResultsFiles = async (hostname: string, kind: RunKind, json: unknown, markdown: string): Promise<{ json: string; markdown: string }> => {
  await mkdir(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = `${dir}${date}-${hostname.replace(/[^A-Za-z0-9._-]/g, '_')}${kind === 'full' ? '' : `-${kind}`}`;
  await writeFile(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  return { json: `${base}.json`, markdown: `${base}.md` };
};
