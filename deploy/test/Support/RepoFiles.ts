// Paths and texts of the repository's files, for tests that check deployment files against the code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is deploy/test/Support/RepoFiles.ts). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** An absolute path from a path relative to the repository root. */
export const repoPath = (relative: string) => join(repoRoot, relative);

export const readRepoFile = (relative: string) => readFileSync(repoPath(relative), 'utf8');

export const repoPathExists = (relative: string) => existsSync(repoPath(relative));

/** Every file under a folder of the repository (relative paths), recursively, sorted. */
export const filesUnder = (relative: string): ReadonlyArray<string> =>
  readdirSync(repoPath(relative))
    .flatMap((name) => {
      const child = `${relative}/${name}`;
      return statSync(repoPath(child)).isDirectory() ? filesUnder(child) : [child];
    })
    .sort();

/** The folders directly under a folder of the repository (relative paths), sorted. */
export const foldersIn = (relative: string): ReadonlyArray<string> =>
  readdirSync(repoPath(relative), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${relative}/${entry.name}`)
    .sort();
