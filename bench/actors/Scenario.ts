// What one scenario is and what it measured. Ids read `<path>-<hot|spread>-gc-<on|off>`.
import type { BenchOptions } from './BenchOptions.js';

export type Path = 'request' | 'commands';

export interface Scenario {
  readonly id: string;
  readonly path: Path;
  /** 1 = one hot SKU; more = a random SKU of this many per command. */
  readonly skus: number;
  readonly groupCommit: boolean;
  readonly commands: number;
  readonly clients: number;
  readonly warmup: number;
}

export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  /** Commands whose events are in the journal (request path: answered Accepted). */
  readonly accepted: number;
  readonly refused: number;
  readonly retried: number;
  readonly failed: number;
  /** From the first command sent to the last one answered (request) or applied (INV_CMD). */
  readonly seconds: number;
  readonly commandsPerSecond: number;
  /** Journal messages (appends) on `<ns>.inv.evt.>` written by the measured commands. */
  readonly journalMessages: number;
  /** Events in those messages, by tag. */
  readonly journalEvents: Readonly<Record<string, number>>;
  /** The journal holds exactly one event per accepted command (and, for INV_CMD, one per published one). */
  readonly journalMatches: boolean;
  /** accepted ÷ journalMessages: the group-commit size. */
  readonly commandsPerAppend: number;
  /** Request path: send → answer. INV_CMD: publish → PubAck (the API's 202). */
  readonly latency: Latency;
  /** INV_CMD only: when the last PubAck arrived (the rate the API could answer 202). */
  readonly publishSeconds: number | null;
  /** CPU use during the measured window, % of one core: runner, generator (this process), natsServer. */
  readonly cpuPercent: Readonly<Record<string, number | null>>;
  readonly runner: {
    readonly readyMs: number;
    readonly stopMs: number;
    readonly exitCode: number | null;
    readonly warnings: number;
  };
}

export const scenarioId = (path: Path, skus: number, groupCommit: boolean) =>
  `${path}-${skus === 1 ? 'hot' : 'spread'}-gc-${groupCommit ? 'on' : 'off'}`;

/** Every path × {one hot SKU, spread} × group commit {on, off}, with the counts of `BenchOptions`. */
export const makeScenarios = (o: BenchOptions): ReadonlyArray<Scenario> =>
  (['request', 'commands'] as const).flatMap((path) =>
    [1, o.skus].flatMap((skus) =>
      [true, false].map((groupCommit) => ({
        id: scenarioId(path, skus, groupCommit),
        path,
        skus,
        groupCommit,
        commands: skus > 1 ? o.spread : groupCommit ? o.hot : o.hotOff,
        clients: o.clients,
        warmup: o.warmup,
      })),
    ),
  );
