#!/usr/bin/env node
// `larder-dlq list | replay [--limit N]`: look at INV_DLQ and move dead letters back for replay.
// Reads NATS_URL, LARDER_NAMESPACE and LARDER_SHARDS like a runner.
import { makeNames } from '@larder/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { RunnerConfig } from './Config/RunnerConfig.js';
import { listDeadLetters, replayDeadLetters } from './DeadLetters/DeadLetterTool.js';

const [verb = 'list', ...rest] = process.argv.slice(2);
const limitAt = rest.indexOf('--limit');
const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : 1_000;

const config = await Effect.runPromise(RunnerConfig);
const names = makeNames(config.namespace, { shards: config.shards });
const nc = await connect({ servers: config.natsUrl, name: 'larder-dlq' });
try {
  const jsm = await jetstreamManager(nc);
  if (verb === 'list') {
    for (const { seq, letter } of await listDeadLetters(jsm, names, limit)) {
      const line = Either.match(letter, {
        onLeft: (why) => ({ seq, undecodable: why }),
        onRight: (l) => ({ seq, subject: l.subject, reason: l.reason, deliveries: l.deliveries, failedAt: new Date(l.failedAt).toISOString() }),
      });
      console.log(JSON.stringify(line));
    }
  } else if (verb === 'replay') {
    const result = await replayDeadLetters(jetstream(nc), jsm, names, limit);
    console.log(JSON.stringify(result));
  } else {
    console.error('usage: larder-dlq list|replay [--limit N]');
    process.exitCode = 2;
  }
} finally {
  await nc.close();
}
