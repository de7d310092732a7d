// NATS header values are one line of printable text: this makes any text (a multi-line decode
// reason, say) safe to put in `Larder-Reason` without breaking the protocol.

export const MaxHeaderValueLength = 1024;

/** Control characters (CR, LF, tab, …) become spaces, runs of spaces collapse, and the result is capped. */
export const headerValue = (text: string, maxLength: number = MaxHeaderValueLength): string => {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return oneLine.length <= maxLength ? oneLine : `${oneLine.slice(0, Math.max(0, maxLength - 3))}...`;
};
