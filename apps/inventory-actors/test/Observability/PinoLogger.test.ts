// The runner's log format: every Effect log line is one JSON object on its own line, with the fiber's
// annotations as fields, and LOG_LEVEL reaches Effect's own levels (debug lines appear only when asked).
import { Cause, Effect } from 'effect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePino, PinoLoggerLayer } from '../../src/Observability/PinoLogger.js';

const capture = () => {
  let text = '';
  return { destination: { write: (chunk: string) => void (text += chunk) }, text: () => text };
};

const runLogged = (program: Effect.Effect<void>) => {
  const out = capture();
  Effect.runSync(program.pipe(Effect.provide(PinoLoggerLayer(makePino('larder-runner', out.destination)))));
  return out.text();
};

const program = Effect.gen(function* () {
  yield* Effect.logDebug('shard 3: hosting (epoch 7)');
  yield* Effect.logInfo('runner ready').pipe(Effect.annotateLogs({ shards: 32, hosted: '0–31' }));
  yield* Effect.logWarning('drain incomplete', new Error('timed out'));
  yield* Effect.logError('shard 4: could not start serving it').pipe(Effect.annotateLogs({ shard: 4 }));
  yield* Effect.failCause(Cause.die(new Error('boom'))).pipe(Effect.catchAllCause((cause) => Effect.logError('a projection failed', cause)));
});

describe('the runner logger in production format', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('writes one JSON object per line, with the annotations as fields', () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const lines = runLogged(program).split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [30, 'runner ready'],
      [40, 'drain incomplete'],
      [50, 'shard 4: could not start serving it'],
      [50, 'a projection failed'],
    ]);
    expect(records[0]).toMatchObject({ name: 'larder-runner', shards: 32, hosted: '0–31' });
    expect(records[1]).toMatchObject({ detail: ['timed out'] });
    expect(records[2]).toMatchObject({ shard: 4 });
    expect(records[3].cause).toContain('boom');
  });

  it('passes debug lines through when LOG_LEVEL=debug', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    const records = runLogged(program).trim().split('\n').map((line) => JSON.parse(line));
    expect(records[0]).toMatchObject({ level: 20, msg: 'shard 3: hosting (epoch 7)' });
  });
});
