// The flash sale run as a drop (DESIGN.md §10), measured against a plain flash sale in the same run:
// two fresh SKUs with the same stock, the flash scenario's clients and request count at max rate.
// Plain: single-unit holds. Drop: the SKU's whole stock ring-fenced by `PUT /v1/drops/{id}` (limit 2
// per customer), then single-unit holds with `dropId` and `customerId`, round-robin over `customers`
// distinct customers except every `botEvery`-th, which comes from one of `bots` bot customers firing
// its holds in a burst. Reported: drop ÷ plain holds/s, the most any bot got (≤ the limit), refusals by
// problem type, and the drop's own figures read back from `GET /v1/drops/{id}`.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkOversell } from './CheckOversell.js';
import { holdsPerSecond } from './FlashSale.js';
import { runMaxRate, type LoadTarget } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { dropReserveRequest, reserveRequest } from './Requests.js';
import { atLeast, atMost, ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { SuiteContext } from './SuiteContext.js';
import { bump, problemTypeOf } from './ProblemType.js';

const WarmPlain = 'DROP-WARM-PLAIN';
const WarmDrop = 'DROP-WARM-DROP';
const Plain = 'DROP-PLAIN';
const InDrop = 'DROP-SKU';
const WarmDropId = 'bench-drop-warm';
const MeasuredDropId = 'bench-drop';
const LimitPerCustomer = 2;
const ReadBackWaitMs = 10_000;

/** `PUT /v1/drops/{dropId}`: one SKU, open since a second ago, closing in an hour; the answer must be 201. */
const putDrop = async (apiUrl: string, apiKey: string, dropId: string, sku: string, allocation: number): Promise<void> => {
  const now = Date.now();
  const body = {
    name: `bench ${dropId}`,
    opensAt: new Date(now - 1_000).toISOString(),
    closesAt: new Date(now + 3_600_000).toISOString(),
    skus: [{ sku, allocation, limitPerCustomer: LimitPerCustomer }],
  };
  const response = await fetch(`${apiUrl}/v1/drops/${encodeURIComponent(dropId)}`, {
    method: 'PUT',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`PUT /v1/drops/${dropId}: HTTP ${response.status} ${text.slice(0, 400)}`);
};

export interface DropSkuFigures {
  readonly sku: string;
  readonly allocation: number;
  readonly held: number;
  readonly committed: number;
  readonly remaining: number;
  readonly buyers: number;
  readonly refusedCustomers: number;
  readonly refusedUnits: number;
  readonly version: number;
  readonly asOf: string;
}

const num = (o: object, name: string): number => {
  const v: unknown = Reflect.get(o, name);
  if (typeof v !== 'number') throw new Error(`GET /v1/drops: ${name} is not a number in ${JSON.stringify(o).slice(0, 300)}`);
  return v;
};

/** `GET /v1/drops/{dropId}` → the figures of `sku` (200 expected). */
const readDropSku = async (apiUrl: string, apiKey: string, dropId: string, sku: string): Promise<DropSkuFigures> => {
  const response = await fetch(`${apiUrl}/v1/drops/${encodeURIComponent(dropId)}`, { headers: { 'x-api-key': apiKey } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /v1/drops/${dropId}: HTTP ${response.status} ${text.slice(0, 300)}`);
  const body: unknown = JSON.parse(text);
  const skus: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'skus') : undefined;
  const item: unknown = Array.isArray(skus) ? skus.find((s: unknown) => typeof s === 'object' && s !== null && Reflect.get(s, 'sku') === sku) : undefined;
  if (typeof item !== 'object' || item === null) throw new Error(`GET /v1/drops/${dropId}: no ${sku} in ${text.slice(0, 300)}`);
  const asOf: unknown = Reflect.get(item, 'asOf');
  return {
    sku,
    allocation: num(item, 'allocation'),
    held: num(item, 'held'),
    committed: num(item, 'committed'),
    remaining: num(item, 'remaining'),
    buyers: num(item, 'buyers'),
    refusedCustomers: num(item, 'refusedCustomers'),
    refusedUnits: num(item, 'refusedUnits'),
    version: num(item, 'version'),
    asOf: typeof asOf === 'string' ? asOf : '',
  };
};


export const runDropSale = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const f = ctx.options.flash;
  const o = ctx.options.drop;
  const key = ctx.system.apiKey;
  const stop = () => ctx.watchdog.trouble() !== null;
  const warmCount = ctx.options.smoke ? 100 : 2_000;
  // Enough that every hold of either part could be answered 201: neither part sells out, so both
  // measure holds, and the drop's refusals are its limit's alone.
  const stock = f.requests;
  const botSlots = Math.floor(f.requests / o.botEvery);
  // Each bot fires its holds back to back in its turn (within the clients' window, so concurrently).
  const burst = Math.max(1, Math.ceil(botSlots / o.bots));
  /** The customer of the i-th drop hold: `bot-<n>` for every `botEvery`-th, else the next `cust-<n>` round-robin. */
  const customerOf = (i: number): string =>
    (i + 1) % o.botEvery === 0 ? `bot-${Math.floor(Math.floor(i / o.botEvery) / burst) % o.bots}` : `cust-${(i - Math.floor((i + 1) / o.botEvery)) % o.customers}`;

  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  for (const [sku, qty] of [[WarmPlain, warmCount * 2], [WarmDrop, warmCount * 2], [Plain, stock], [InDrop, stock]] as const) {
    await seedSkus(ctx.sender, [ctx.api.url], key, [sku], qty);
  }
  await putDrop(ctx.api.url, key, WarmDropId, WarmDrop, warmCount * 2);
  await putDrop(ctx.api.url, key, MeasuredDropId, InDrop, stock);
  ctx.log(`  seeded ${Plain} and ${InDrop} with ${stock} units each; drop ${MeasuredDropId} ring-fences all of ${InDrop}, ${LimitPerCustomer} per customer`);

  const plainOn = (sku: string, prefix: string): LoadTarget => ({ origin: ctx.api.url, make: (i) => reserveRequest(key, sku, `${prefix}-${i}`), expect: [201, 409, 503] });
  await runMaxRate(plainOn(WarmPlain, 'drop-warm-plain'), { connections: f.clients, count: warmCount, stop });
  await runMaxRate(
    { origin: ctx.api.url, make: (i) => dropReserveRequest(key, WarmDropId, `warm-${i}`, WarmDrop, `drop-warm-drop-${i}`), expect: [201, 409, 503] },
    { connections: f.clients, count: warmCount, stop },
  );

  const runs: Array<LabeledRun> = [];
  const plain = await ctx.measure('drop: plain flash max-rate holds', 'larder', 'POST /v1/reservations', () =>
    runMaxRate(plainOn(Plain, 'drop-plain'), { connections: f.clients, count: f.requests, stop }),
  );
  runs.push(plain);

  // Per customer: its 201s; per problem type: the 409s, split by bots and customers.
  const heldBy = new Map<string, number>();
  const refusedBots = new Map<string, number>();
  const refusedCustomers = new Map<string, number>();
  const oddAnswers: Array<string> = [];
  const drop = await ctx.measure(`drop: drop max-rate holds (every ${o.botEvery}th from a bot)`, 'larder', 'POST /v1/reservations (dropId, customerId)', () =>
    runMaxRate(
      {
        origin: ctx.api.url,
        make: (i) => dropReserveRequest(key, MeasuredDropId, customerOf(i), InDrop, `drop-hold-${i}`),
        wantsBody: (status) => status !== 201,
        onAnswer: (i, status, body) => {
          const customer = customerOf(i);
          if (status === 201) bump(heldBy, customer);
          else if (status === 409) bump(customer.startsWith('bot-') ? refusedBots : refusedCustomers, problemTypeOf(body));
          else if (status !== 503 && oddAnswers.length < 3) oddAnswers.push(`${status} ${customer}: ${(body ?? '').slice(0, 300)}`);
        },
        expect: [201, 409, 503],
      },
      { connections: f.clients, count: f.requests, stop },
    ),
  );
  runs.push(drop);
  if (oddAnswers.length > 0) ctx.log(`  ⚠ unexpected drop answers, e.g. ${oddAnswers.join(' | ')}`);

  const plainHeld = plain.result.statusCounts['201'] ?? 0;
  const dropHeld = drop.result.statusCounts['201'] ?? 0;
  const bots = Array.from({ length: o.bots }, (_, n) => `bot-${n}`);
  const botHeld = bots.reduce((t, b) => t + (heldBy.get(b) ?? 0), 0);
  const maxBot = Math.max(0, ...bots.map((b) => heldBy.get(b) ?? 0));
  const customerCounts = [...heldBy].filter(([c]) => !c.startsWith('bot-')).map(([, n]) => n);
  const maxCustomer = Math.max(0, ...customerCounts);
  const distinctBuyers = heldBy.size;
  const botRequests = Math.floor(drop.result.sent / o.botEvery);

  // The drop's figures are the SKU's view (a KV projection): poll until they show every 201.
  const t0 = performance.now();
  let readBack = await readDropSku(ctx.api.url, key, MeasuredDropId, InDrop);
  while (readBack.held !== dropHeld && performance.now() - t0 < ReadBackWaitMs) {
    await sleep(100);
    readBack = await readDropSku(ctx.api.url, key, MeasuredDropId, InDrop);
  }
  const readBackMs = Math.round(performance.now() - t0);

  const plainOversell = await checkOversell(ctx.oversell, new Map([[Plain, stock]]), afterSeq, plainHeld, null);
  const dropOversell = await checkOversell(ctx.oversell, new Map([[InDrop, stock]]), afterSeq, dropHeld, null);

  const hpsPlain = holdsPerSecond(plain.result);
  const hpsDrop = holdsPerSecond(drop.result);
  const overPlain = ratio(hpsDrop, hpsPlain);
  // The two refusals a drop hold can meet here always shown (0 when none), any other type as it came.
  const refusalFigures = (prefix: string, m: Map<string, number>) =>
    Object.fromEntries([...new Set(['limit-exceeded', 'insufficient-stock', ...m.keys()])].map((type) => [`${prefix} ${type}`, m.get(type) ?? 0]));
  const heldDiff = readBack.held - dropHeld;
  const buyersDiff = readBack.buyers - distinctBuyers;
  return {
    id: 'drop',
    title: `Drop vs plain flash sale: 2 SKUs, ${stock.toLocaleString('en-US')} units each (all of the drop SKU's allocated, nothing sells out), ${f.clients} clients, ${f.requests.toLocaleString('en-US')} single-unit holds each; drop holds round-robin over ${o.customers.toLocaleString('en-US')} customers, every ${o.botEvery}th from one of ${o.bots} bots, limit ${LimitPerCustomer} per customer`,
    runs,
    figures: {
      stockPerSku: stock,
      plainHeld,
      plainHoldsPerSecond: hpsPlain,
      plainAnswersPerSecond: plain.result.answersPerSecond,
      plainShed: plain.result.statusCounts['503'] ?? 0,
      dropHeld,
      dropHoldsPerSecond: hpsDrop,
      dropAnswersPerSecond: drop.result.answersPerSecond,
      dropShed: drop.result.statusCounts['503'] ?? 0,
      botRequests,
      botHeld,
      maxHoldsAnyBot: maxBot,
      maxHoldsAnyCustomer: maxCustomer,
      distinctBuyersAnswered: distinctBuyers,
      ...refusalFigures('bots refused', refusedBots),
      ...refusalFigures('customers refused', refusedCustomers),
      dropReadBackHeld: readBack.held,
      dropReadBackCommitted: readBack.committed,
      dropReadBackRemaining: readBack.remaining,
      dropReadBackBuyers: readBack.buyers,
      dropReadBackRefusedCustomers: readBack.refusedCustomers,
      dropReadBackRefusedUnits: readBack.refusedUnits,
      dropReadBackVersion: readBack.version,
      dropReadBackWaitMs: readBackMs,
      ledgerCatchUpMs: dropOversell.ledgerWaitMs,
    },
    ratios: [
      { name: 'drop holds/s ÷ plain flash holds/s', value: overPlain, target: atLeast(overPlain, 0.9, '×') },
      { name: 'drop answers/s ÷ plain flash answers/s', value: ratio(drop.result.answersPerSecond, plain.result.answersPerSecond), target: null },
      { name: 'max holds any bot got', value: maxBot, unit: ' holds', target: atMost(maxBot, LimitPerCustomer, 'holds') },
      { name: 'max holds any customer got', value: maxCustomer, unit: ' holds', target: atMost(maxCustomer, LimitPerCustomer, 'holds') },
      { name: 'GET /v1/drops held − drop 201 answers', value: heldDiff, unit: ' units', target: { text: '= 0 units', pass: heldDiff === 0 } },
      { name: 'GET /v1/drops buyers − customers answered 201', value: buyersDiff, unit: ' customers', target: { text: '= 0 customers', pass: buyersDiff === 0 } },
    ],
    oversell: [
      { label: `Larder ${Plain} (plain flash, max rate)`, report: plainOversell },
      { label: `Larder ${InDrop} (drop ${MeasuredDropId}, max rate)`, report: dropOversell },
    ],
    notes: [
      `holds/s = 201 answers ÷ seconds from the first send to the last 201, as in flash. The plain part can answer every hold 201; in the drop part about 1 in ${o.botEvery} holds is a bot's and all but ${LimitPerCustomer} of each bot's are refused, so at the same answers/s the drop's holds/s is about ${Math.round((1 - 1 / o.botEvery) * 100)}% of the plain one (answers/s ÷ answers/s is the per-request cost).`,
      `Bots: ${botRequests.toLocaleString('en-US')} of ${drop.result.sent.toLocaleString('en-US')} drop holds (every ${o.botEvery}th), ${burst} in a row per bot in its turn (bot-0 first), got ${botHeld.toLocaleString('en-US')} units; refusals (409 by problem type): bots ${JSON.stringify(Object.fromEntries(refusedBots))}, customers ${JSON.stringify(Object.fromEntries(refusedCustomers))}.`,
      `GET /v1/drops/${MeasuredDropId}: allocation ${readBack.allocation}, held ${readBack.held} (201s: ${dropHeld}), buyers ${readBack.buyers} (customers with a 201: ${distinctBuyers}), remaining ${readBack.remaining}, read ${readBackMs} ms after the load (version ${readBack.version}, asOf ${readBack.asOf}).`,
      `Warm-up first: ${warmCount} plain holds on ${WarmPlain} and ${warmCount} drop holds on ${WarmDrop} (drop ${WarmDropId}); then the plain part, then the drop part.`,
    ],
  };
};
