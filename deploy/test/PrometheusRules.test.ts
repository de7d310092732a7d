// deploy/prometheus with promtool (Debian package `prometheus`): the compose scrape config and the alert
// rules are valid, the rules' unit tests pass (and fail when a rule is broken, so they are real), every
// alert is tested firing and quiet, and every alert carries a severity and a runbook section that exists.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Either, ParseResult, Schema } from 'effect';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRepoFile, repoPath } from './Support/RepoFiles.js';

const promtool = (...args: ReadonlyArray<string>) => {
  const run = spawnSync('promtool', [...args], { encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is needed on PATH (Debian/Ubuntu: apt-get install prometheus; elsewhere the release tarball from prometheus.io/download): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown, what: string): A => {
  const decoded = Schema.decodeUnknownEither(schema)(input);
  if (Either.isLeft(decoded)) throw new Error(`${what}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
  return decoded.right;
};

const AlertRule = Schema.Struct({
  alert: Schema.String,
  expr: Schema.String,
  for: Schema.optional(Schema.String),
  labels: Schema.Struct({ severity: Schema.Literal('critical', 'warning') }),
  annotations: Schema.Struct({ summary: Schema.String, description: Schema.String, runbook: Schema.String }),
});
const RuleFile = Schema.Struct({ groups: Schema.Array(Schema.Struct({ name: Schema.String, rules: Schema.Array(AlertRule) })) });
const RuleTests = Schema.Struct({
  tests: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      alert_rule_test: Schema.Array(Schema.Struct({ alertname: Schema.String, exp_alerts: Schema.Array(Schema.Unknown) })),
    }),
  ),
});

const rulesFile = 'deploy/prometheus/rules/larder.rules.yml';
const testsFile = 'deploy/prometheus/rules/larder.rules.test.yml';
const alerts = decode(RuleFile, parse(readRepoFile(rulesFile)), rulesFile).groups.flatMap((g) => g.rules);

const scratch = mkdtempSync(join(tmpdir(), 'larder-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('promtool', () => {
  it('accepts prometheus.yml (the compose scrape config) and the rule file it loads', () => {
    const run = promtool('check', 'config', repoPath('deploy/prometheus/prometheus.yml'));
    expect(run.output).toContain('is valid prometheus config file syntax');
    expect(run.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(run.status).toBe(0);
  });

  it('accepts the alert rules', () => {
    const run = promtool('check', 'rules', repoPath(rulesFile));
    expect(run.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(run.status).toBe(0);
  });

  it('rejects a rule whose expression does not parse (the check is real)', () => {
    const broken = join(scratch, 'broken.rules.yml');
    writeFileSync(broken, readRepoFile(rulesFile).replace('max(larder_oversell_units) > 0', 'max(larder_oversell_units > 0'));
    expect(promtool('check', 'rules', broken).status).not.toBe(0);
  });

  it('passes the unit tests of every alert', () => {
    const run = promtool('test', 'rules', repoPath(testsFile));
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  it('fails those unit tests when an alert is weakened (they test the rules, not themselves)', () => {
    copyFileSync(repoPath(testsFile), join(scratch, 'larder.rules.test.yml'));
    writeFileSync(
      join(scratch, 'larder.rules.yml'),
      readRepoFile(rulesFile).replace('max(larder_oversell_units) > 0', 'max(larder_oversell_units) > 10'),
    );
    const run = promtool('test', 'rules', join(scratch, 'larder.rules.test.yml'));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('alertname: LarderOversell');
  });
});

describe('the alert rules', () => {
  it('are the alerts docs/observability.md describes, each with a runbook section that exists', () => {
    const anchors = new Set(
      readRepoFile('docs/observability.md')
        .split('\n')
        .flatMap((line) => (/^#{1,6} /.test(line) ? [anchorOf(line.replace(/^#+ /, ''))] : [])),
    );
    for (const rule of alerts) {
      expect(rule.annotations.runbook).toBe(`docs/observability.md#${rule.alert.toLowerCase()}`);
      expect(anchors, `docs/observability.md has no heading for ${rule.alert}`).toContain(rule.alert.toLowerCase());
    }
  });

  it('are each unit-tested firing and staying quiet', () => {
    const cases = decode(RuleTests, parse(readFileSync(repoPath(testsFile), 'utf8')), testsFile).tests.flatMap((t) => t.alert_rule_test);
    for (const { alert } of alerts) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(mine.some((c) => c.exp_alerts.length > 0), `${alert} is never tested firing`).toBe(true);
      expect(mine.some((c) => c.exp_alerts.length === 0), `${alert} is never tested quiet`).toBe(true);
    }
  });

  it('cover what issue 7 asks to be alerted on', () => {
    const names = alerts.map((a) => a.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'LarderOversell',
        'LarderProjectionLagHigh',
        'LarderDeadLetters',
        'LarderShardWithoutOwner',
        'LarderHttpErrorRate',
        'LarderHttpLatencyHigh',
      ]),
    );
  });
});
