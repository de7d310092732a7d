// The clock the in-process API reads (StartApiOptions.clock): set by the simulation while it replays
// the month, then following the real time once the month is over.

export interface SimClock {
  readonly now: () => number;
  readonly set: (epochMs: number) => void;
  /** From now on, the real time. */
  readonly followRealTime: () => void;
}

export const makeSimClock = (startMs: number): SimClock => {
  let simulated: number | undefined = startMs;
  return {
    now: () => simulated ?? Date.now(),
    set: (epochMs) => {
      simulated = epochMs;
    },
    followRealTime: () => {
      simulated = undefined;
    },
  };
};
