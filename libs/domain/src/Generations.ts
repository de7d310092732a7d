// A pure, bounded memory of recent keys: two generations of a persistent HashMap that rotate on
// event time on window boundaries. A key stays at least `windowMs` and at most two windows; each operation is O(log n),
// so a hot SKU's thousands of recent command ids cost nothing per event, and replay is exact.
import { HashMap, Option } from 'effect';

export interface Generations<K, V> {
  readonly since: number;
  readonly current: HashMap.HashMap<K, V>;
  readonly previous: HashMap.HashMap<K, V>;
}

export const emptyGenerations = <K, V>(): Generations<K, V> => ({
  since: 0,
  current: HashMap.empty(),
  previous: HashMap.empty(),
});

export const lookup = <K, V>(g: Generations<K, V>, key: K): Option.Option<V> =>
  Option.orElse(HashMap.get(g.current, key), () => HashMap.get(g.previous, key));

export const remember = <K, V>(g: Generations<K, V>, key: K, value: V, at: number, windowMs: number): Generations<K, V> => {
  const windows = Math.floor((at - g.since) / windowMs);
  if (windows < 1) return { since: g.since, current: HashMap.set(g.current, key, value), previous: g.previous };
  // Rotate on window boundaries (not on the event's time), so a key never outlives two windows:
  // the current generation becomes the previous one, unless it is already two windows old.
  return {
    since: g.since + windows * windowMs,
    current: HashMap.make([key, value]),
    previous: windows === 1 ? g.current : HashMap.empty(),
  };
};

export const size = <K, V>(g: Generations<K, V>): number => HashMap.size(g.current) + HashMap.size(g.previous);
