// The flash sale of a variety pack (DESIGN.md §10 "Packs"), measured against a plain flash sale in the
// same run. Plain: a fresh SKU with the flash scenario's units, its clients and requests, single-unit holds.
// Pack: three fresh components with the same units each and a pack of one of each (`PUT /v1/skus/{pack}`),
// then the same clients at max rate, every other hold the pack (qty 1) and the rest single-unit holds of
// the components in turn, until every component is sold out. Reported: pack and singles holds/s ÷ plain
// holds/s, the holds' p50/p99, refusals by problem type, and per component that `reserved` equals the
// units the 201s took and never passes `onHand`; the pack's own view must come down to available 0.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkOversell, type CheckedOversell } from './CheckOversell.js';
import { holdsPerSecond } from './FlashSale.js';
import { runMaxRate, type LoadTarget } from './HttpLoad.js';
import { makeLatencyHistogram, type LatencyHistogram } from './LatencyHistogram.js';
import { journalLastSeq } from './MovementSums.js';
import { reserveRequest } from './Requests.js';
import { ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import { levelsOf, type Levels } from './StockReadback.js';
import type { SuiteContext } from './SuiteContext.js';
import { bump, problemTypeOf } from './ProblemType.js';

const WarmPlain = 'PACK-WARM-PLAIN';
const WarmPack = 'PACK-WARM-PACK';
const WarmComponents = ['PACK-WARM-A', 'PACK-WARM-B', 'PACK-WARM-C'] as const;
const Plain = 'PACK-PLAIN';
const Pack = 'PACK-VARIETY';
const Components = ['PACK-PART-A', 'PACK-PART-B', 'PACK-PART-C'] as const;
/** A component is sold out once this many of its single holds in a row were refused `insufficient-stock` (a pack hold being compensated can refuse one or two while units remain). */
const SoldOutAfter = 10;
const PackViewWaitMs = 30_000;
const ReadBackWaitMs = 10_000;

/** `PUT /v1/skus/{pack}`: a pack of one of each component; the answer must be 201 or 200. */
const putPack = async (apiUrl: string, apiKey: string, pack: string, components: ReadonlyArray<string>): Promise<void> => {
  const response = await fetch(`${apiUrl}/v1/skus/${encodeURIComponent(pack)}`, {
    method: 'PUT',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench ${pack}`, components: components.map((sku) => ({ sku, qty: 1 })) }),
  });
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT /v1/skus/${pack}: HTTP ${response.status} ${text.slice(0, 400)}`);
};

interface StockRead {
  readonly kind: string;
  readonly levels: Levels;
}

/** `GET /v1/stock/{sku}`: its kind and levels; null while the API knows no stock for it (404). */
const readStock = async (apiUrl: string, apiKey: string, sku: string): Promise<StockRead | null> => {
  const response = await fetch(`${apiUrl}/v1/stock/${encodeURIComponent(sku)}`, { headers: { 'x-api-key': apiKey } });
  const text = await response.text();
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`GET /v1/stock/${sku}: HTTP ${response.status} ${text.slice(0, 300)}`);
  const body: unknown = JSON.parse(text);
  const levels = levelsOf(body);
  const kind: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'kind') : undefined;
  if (levels === undefined || typeof kind !== 'string') throw new Error(`GET /v1/stock/${sku}: not a stock answer: ${text.slice(0, 300)}`);
  return { kind, levels };
};

/** Reads until `done` or `waitMs` passed; the last read, whether it got there and how long it took. */
const readUntil = async <T>(read: () => Promise<T>, done: (value: T) => boolean, waitMs: number) => {
  const t0 = performance.now();
  let value = await read();
  while (!done(value) && performance.now() - t0 < waitMs) {
    await sleep(100);
    value = await read();
  }
  return { value, reached: done(value), waitedMs: Math.round(performance.now() - t0) };
};


