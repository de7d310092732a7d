#!/usr/bin/env node
// `npm run webhook:receiver -- <secret> [port]`: a local endpoint to watch Larder's webhooks arrive.
// It checks each delivery's Standard Webhooks signature with the secret Larder gave on registration,
// prints one line per delivery (verified or not, its webhook-id, the event type, SKU and version), and
// answers 204 — or, with `--fail N`, 500 to the first N deliveries, to watch the retries.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const args = process.argv.slice(2);
const failAt = args.indexOf('--fail');
const failFirst = failAt === -1 ? 0 : Number(args[failAt + 1] ?? 0);
const [secret, portText] = args.filter((_, i) => failAt === -1 || (i !== failAt && i !== failAt + 1));
if (secret === undefined || !secret.startsWith('whsec_')) {
  process.stderr.write('usage: npm run webhook:receiver -- <whsec_… secret from PUT /v1/webhooks/{id}> [port, default 4000] [--fail N]\n');
  process.exit(2);
}
const port = Number(portText ?? 4000);
const webhook = new Webhook(secret);
let received = 0;

const describe = (payload: unknown): string => {
  if (typeof payload !== 'object' || payload === null) return 'no JSON object';
  const type = 'type' in payload ? String(payload.type) : '?';
  const data = 'data' in payload && typeof payload.data === 'object' && payload.data !== null ? payload.data : {};
  const field = (name: string) => (name in data ? String(Reflect.get(data, name)) : '-');
  return `${type} sku=${field('sku')} available=${field('available')} version=${field('version')}`;
};

createServer((request, response) => {
  const chunks: Array<Buffer> = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received += 1;
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    let verdict: string;
    try {
      verdict = `verified ${describe(webhook.verify(body, headers))}`;
    } catch (error) {
      verdict = `NOT VERIFIED (${error instanceof Error ? error.message : String(error)})`;
    }
    const status = received <= failFirst ? 500 : 204;
    process.stdout.write(`${new Date().toISOString()} #${received} webhook-id=${headers['webhook-id'] ?? '-'} ${verdict} → ${status}\n`);
    response.writeHead(status).end();
  });
}).listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`));
