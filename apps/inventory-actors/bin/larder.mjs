#!/usr/bin/env node
// `larder` on the PATH (npm links it as node_modules/.bin/larder, so `npx larder` works from a fresh
// clone). In a checkout it runs the TypeScript source with tsx, the way `npm run larder` does; where only
// the build is present (the image) it runs dist/larder.js. Exit code and signals pass through.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/larder.ts', import.meta.url));
const built = new URL('../dist/larder.js', import.meta.url);

if (existsSync(source)) {
  // tsx resolved from here, so it is found whatever the current directory is.
  const tsx = import.meta.resolve('tsx');
  const child = spawnSync(process.execPath, ['--conditions=development', '--import', tsx, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error !== undefined) {
    process.stderr.write(`larder: could not start node: ${child.error.message}\n`);
    process.exit(1);
  }
  process.exit(child.status ?? 1);
} else {
  await import(built.href);
}