/** The answers to one kind of hold (the plain SKU, the pack, a component sold singly). */
interface Tally {
  held: number;
  /** Seconds from the run's first send to this kind's last 201. */
  lastHeldAt: number;
  /** Single holds refused `insufficient-stock` since the last 201 (see SoldOutAfter). */
  refusedInARow: number;
  /** Send → answer of the 201s. */
  readonly holds: LatencyHistogram;
  /** 409s by problem type. */
  readonly refused: Map<string, number>;
  /** Any other answer, by status and problem type (503 `overloaded` is admission control shedding). */
  readonly other: Map<string, number>;
}

/**
 * Single-unit holds on `skuOf(i)` (a pack line for the pack), each answer tallied under its SKU with its
 * latency from send to answer, which the load's own histogram cannot split by kind.
 */
const talliedHolds = (origin: string, apiKey: string, prefix: string, count: number, skuOf: (i: number) => string) => {
  const tallies = new Map<string, Tally>();
  const tallyOf = (sku: string): Tally => {
    const found = tallies.get(sku);
    if (found !== undefined) return found;
    const t: Tally = { held: 0, lastHeldAt: 0, refusedInARow: 0, holds: makeLatencyHistogram(), refused: new Map(), other: new Map() };
    tallies.set(sku, t);
    return t;
  };
  const sentAt = new Float64Array(count);
  let start = -1;
  const target: LoadTarget = {
    origin,
    make: (i) => {
      const now = performance.now();
      if (start < 0) start = now;
      sentAt[i] = now;
      return reserveRequest(apiKey, skuOf(i), `${prefix}-${i}`);
    },
    wantsBody: (status) => status !== 201,
    onAnswer: (i, status, body) => {
      const now = performance.now();
      const t = tallyOf(skuOf(i));
      if (status === 201) {
        t.held++;
        t.lastHeldAt = (now - start) / 1000;
        t.refusedInARow = 0;
        t.holds.record(now - (sentAt[i] ?? now));
      } else if (status === 409) {
        const type = problemTypeOf(body);
        bump(t.refused, type);
        if (type === 'insufficient-stock') t.refusedInARow++;
      } else bump(t.other, `${status} ${problemTypeOf(body)}`);
    },
    expect: [201, 409, 503],
  };
  return { target, tally: tallyOf };
};

const perSecond = (t: Tally) => (t.lastHeldAt === 0 ? 0 : Math.round(t.held / t.lastHeldAt));
/** Every other hold the pack, the rest the components in turn: i % 6 = 0 pack, 1 A, 2 pack, 3 B, 4 pack, 5 C. */
const mixOf = (pack: string, components: ReadonlyArray<string>) => (i: number) => (i % 2 === 0 ? pack : (components[((i - 1) / 2) % components.length] ?? pack));

