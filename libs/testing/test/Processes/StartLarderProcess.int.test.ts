// startLarderProcess on a tiny fixture script: ready is awaited, stop() is SIGTERM then SIGKILL after the
// grace, and a process that exits (or stays silent) before ready rejects with its output.
import { describe, expect, it } from 'vitest';
import { startLarderProcess } from '../../src/index.js';

const entry = 'libs/testing/test/Processes/fixtures/ReadyThenWait.ts';
const start = (mode: string, readyTimeoutMs = 30_000) =>
  startLarderProcess({ name: `fixture-${mode}`, entry, env: { FIXTURE_MODE: mode }, ready: '"fixture ready"', readyTimeoutMs });
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startLarderProcess', () => {
  it('resolves once the ready line is logged, with the process still running', async () => {
    const child = await start('normal');
    try {
      expect(child.output()).toContain('starting');
      expect(child.output()).toContain('"fixture ready"');
      expect(isAlive(child.pid)).toBe(true);
    } finally {
      await child.stop(5_000);
    }
  });

  it('stop() ends it with SIGTERM', async () => {
    const child = await start('normal');
    await child.stop(5_000);
    expect(await child.ended).toEqual({ code: 0, signal: null });
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('got SIGTERM');
    expect(isAlive(child.pid)).toBe(false);
  });

  it('stop() SIGKILLs a process that ignores SIGTERM once the grace is over', async () => {
    const child = await start('ignore-term');
    const t0 = Date.now();
    await child.stop(500);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(await child.ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(child.output()).toContain('ignoring SIGTERM');
  });

  it('rejects with its output when it exits before ready', async () => {
    await expect(start('exit-early')).rejects.toThrow(/fixture-exit-early exited \(code 3, signal null\) before it was ready[\s\S]*fixture failed: no configuration/);
  });

  it('rejects with its output and kills it when ready does not come in time', async () => {
    await expect(start('never-ready', 2_000)).rejects.toThrow(/fixture-never-ready did not log "fixture ready" within 2000 ms[\s\S]*starting/);
  });
});
