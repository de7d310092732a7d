// A SKU state as plain JSON in one canonical order: `encodeState` writes persistent maps as entry
// arrays whose order depends on hashing history, so two equal states can encode differently.
import { encodeState, type SkuState } from '@larder/domain';

type Entries = ReadonlyArray<readonly [string, unknown]>;
const sorted = (entries: Entries): Entries => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export const canonicalState = (state: SkuState) => {
  const encoded = encodeState(state);
  return {
    ...encoded,
    open: sorted(encoded.open),
    closed: { ...encoded.closed, current: sorted(encoded.closed.current), previous: sorted(encoded.closed.previous) },
    commands: { ...encoded.commands, current: sorted(encoded.commands.current), previous: sorted(encoded.commands.previous) },
  };
};