export const runPackSale = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const f = ctx.options.flash;
  const key = ctx.system.apiKey;
  const api = ctx.api.url;
  const watchdogStop = () => ctx.watchdog.trouble() !== null;
  const warmCount = ctx.options.smoke ? 100 : 2_000;
  const units = f.units;
  // A cap only: the mix sells out after about 1.5 × units holds (each six take four units of each component).
  const mixedCap = units * 4;

  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  await seedSkus(ctx.sender, [api], key, [WarmPlain, ...WarmComponents], warmCount * 2);
  await seedSkus(ctx.sender, [api], key, [Plain, ...Components], units);
  await putPack(api, key, WarmPack, WarmComponents);
  await putPack(api, key, Pack, Components);
  // The pack's view is written by the runner's pack projector: wait until reads see it whole.
  const packView = await readUntil(() => readStock(api, key, Pack), (r) => r?.kind === 'pack' && r.levels.available === units, PackViewWaitMs);
  if (!packView.reached) ctx.log(`  ⚠ GET /v1/stock/${Pack} did not show kind pack, available ${units} within ${PackViewWaitMs} ms: ${JSON.stringify(packView.value)}`);
  ctx.log(`  seeded ${Plain} and ${Components.join(', ')} with ${units} units each; ${Pack} = 1 × each component (view ready in ${packView.waitedMs} ms)`);

  await runMaxRate(talliedHolds(api, key, 'pack-warm-plain', warmCount, () => WarmPlain).target, { connections: f.clients, count: warmCount, stop: watchdogStop });
  await runMaxRate(talliedHolds(api, key, 'pack-warm-mix', warmCount, mixOf(WarmPack, WarmComponents)).target, { connections: f.clients, count: warmCount, stop: watchdogStop });

  const runs: Array<LabeledRun> = [];
  const plainHolds = talliedHolds(api, key, 'pack-plain', f.requests, () => Plain);
  const plain = await ctx.measure('pack: plain flash max-rate holds', 'larder', 'POST /v1/reservations', () =>
    runMaxRate(plainHolds.target, { connections: f.clients, count: f.requests, stop: watchdogStop }),
  );
  runs.push(plain);

  const mixedHolds = talliedHolds(api, key, 'pack-mix', mixedCap, mixOf(Pack, Components));
  const soldOut = () => Components.every((c) => mixedHolds.tally(c).refusedInARow >= SoldOutAfter);
  const mixed = await ctx.measure('pack: pack + singles max-rate holds (1 pack : 1 single)', 'larder', 'POST /v1/reservations (pack line / component line)', () =>
    runMaxRate(mixedHolds.target, { connections: f.clients, count: mixedCap, stop: () => watchdogStop() || soldOut() }),
  );
  runs.push(mixed);

  const plainT = plainHolds.tally(Plain);
  const packT = mixedHolds.tally(Pack);
  const singleT = Components.map((c) => mixedHolds.tally(c));
  const singlesHeld = singleT.reduce((n, t) => n + t.held, 0);
  const singlesLastAt = Math.max(0, ...singleT.map((t) => t.lastHeldAt));
  const singlesPerSecond = singlesLastAt === 0 ? 0 : Math.round(singlesHeld / singlesLastAt);
  /** Units each component's 201s in the mixed run took: one per pack hold, one per single hold of it. */
  const mixedHeld = (sku: string) => packT.held + mixedHolds.tally(sku).held;
  const readComponents = () => Promise.all(Components.map(async (sku) => ({ sku, read: await readStock(api, key, sku) })));
  const afterSale = await readUntil(readComponents, (reads) => reads.every(({ sku, read }) => read?.levels.reserved === mixedHeld(sku)), ReadBackWaitMs);
  // Near the end a pack hold that cannot be filled (a component gone) still holds the others' last units
  // until its compensation gives them back, so single holds are refused while units remain: those left
  // are sold here, one hold at a time, outside the measured runs, and reported.
  const leftover = afterSale.value.flatMap(({ sku, read }) => Array.from({ length: Math.max(0, read?.levels.available ?? 0) }, () => sku));
  const mopUp = talliedHolds(api, key, 'pack-mop-up', leftover.length, (i) => leftover[i] ?? Pack);
  if (leftover.length > 0) await runMaxRate(mopUp.target, { connections: 1, count: leftover.length, stop: watchdogStop });
  const heldOf = (sku: string) => mixedHeld(sku) + mopUp.tally(sku).held;
  const settled = await readUntil(readComponents, (reads) => reads.every(({ sku, read }) => read?.levels.reserved === heldOf(sku)), ReadBackWaitMs);
  const packAfter = await readUntil(() => readStock(api, key, Pack), (r) => r?.kind === 'pack' && r.levels.available === 0, ReadBackWaitMs);
  const components = settled.value.map(({ sku, read }) => ({
    sku,
    held: heldOf(sku),
    reserved: read?.levels.reserved ?? null,
    onHand: read?.levels.onHand ?? null,
    available: read?.levels.available ?? null,
  }));
  const reservedOverHeld = components.map((c) => (c.reserved === null ? null : c.reserved - c.held));
  const overOnHand = components.reduce((n, c) => n + Math.max(0, (c.reserved ?? 0) - (c.onHand ?? 0)), 0);
  const unsold = components.reduce((n, c) => n + (c.available ?? 0), 0);
  const soldAfter = Components.reduce((n, c) => n + mopUp.tally(c).held, 0);

  const plainOversell = await checkOversell(ctx.oversell, new Map([[Plain, units]]), afterSeq, plainT.held, null);
  const componentOversell: Array<{ readonly label: string; readonly report: CheckedOversell }> = [];
  for (const c of components) componentOversell.push({ label: `Larder ${c.sku} (component of ${Pack}, also sold singly)`, report: await checkOversell(ctx.oversell, new Map([[c.sku, units]]), afterSeq, c.held, null) });

  const hpsPlain = holdsPerSecond(plain.result);
  const hpsPack = perSecond(packT);
  const hpsMixed = holdsPerSecond(mixed.result);
  const plainLat = plainT.holds.summary();
  const packLat = packT.holds.summary();
  const singlesLat = singleT.map((t) => t.holds.summary());
  const singlesP99 = Math.max(0, ...singlesLat.map((s) => s.p99Ms));
  const singlesP50 = Math.max(0, ...singlesLat.map((s) => s.p50Ms));
  // `insufficient-stock` always shown (0 when none), any other 409 type and any other answer as it came.
  const refusals = (prefix: string, tallies: ReadonlyArray<Tally>) => {
    const sum = new Map<string, number>([[`${prefix} refused insufficient-stock`, 0]]);
    const add = (name: string, n: number) => sum.set(name, (sum.get(name) ?? 0) + n);
    for (const t of tallies) {
      for (const [type, n] of t.refused) add(`${prefix} refused ${type}`, n);
      for (const [answer, n] of t.other) add(`${prefix} answered ${answer}`, n);
    }
    return Object.fromEntries(sum);
  };
  const packViewAvailable = packAfter.value?.levels.available ?? null;
  return {
    id: 'pack',
    title: `Variety pack vs plain flash sale: ${Pack} = 1 each of ${Components.length} components with ${units.toLocaleString('en-US')} units each, half the holds the pack and half single holds of its components, until all are sold out; against ${f.requests.toLocaleString('en-US')} single-unit holds on a plain SKU with ${units.toLocaleString('en-US')} units; ${f.clients} clients, max rate`,
    runs,
    figures: {
      unitsPerSku: units,
      plainHeld: plainT.held,
      plainHoldsPerSecond: hpsPlain,
      plainAnswersPerSecond: plain.result.answersPerSecond,
      plainHoldP50Ms: plainLat.p50Ms,
      plainHoldP99Ms: plainLat.p99Ms,
      packHeld: packT.held,
      packHoldsPerSecond: hpsPack,
      packHoldP50Ms: packLat.p50Ms,
      packHoldP99Ms: packLat.p99Ms,
      singlesHeld,
      singlesHoldsPerSecond: singlesPerSecond,
      singlesHoldP50MsWorstComponent: singlesP50,
      singlesHoldP99MsWorstComponent: singlesP99,
      mixedHoldsPerSecond: hpsMixed,
      mixedAnswersPerSecond: mixed.result.answersPerSecond,
      mixedSent: mixed.result.sent,
      mixedSoldOut: soldOut() ? 'yes' : 'no',
      componentUnitsLeftAfterMixedRun: leftover.length,
      componentUnitsSoldAfterMixedRun: soldAfter,
      ...refusals('plain', [plainT]),
      ...refusals('pack', [packT]),
      ...refusals('singles', singleT),
      ...Object.fromEntries(components.flatMap((c) => [[`${c.sku} units held by 201s`, c.held], [`${c.sku} reserved`, c.reserved], [`${c.sku} onHand`, c.onHand], [`${c.sku} available`, c.available]])),
      componentsReadBackWaitMs: settled.waitedMs,
      packViewBeforeSaleWaitMs: packView.reached ? packView.waitedMs : null,
      packViewAvailableAfter: packViewAvailable,
      packViewKindAfter: packAfter.value?.kind ?? null,
      packViewReadBackWaitMs: packAfter.waitedMs,
      ledgerCatchUpMs: Math.max(plainOversell.ledgerWaitMs, ...componentOversell.map((o) => o.report.ledgerWaitMs)),
    },
    ratios: [
      { name: 'pack holds/s ÷ plain flash holds/s', value: ratio(hpsPack, hpsPlain), target: null },
      { name: 'singles holds/s (beside the pack) ÷ plain flash holds/s', value: ratio(singlesPerSecond, hpsPlain), target: null },
      { name: 'pack + singles holds/s ÷ plain flash holds/s', value: ratio(hpsMixed, hpsPlain), target: null },
      { name: 'pack hold p50 ÷ plain hold p50', value: ratio(packLat.p50Ms, plainLat.p50Ms), target: null },
      { name: 'pack hold p99 ÷ plain hold p99', value: ratio(packLat.p99Ms, plainLat.p99Ms), target: null },
      { name: 'single hold p99 (worst component) ÷ plain hold p99', value: ratio(singlesP99, plainLat.p99Ms), target: null },
      ...components.map((c, n) => {
        const diff = reservedOverHeld[n] ?? null;
        return { name: `GET /v1/stock/${c.sku} reserved − units its 201s took`, value: diff, unit: ' units', target: { text: '= 0 units', pass: diff === 0 } };
      }),
      { name: 'components: Σ max(0, reserved − onHand)', value: overOnHand, unit: ' units', target: { text: '= 0 units', pass: overOnHand === 0 } },
      { name: 'component units still available after the sale', value: unsold, unit: ' units', target: { text: '= 0 units', pass: unsold === 0 } },
      { name: `GET /v1/stock/${Pack} available after the sale`, value: packViewAvailable, unit: ' packs', target: { text: '= 0 packs', pass: packViewAvailable === 0 && packAfter.value?.kind === 'pack' } },
    ],
    oversell: [{ label: `Larder ${Plain} (plain flash, max rate)`, report: plainOversell }, ...componentOversell],
    notes: [
      `holds/s = 201 answers ÷ seconds from the first send to the last 201 of that kind, as in flash. Pack and singles share one run and its ${f.clients} clients, one request in two each, so at equal cost each would show about half the plain rate: pack + singles ÷ plain is the per-request comparison, pack ÷ plain the issue's figure. A pack hold holds ${Components.length} SKUs (three owners asked, its record written first), a single hold one.`,
      `Latencies are of 201 answers only (send → answer), per kind; the table's p50/p99 are of every answer, refusals included.`,
      `Sold out: ${soldOut() ? `every component had ${SoldOutAfter} single holds in a row refused` : `⚠ not every component had ${SoldOutAfter} single holds in a row refused before the cap of ${mixedCap.toLocaleString('en-US')} holds`}; ${leftover.length === 0 ? 'no unit of the components was left once pack holds stopped' : `${leftover.length} units of the components were still available once pack holds stopped (${afterSale.value.map(({ sku, read }) => `${sku} ${read?.levels.available ?? '?'}`).join(', ')}): single holds were refused them while refused pack holds had them; ${soldAfter} sold after by single holds one at a time (not in the rates)`}; ${unsold} left.`,
      `Components read back (GET /v1/stock/{sku}) ${settled.waitedMs} ms after the load${settled.reached ? '' : ` ⚠ still not equal to the 201s after ${ReadBackWaitMs} ms`}: ${components.map((c) => `${c.sku} reserved ${c.reserved ?? '?'} / onHand ${c.onHand ?? '?'} (201s took ${c.held})`).join('; ')}. GET /v1/stock/${Pack}: kind ${packAfter.value?.kind ?? '404'}, available ${packViewAvailable ?? '?'} after ${packAfter.waitedMs} ms${packAfter.reached ? '' : ' ⚠ never 0'}; before the sale it ${packView.reached ? `showed ${units} after ${packView.waitedMs} ms` : `⚠ did not show ${units} within ${PackViewWaitMs} ms`}.`,
      `Refusals (409 by problem type; other statuses as status + type): plain ${JSON.stringify(Object.fromEntries([...plainT.refused, ...plainT.other]))}, pack ${JSON.stringify(Object.fromEntries([...packT.refused, ...packT.other]))}, singles ${JSON.stringify(Object.fromEntries(Components.map((c, n) => [c, Object.fromEntries([...(singleT[n]?.refused ?? []), ...(singleT[n]?.other ?? [])])])))}.`,
      `Warm-up first: ${warmCount} plain holds on ${WarmPlain} and ${warmCount} mixed holds on ${WarmPack} and its components; then the plain part, then the pack part.`,
    ],
  };
};
