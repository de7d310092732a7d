// Durations as an operator reads them at a glance (850ms, 4.2s, 3m05s, 2h10m, 3d4h), and instants in UTC
// to the second.
export const formatAge = (ms: number): string => {
  if (ms < 0) return `in ${formatAge(-ms)}`;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const whole = Math.floor(s);
  const two = (n: number) => String(n).padStart(2, '0');
  if (whole < 3_600) return `${Math.floor(whole / 60)}m${two(whole % 60)}s`;
  if (whole < 86_400) return `${Math.floor(whole / 3_600)}h${two(Math.floor((whole % 3_600) / 60))}m`;
  return `${Math.floor(whole / 86_400)}d${Math.floor((whole % 86_400) / 3_600)}h`;
};

/** `2026-11-26 21:20:38Z`. */
export const formatTime = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
