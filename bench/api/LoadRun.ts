// One closed-loop load run with autocannon (`connections` keep-alive connections, one request in
// flight each) against one request shape; every answer's status and precise latency is kept here.
import autocannon from 'autocannon';
import { latencySummary, type LatencySummary } from './LatencySummary.js';

export interface LoadSpec {
  /** Origin and path, e.g. `http://127.0.0.1:3000/v1/stock/A`. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** Replace `[<id>]` in the request (headers included) with a fresh unique id per request. */
  readonly uniqueIds: boolean;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadMeasured {
  /** Answers received (any status). */
  readonly answers: number;
  /** Wall time from start to the last answer counted, as autocannon reports it. */
  readonly seconds: number;
  readonly answersPerSecond: number;
  /** Every answer, whatever its status. */
  readonly latency: LatencySummary;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Connection errors, timeouts included, by message. */
  readonly errors: Readonly<Record<string, number>>;
  readonly timeouts: number;
  readonly bytesPerAnswer: number;
}

export interface LoadRun {
  readonly done: Promise<LoadMeasured>;
  readonly stop: () => void;
}

export const runLoad = (spec: LoadSpec): LoadRun => {
  const latencies: Array<number> = [];
  const statusCounts: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let bytes = 0;
  let stop: () => void = () => undefined;
  const done = new Promise<LoadMeasured>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method,
        headers: { ...spec.headers },
        ...(spec.body === null ? {} : { body: spec.body }),
        idReplacement: spec.uniqueIds,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.seconds,
        timeout: 10,
      },
      (error: unknown, result) => {
        if (error !== null && error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
        const answers = latencies.length;
        resolve({
          answers,
          seconds: result.duration,
          answersPerSecond: result.duration > 0 ? Math.round(answers / result.duration) : 0,
          latency: latencySummary(latencies),
          statusCounts,
          errors,
          timeouts: result.timeouts,
          bytesPerAnswer: answers > 0 ? Math.round(bytes / answers) : 0,
        });
      },
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
      const code = String(statusCode);
      statusCounts[code] = (statusCounts[code] ?? 0) + 1;
    });
    instance.on('reqError', (error: unknown) => {
      const message = error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.message) : String(error);
      errors[message] = (errors[message] ?? 0) + 1;
    });
    stop = () => instance.stop();
  });
  return { done, stop: () => stop() };
};
