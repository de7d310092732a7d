#!/usr/bin/env node
// `npm start`: the whole system on the local services — one shard runner, one API instance, a demo
// catalogue on an empty store — then the API's URL, a development key and a curl to try.
// Ctrl-C (or SIGTERM) drains both processes and exits. Both write pino JSON lines, as in production;
// here they are shown one readable line each (`LARDER_LOG_FORMAT=json npm start` shows them as written).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Schema } from 'effect';
import { prettyFactory } from 'pino-pretty';
import { LarderNodeFlags, startLarderProcess, type LarderProcess } from '@larder/testing';
import { fetchRetrying } from './FetchRetrying.js';
import { decodeAvailable } from './Month/MonthAnswers.js';
import { demoCatalogue, demoChannels, demoDrop, demoEstablishment, demoLocations, demoLotCode, demoLotPolicy, demoLots, demoPack, type DemoSku } from './DemoCatalogue.js';

const decodeLots = Schema.decodeUnknownSync(Schema.Struct({ locations: Schema.Array(Schema.Struct({ lots: Schema.Array(Schema.Struct({ code: Schema.String })) })) }));

/** A calendar date `days` from today (UTC), `YYYY-MM-DD`. */
const dayFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The demo lots of one flavour as restocks send them, with the units each gets at `main`. */
const lotsOf = (item: DemoSku) =>
  demoLots.map((lot, i) => {
    const producedOn = dayFromToday(-lot.producedDaysAgo);
    const bestBefore = dayFromToday(i === 0 ? (item.olderLotInDays ?? lot.bestBeforeInDays) : lot.bestBeforeInDays);
    const atMain = i === 0 ? Math.floor(item.stock * lot.shareAtMain) : item.stock - Math.floor(item.stock * demoLots[0].shareAtMain);
    return { suffix: lot.suffix, atMain, lot: { code: demoLotCode(producedOn, lot.suffix), bestBefore, producedOn, establishment: demoEstablishment } };
  });

const root = fileURLToPath(new URL('../../../', import.meta.url));
const port = Number(process.env['PORT'] ?? 3000);
const base = `http://127.0.0.1:${port}`;

const services = [
  { name: 'NATS', url: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', port: 4222, start: 'nats-server -js -sd /var/lib/nats-server (or docker compose -f deploy/compose.yaml up -d)' },
  { name: 'Postgres', url: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres', port: 5432, start: 'pg_ctlcluster 15 main start' },
  { name: 'Redis', url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', port: 6379, start: 'redis-server --daemonize yes' },
];

interface Child {
  readonly name: string;
  readonly process: LarderProcess;
}

// One line per log record: time, level, process, message, then its fields; what is not JSON (a stack
// trace on stderr) passes through unchanged. The runner and shard ids are in every runner line: left out.
const pretty =
  process.env['LARDER_LOG_FORMAT'] === 'json'
    ? undefined
    : prettyFactory({ colorize: process.stdout.isTTY, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,namespace,runner' });

/** Writes a child's output as whole lines, each pretty-printed (a chunk may end mid-line). */
const prettyPrinter = (format: (line: string) => string) => {
  let pending = '';
  return (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) process.stdout.write(format(line));
  };
};

// Each child's log goes to this terminal; no ready timeout: a first start may be slow and Ctrl-C is at hand.
const startChild = async (name: string, entry: string, env: Readonly<Record<string, string>>, ready: string): Promise<Child> => ({
  name,
  process: await startLarderProcess({
    name,
    entry,
    env,
    ready,
    readyTimeoutMs: Number.POSITIVE_INFINITY,
    nodeArgs: LarderNodeFlags,
    ...(pretty === undefined ? { stdout: 'inherit' } : { stdout: 'capture', onOutput: prettyPrinter(pretty) }),
  }),
});

/** SIGTERM, then SIGKILL if it has not drained after 15 s. */
const stopChild = (child: Child) => child.process.stop(15_000);

const reachable = (url: string, fallbackPort: number) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(url);
    const socket = tcp({ host: u.hostname, port: Number(u.port || fallbackPort) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

/** A stable development key, kept in .larder/ (git-ignored) so curl commands keep working. */
const devKey = () => {
  const file = `${root}.larder/dev-api-key`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(`${root}.larder`, { recursive: true });
  const key = `lk_dev_${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
};

const seed = async (key: string) => {
  const headers = { 'content-type': 'application/json', 'x-api-key': key };
  for (const location of demoLocations) {
    const put = await fetchRetrying(`${base}/v1/locations/${location.id}`, { method: 'PUT', headers, body: JSON.stringify({ name: location.name, priority: location.priority }) });
    if (put.status !== 200 && put.status !== 201) throw new Error(`registering location ${location.id} failed: ${put.status} ${await put.text()}`);
  }
  for (const { id, ...terms } of demoChannels) {
    const put = await fetchRetrying(`${base}/v1/channels/${id}`, { method: 'PUT', headers, body: JSON.stringify(terms) });
    if (put.status !== 200 && put.status !== 201) throw new Error(`registering channel ${id} failed: ${put.status} ${await put.text()}`);
  }
  let seeded = 0;
  for (const item of demoCatalogue) {
    const known = await fetchRetrying(`${base}/v1/stock/${item.sku}`, { headers });
    if (known.status !== 404) continue;
    await fetchRetrying(`${base}/v1/skus/${item.sku}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ name: item.name, lowStockThreshold: item.lowStockThreshold, ...demoLotPolicy }),
    });
    const lots = lotsOf(item);
    const older = lots[0];
    for (const { suffix, atMain, lot } of lots) {
      if (atMain === 0) continue;
      const restock = await fetchRetrying(`${base}/v1/restocks`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `demo-seed-${item.sku}-${suffix}` },
        body: JSON.stringify({ sku: item.sku, qty: atMain, reference: 'demo-seed', lot }),
      });
      if (restock.status !== 202) throw new Error(`seeding ${item.sku} lot ${lot.code} failed: ${restock.status} ${await restock.text()}`);
    }
    if (item.stockAt3pl !== undefined && older !== undefined) {
      const at3pl = await fetchRetrying(`${base}/v1/restocks`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `demo-seed-3pl-${item.sku}-${older.suffix}` },
        body: JSON.stringify({ sku: item.sku, qty: item.stockAt3pl, location: '3pl', reference: 'demo-seed', lot: older.lot }),
      });
      if (at3pl.status !== 202) throw new Error(`seeding ${item.sku} at 3pl failed: ${at3pl.status} ${await at3pl.text()}`);
    }
    seeded++;
  }
  return seeded;
};

