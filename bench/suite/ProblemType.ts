// Reading the answers of a load run: the problem type of a refusal, and a counter per key.

/** The last segment of a problem's `type` (`urn:larder:problem:limit-exceeded` → `limit-exceeded`), `unreadable` when the body is not one. */
export const problemTypeOf = (body: string | null): string => {
  if (body === null) return 'unreadable';
  try {
    const parsed: unknown = JSON.parse(body);
    const type: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'type') : undefined;
    return typeof type === 'string' ? (type.split(/[/#:]/).pop() ?? type) : 'unreadable';
  } catch {
    return 'unreadable';
  }
};

export const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
