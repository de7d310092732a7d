// The month itself, through the HTTP API as a brand's shop would: the catalogue and its policies, the
// deliveries with their lots, each day's orders (a sale while there is stock; otherwise a hold refused
// for want of stock — lost demand — and, for some customers, a notify-me request), and a signed poll.
import { createHmac } from 'node:crypto';
import { expectStatus, type MonthClient } from './MonthClient.js';
import { decodeAvailable, decodeProblemType } from './MonthAnswers.js';
import { flavourPoll, monthDays, monthSkus, notifyShare, retailChannel, weekendFactor, establishment, type MonthSku } from './MonthPlan.js';
import { between, type Random } from './Mulberry32.js';
import type { SimClock } from './SimClock.js';

export const DayMs = 86_400_000;
const HourMs = 3_600_000;

export interface SkuMonth {
  readonly sku: string;
  orders: number;
  sold: number;
  refusals: number;
  lostUnits: number;
  /** Days with at least one order refused for want of stock. */
  soldOutDays: number;
  notifyAsked: number;
  /** Holds that were granted when the shop expected a refusal (released at once). */
  holdsGranted: number;
}

export interface MonthRun {
  readonly from: string;
  readonly to: string;
  readonly skus: ReadonlyArray<SkuMonth>;
  /** Units on hand at the end, per SKU, as the shop counted them (every order and delivery applied). */
  readonly onHand: ReadonlyMap<string, number>;
}

export interface ReplayDeps {
  readonly client: MonthClient;
  readonly clock: SimClock;
  readonly random: Random;
  readonly pollSecret: string;
  /** 00:00 UTC of the first simulated day. */
  readonly startMs: number;
  readonly log: (line: string) => void;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The order times and sizes of one SKU on one day: noisy around its mean, 1–3 units each, 06:00–23:00. */
const ordersOf = (random: Random, item: MonthSku, weekend: boolean) => {
  const meanUnits = item.meanPerDay * (weekend ? weekendFactor : 1) * (0.7 + 0.6 * random());
  const orders: Array<{ at: number; sku: string; qty: number }> = [];
  for (let units = 0; units < meanUnits; ) {
    const qty = between(random, 1, 3);
    orders.push({ at: 6 * HourMs + Math.floor(random() * 17 * HourMs), sku: item.sku, qty });
    units += qty;
  }
  return orders;
};

export const replayMonth = async (deps: ReplayDeps): Promise<MonthRun> => {
  const { client, clock, random, log } = deps;
  const totals = new Map(monthSkus.map((s) => [s.sku, { sku: s.sku, orders: 0, sold: 0, refusals: 0, lostUnits: 0, soldOutDays: 0, notifyAsked: 0, holdsGranted: 0 }]));
  const onHand = new Map(monthSkus.map((s) => [s.sku, 0]));
  const totalOf = (sku: string) => {
    const total = totals.get(sku);
    if (total === undefined) throw new Error(`${sku} is not in the plan`);
    return total;
  };
  const expected = (sku: string) => onHand.get(sku) ?? 0;
  // 404 until the SKU's first delivery is applied: nothing available yet.
  const available = async (sku: string) => {
    const read = expectStatus(`reading ${sku}`, await client.get(`/v1/stock/${sku}`), 200, 404);
    return read.status === 404 ? 0 : decodeAvailable(read.body).available;
  };
  /** Waits until the stock view shows every order and delivery sent so far (commands are applied asynchronously). */
  const settle = async (sku: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const seen = await available(sku);
      if (seen === expected(sku)) return seen;
      if (Date.now() > deadline) throw new Error(`${sku}: the stock view shows ${seen} available, ${expected(sku)} expected`);
      await new Promise((done) => setTimeout(done, 20));
    }
  };

  clock.set(deps.startMs);
  const channel = await client.put(`/v1/channels/${retailChannel.id}`, { name: retailChannel.name, minShelfLifeDays: retailChannel.minShelfLifeDays, handlingDays: retailChannel.handlingDays });
  expectStatus('registering the retail channel', channel, 200, 201);
  for (const item of monthSkus) {
    expectStatus(`defining ${item.sku}`, await client.put(`/v1/skus/${item.sku}`, { name: item.name, replenishment: item.replenishment }), 200, 201);
  }
  const mapping = Object.fromEntries(flavourPoll.weights.map((w) => [w.answerId, monthSkus.filter((s) => s.pollAnswer === w.answerId).map((s) => s.sku)]));
  expectStatus('mapping the poll', await client.put(`/v1/signals/polls/${flavourPoll.pollId}/mapping`, { answers: { [flavourPoll.questionId]: mapping } }), 200, 201);