/** The variety pack as a real pack of its three flavours; a store seeded before packs keeps its old SKU (reported). */
const definePack = async (key: string): Promise<string> => {
  const headers = { 'content-type': 'application/json', 'x-api-key': key };
  const put = await fetchRetrying(`${base}/v1/skus/${demoPack.sku}`, { method: 'PUT', headers, body: JSON.stringify({ name: demoPack.name, components: demoPack.components }) });
  if (put.status === 200 || put.status === 201) return `${demoPack.sku} = ${demoPack.components.map((c) => `${c.qty} × ${c.sku}`).join(' + ')}`;
  return `not defined (${put.status} ${(await put.text()).slice(0, 300)})`;
};

/**
 * Defines this start's demo drop (`ghost-pepper-<HHMM>` UTC of its opening): once the seed's restock is
 * applied, so its allocation can be ring-fenced. A drop that cannot be defined is reported, not fatal.
 */
const defineDemoDrop = async (key: string): Promise<{ readonly dropId: string; readonly opensAt: string } | string> => {
  const headers = { 'content-type': 'application/json', 'x-api-key': key };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const stock = await fetchRetrying(`${base}/v1/stock/${demoDrop.sku}`, { headers });
    const available = stock.status === 200 ? decodeAvailable(await stock.json()).available : 0;
    if (available >= demoDrop.allocation) break;
    if (Date.now() > deadline) return `only ${available} of ${demoDrop.sku} available, ${demoDrop.allocation} needed`;
    await new Promise((done) => setTimeout(done, 100));
  }
  const opens = new Date(Date.now() + demoDrop.opensInMs);
  const dropId = `ghost-pepper-${opens.toISOString().slice(11, 16).replace(':', '')}`;
  const opensAt = opens.toISOString();
  const answer = await fetchRetrying(`${base}/v1/drops/${dropId}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      name: 'Ghost pepper limited batch',
      opensAt,
      closesAt: new Date(opens.getTime() + demoDrop.openForMs).toISOString(),
      skus: [{ sku: demoDrop.sku, allocation: demoDrop.allocation, limitPerCustomer: demoDrop.limitPerCustomer }],
    }),
  });
  return answer.status === 200 || answer.status === 201 ? { dropId, opensAt } : `${answer.status} ${await answer.text()}`;
};

/** A lot of the SKU as its stock read shows it (the seed's restocks are applied within moments), to try a quarantine on. */
const lotToTry = async (key: string, sku: string): Promise<string> => {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const stock = await fetchRetrying(`${base}/v1/stock/${sku}`, { headers: { 'x-api-key': key } });
    if (stock.status === 200) {
      // Every seed restock names a lot: a view without one is a store seeded before lots.
      const code = decodeLots(await stock.json()).locations.flatMap((l) => l.lots)[0]?.code;
      return code ?? `<a lot code: this store was seeded before lots; restock ${sku} with a lot first>`;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return `<lot code: see the lots in GET /v1/stock/${sku}>`;
};

const main = async () => {
  const down = [];
  for (const s of services) if (!(await reachable(s.url, s.port))) down.push(s);
  if (down.length > 0) {
    for (const s of down) console.error(`${s.name} is not reachable at ${s.url}: start it (${s.start}) or set its URL variable.`);
    process.exit(1);
  }
  const key = devKey();
  const env = {
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
    PORT: String(port),
    LARDER_API_KEYS: JSON.stringify([{ name: 'dev', sha256: createHash('sha256').update(key).digest('hex'), scopes: ['admin'] }]),
  };
  const children: Array<Child> = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    stopping = true;
    console.log(`\n${signal}: draining the API, then the runner…`);
    for (const child of [...children].reverse()) await stopChild(child);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  children.push(await startChild('runner', 'apps/inventory-actors/src/main.ts', env, '"runner ready"'));
  children.push(await startChild('api', 'apps/api/src/main.ts', env, '"api ready"'));
  const seeded = await seed(key);
  const pack = await definePack(key);
  const drop = await defineDemoDrop(key);
  const lot = await lotToTry(key, 'JERKY-TERIYAKI-50G');
  const dropLines =
    typeof drop === 'string'
      ? `  demo drop:        not defined (${drop})`
      : `  demo drop:        ${drop.dropId}: ${demoDrop.allocation} × ${demoDrop.sku}, ${demoDrop.limitPerCustomer} per customer, opens ${drop.opensAt} (in a minute)`;
  const dropTry =
    typeof drop === 'string'
      ? ''
      : `
  curl -s -H 'x-api-key: ${key}' ${base}/v1/drops/${drop.dropId}
  curl -s -X POST -H 'x-api-key: ${key}' -H 'content-type: application/json' -H "idempotency-key: $(node -p 'crypto.randomUUID()')" \\
       -d '{"dropId":"${drop.dropId}","customerId":"cust-1","lines":[{"sku":"${demoDrop.sku}","qty":1}]}' ${base}/v1/reservations
       (409 drop-not-open until it opens; then a third unit for cust-1 is 409 limit-exceeded)`;
  console.log(`
Larder is running.
  console:          ${base}/console   (sign in with the development key; Stock, Drops, Back office, Operations)
  API:              ${base}   (reference: ${base}/docs, events: ${base}/docs/events, OpenAPI: ${base}/docs/openapi.json)
  development key:  ${key}   (every scope; kept in .larder/dev-api-key)
  demo catalogue:   ${seeded > 0 ? `${seeded} jerky SKUs created with stock` : 'already there'}
  locations:        ${demoLocations.map((l) => `${l.id} (${l.name}, priority ${l.priority})`).join(', ')}
  channels:         ${demoChannels.map((c) => `${c.id} (${c.minShelfLifeDays} days on the shelf after ${c.handlingDays} days of handling)`).join(', ')}
  lots:             two per flavour (${demoEstablishment}); alert ${demoLotPolicy.alertDays} days and removal ${demoLotPolicy.removalDays} days before best-before
  variety pack:     ${pack}
${dropLines}

Try:
  curl -s -H 'x-api-key: ${key}' ${base}/v1/stock/JERKY-TERIYAKI-50G
  curl -s -X POST -H 'x-api-key: ${key}' -H 'content-type: application/json' -H "idempotency-key: $(node -p 'crypto.randomUUID()')" \\
       -d '{"lines":[{"sku":"JERKY-TERIYAKI-50G","qty":2}]}' ${base}/v1/reservations
  curl -s -H 'x-api-key: ${key}' ${base}/v1/stock/${demoPack.sku}
  curl -s -X POST -H 'x-api-key: ${key}' -H 'content-type: application/json' -H "idempotency-key: $(node -p 'crypto.randomUUID()')" \\
       -d '{"lines":[{"sku":"${demoPack.sku}","qty":1},{"sku":"JERKY-ORIGINAL-50G","qty":2}]}' ${base}/v1/reservations
       (one hold: 3 Original, 1 Teriyaki, 1 Ghost pepper — all or nothing)
  curl -s -H 'x-api-key: ${key}' '${base}/v1/stock/JERKY-PEPPERED-50G?channel=retail'
       (what a retail partner's hold could take: the older lot has too little shelf life left for retail)
  curl -s -X POST -H 'x-api-key: ${key}' -H 'content-type: application/json' -H "idempotency-key: $(node -p 'crypto.randomUUID()')" \\
       -d '{"reason":"supplier notice: possible foreign material"}' ${base}/v1/lots/JERKY-TERIYAKI-50G/${lot}/quarantine
       (the lot leaves sale at both locations at once; …/release puts it back)${dropTry}

Ctrl-C stops both processes cleanly.`);
  // If either child dies, stop the other and exit with its code.
  const first = await Promise.race(children.map((c) => c.process.exited.then((code) => ({ c, code }))));
  if (stopping) return; // a signal is already draining everything
  console.error(`${first.c.name} exited (code ${first.code}); stopping the rest`);
  for (const child of children) await stopChild(child);
  process.exit(first.code ?? 1);
};

void main();
