#!/usr/bin/env node
// `larder-dlq list | replay [--limit N]` (npm run dlq): kept for existing habits; the same as
// `larder dlq list | replay`, which it runs. Without a verb it lists.
import { Effect } from 'effect';
import { runCli } from './Cli/RunCli.js';

const [verb, ...rest] = process.argv.slice(2);
const argv = verb === undefined || verb.startsWith('-') ? ['dlq', 'list', ...(verb === undefined ? [] : [verb]), ...rest] : ['dlq', verb, ...rest];
const result = await Effect.runPromise(runCli(argv));
process.stderr.write(result.stderr);
process.stdout.write(result.stdout, () => process.exit(result.exitCode));
