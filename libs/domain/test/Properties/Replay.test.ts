// Property of replay and snapshots: folding every accepted event from the initial state gives the live
// state, and a snapshot taken anywhere, written as JSON and decoded, continues to the same end.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either } from 'effect';
import { decodeState, encodeState, fold } from '../../src/index.js';
import { canonical } from '../Fixtures.js';
import { commandsOf, lastState, live, runs, scenario, startState } from '../Scenarios.js';

describe('given any sequence of commands', () => {
  it('replays its events to the live state', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        const turns = live(startState(), commandsOf(s));
        const replayed = fold(startState(), turns.flatMap((t) => t.events));
        expect(canonical(replayed)).toStrictEqual(canonical(lastState(startState(), turns)));
      }),
      runs,
    );
  });

  it('continues from a JSON snapshot taken at any point to the same decisions and the same state', () => {
    fc.assert(
      fc.property(scenario(), fc.nat(), (s, cutAt) => {
        const commands = commandsOf(s);
        const turns = live(startState(), commands);
        const cut = cutAt % (commands.length + 1);
        const snapshot = JSON.stringify(encodeState(lastState(startState(), turns.slice(0, cut))));
        const restored = Either.getOrThrow(decodeState(JSON.parse(snapshot)));
        const resumed = live(restored, commands.slice(cut));
        expect(resumed.map((t) => t.decision)).toStrictEqual(turns.slice(cut).map((t) => t.decision));
        expect(canonical(lastState(restored, resumed))).toStrictEqual(canonical(lastState(startState(), turns)));
      }),
      runs,
    );
  });
});
