// The consoles scenario's live-stream clients as a child process (their own event loop, so the bench
// process's measured loads are not delayed by reading the frames): `clients` counting SSE connections
// to GET /v1/stock/events, half on the hot SKUs, half on every SKU. Logs "consoles ready" once every
// one had `event: ready`; each SIGUSR2 takes a mark (every client's frame count); SIGTERM reports and exits.
import { Schema } from 'effect';
import { ConsolesSpec, type ConsolesDone } from './ConsolesSpec.js';
import { openCountingStream } from './StreamCounter.js';

const spec = Schema.decodeUnknownSync(Schema.parseJson(ConsolesSpec))(process.env['CONSOLES'] ?? '');
const line = (value: object) => process.stdout.write(`${JSON.stringify({ level: 30, ...value })}\n`);
const follows = (i: number): 'hot' | 'all' => (i % 2 === 0 ? 'hot' : 'all');
const urlOf = (i: number) =>
  `${spec.apiUrl}/v1/stock/events${follows(i) === 'hot' ? `?${spec.hotSkus.map((sku) => `sku=${encodeURIComponent(sku)}`).join('&')}` : ''}`;

const t0 = performance.now();
const streams = await Promise.all(Array.from({ length: spec.clients }, (_, i) => openCountingStream(urlOf(i), { 'x-api-key': spec.apiKey })));
const refused = streams.filter((s) => s.status !== 200).length;
if (refused > 0) throw new Error(`${refused} of ${spec.clients} streams were answered another status than 200 (e.g. ${streams.find((s) => s.status !== 200)?.status})`);
const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`not every stream had event: ready within ${spec.readyTimeoutMs} ms`)), spec.readyTimeoutMs).unref());
await Promise.race([Promise.all(streams.map((s) => s.ready)), timeout]);
const readyAt = performance.now();
const connectMs = Math.round(readyAt - t0);

const marks: Array<ConsolesDone['marks'][number]> = [];
process.on('SIGUSR2', () => {
  marks.push({ atMs: Math.round(performance.now() - readyAt), frames: streams.map((s) => s.count().stockFrames) });
  line({ msg: `consoles mark ${marks.length}` });
});
process.once('SIGTERM', () => {
  const clients = streams.map((s, i) => {
    const { snapshotFrames, stockFrames, bytes, cutOff } = s.count();
    return { follows: follows(i), snapshotFrames, stockFrames, bytes, cutOff };
  });
  for (const s of streams) s.close();
  const done: ConsolesDone = { msg: 'consoles done', connectMs, clients, marks };
  line(done);
  process.exit(0);
});
line({ msg: 'consoles ready', connectMs });
