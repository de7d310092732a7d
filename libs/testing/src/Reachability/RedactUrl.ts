// Hides the password of a service URL before it goes into an error message or a log.
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
};