  let orderNo = 0;
  for (let day = 0; day < monthDays; day++) {
    const dayStart = deps.startMs + day * DayMs;
    const date = isoDay(dayStart);
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // Deliveries at 05:00, before the day's first order.
    for (const item of monthSkus) {
      for (const delivery of item.deliveries.filter((d) => d.day === day)) {
        clock.set(dayStart + 5 * HourMs);
        const lot = { code: `L${date.slice(2).replaceAll('-', '')}-${item.suffix}`, producedOn: date, bestBefore: isoDay(dayStart + delivery.bestBeforeDays * DayMs), establishment };
        expectStatus(`restocking ${item.sku}`, await client.post('/v1/restocks', { sku: item.sku, qty: delivery.qty, reference: `demo-month delivery ${date}`, lot }), 202);
        onHand.set(item.sku, expected(item.sku) + delivery.qty);
        await settle(item.sku);
      }
    }
    const orders = monthSkus.flatMap((item) => ordersOf(random, item, weekend)).sort((a, b) => a.at - b.at);
    const refusedToday = new Set<string>();
    let soldToday = 0;
    let refusedOrdersToday = 0;
    for (const order of orders) {
      clock.set(dayStart + order.at);
      const total = totalOf(order.sku);
      total.orders++;
      orderNo++;
      const customerId = `cus-${between(random, 1, 4000)}`;
      const wantsNotify = random() < notifyShare;
      // The stock read may trail an order sent a moment ago: the shop's own count is the other bound.
      const have = Math.min(await available(order.sku), expected(order.sku));
      if (have >= order.qty) {
        const sale = await client.post('/v1/orders', { orderId: `month-${orderNo}`, lines: [{ sku: order.sku, qty: order.qty }] });
        expectStatus(`ordering ${order.qty} × ${order.sku}`, sale, 202);
        onHand.set(order.sku, expected(order.sku) - order.qty);
        total.sold += order.qty;
        soldToday += order.qty;
        continue;
      }
      // Out of stock: the storefront's hold is refused (lost demand); the view first catches up so the refusal is real.
      await settle(order.sku);
      const hold = await client.post('/v1/reservations', { reservationId: `hold-${orderNo}`, customerId, lines: [{ sku: order.sku, qty: order.qty }] });
      if (hold.status === 201) {
        total.holdsGranted++;
        log(`  ! a hold of ${order.qty} × ${order.sku} was granted with ${expected(order.sku)} expected available; released`);
        expectStatus('releasing an unexpected hold', await client.post(`/v1/reservations/hold-${orderNo}/release`, {}), 200);
        continue;
      }
      expectStatus(`holding ${order.qty} × ${order.sku}`, hold, 409);
      const type = decodeProblemType(hold.body).type;
      if (!type.endsWith('insufficient-stock')) throw new Error(`a hold of ${order.sku} was refused with ${type}, not insufficient-stock`);
      total.refusals++;
      total.lostUnits += order.qty;
      refusedOrdersToday++;
      refusedToday.add(order.sku);
      if (wantsNotify) {
        expectStatus(`notify-me for ${order.sku}`, await client.post(`/v1/skus/${order.sku}/notify-requests`, { customerId }), 200, 201);
        total.notifyAsked++;
      }
    }
    for (const sku of refusedToday) totalOf(sku).soldOutDays++;
    if (day === flavourPoll.day) await postPoll(deps, dayStart + 12 * HourMs);
    const left: Array<string> = [];
    for (const item of monthSkus) left.push(`${item.suffix} ${String(await settle(item.sku)).padStart(4)}`);
    const dayName = new Date(dayStart).toUTCString().slice(0, 3);
    log(`${date} ${dayName}  orders ${String(orders.length).padStart(3)}  sold ${String(soldToday).padStart(3)}  refused ${String(refusedOrdersToday).padStart(2)}  left ${left.join(' · ')}`);
  }
  return { from: isoDay(deps.startMs), to: isoDay(deps.startMs + (monthDays - 1) * DayMs), skus: [...totals.values()], onHand };
};

/** The flavour poll's answers, posted as one signed batch (docs/demand-signals.md, "Sending answers"). */
const postPoll = async (deps: ReplayDeps, atMs: number) => {
  deps.clock.set(atMs);
  const answers = Array.from({ length: flavourPoll.respondents }, (_, i) => {
    let pick = deps.random();
    const answer = flavourPoll.weights.find((w) => (pick -= w.weight) < 0) ?? flavourPoll.weights[0];
    return { pollId: flavourPoll.pollId, questionId: flavourPoll.questionId, answerId: answer.answerId, respondentId: `r-${i + 1}`, at: new Date(atMs - i * 60_000).toISOString() };
  });
  const raw = JSON.stringify({ answers });
  const signature = `sha256=${createHmac('sha256', deps.pollSecret).update(raw).digest('hex')}`;
  const posted = await deps.client.postRaw('/v1/signals/polls', raw, { 'content-type': 'application/json', 'x-larder-signature': signature });
  expectStatus('posting the poll', posted, 200);
  deps.log(`  poll ${flavourPoll.pollId}: ${answers.length} answers posted, signed`);
};
