// One recall trace over HTTP as a client sees it: the wall time to the last byte, the server's own
// `tookMs`, and the decoded answer (or, with CSV, the text's row count).
import { Schema } from 'effect';
import { RecallTraceAnswer } from '../../apps/api/src/Recalls/RecallTrace.js';
import type { BenchSelector } from './JournalScan.js';

export type Trace = typeof RecallTraceAnswer.Type;
const decodeTrace = Schema.decodeUnknownSync(Schema.parseJson(RecallTraceAnswer));

export const queryOf = (selector: BenchSelector): string => {
  switch (selector.by) {
    case 'lot':
      return `sku=${encodeURIComponent(selector.sku)}&lot=${encodeURIComponent(selector.lot)}`;
    case 'bestBefore':
      return `sku=${encodeURIComponent(selector.sku)}&bestBefore=${selector.bestBefore}`;
    case 'produced':
      return `${selector.sku === null ? '' : `sku=${encodeURIComponent(selector.sku)}&`}producedFrom=${selector.producedFrom}&producedTo=${selector.producedTo}`;
    default:
      return selector satisfies never;
  }
};

const get = async (api: string, apiKey: string, path: string, accept: string) => {
  const t0 = performance.now();
  const response = await fetch(`${api}${path}`, { headers: { 'x-api-key': apiKey, accept } });
  const text = await response.text();
  const wallMs = Math.round((performance.now() - t0) * 10) / 10;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return { text, wallMs, headers: response.headers };
};

export const traceJson = async (api: string, apiKey: string, selector: BenchSelector, mode: 'live' | 'mock' = 'live') => {
  const { text, wallMs } = await get(api, apiKey, `/v1/recalls/trace?${queryOf(selector)}${mode === 'mock' ? '&mode=mock' : ''}`, 'application/json');
  const trace = decodeTrace(text);
  return { trace, wallMs, serverMs: trace.tookMs, bytes: text.length };
};

export const traceCsvRows = async (api: string, apiKey: string, selector: BenchSelector) => {
  const { text, wallMs, headers } = await get(api, apiKey, `/v1/recalls/trace?${queryOf(selector)}`, 'text/csv');
  const rows = text.split('\r\n').filter((line) => line.length > 0);
  return { rows: rows.length, header: rows[0] ?? '', wallMs, serverMs: Number(headers.get('x-trace-took-ms')), bytes: text.length };
};
