#!/usr/bin/env node
// `larder <command>`: the operator CLI (runners, shards, drain, move, dead letters, projections,
// invariants). Wiring only: runCli does the work, this prints its result and exits with its code.
import { Effect } from 'effect';
import { runCli } from './Cli/RunCli.js';

const result = await Effect.runPromise(runCli(process.argv.slice(2)));
process.stderr.write(result.stderr);
// Exit once the output is written, even if a client library left a timer behind.
process.stdout.write(result.stdout, () => process.exit(result.exitCode));
