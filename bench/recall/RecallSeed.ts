// The history a recall bench traces, put in through the real runner: every SKU's lots restocked at two
// locations, a few returns into lots and adjustments of lots, then the committed lines — most as
// RecordSale commands published to INV_CMD (the API's 202 path for orders), the rest as holds and
// commits on the request path (with customer, order and channel). Lots are taken first-expired-first-out.
import {
  Actor,
  CalendarDate,
  ChannelId,
  CommandId,
  CustomerId,
  Delta,
  EpochMillis,
  LocationId,
  LotCode,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  addDays,
  dayOf,
  type ChannelTerms,
  type Command,
  type LotInfo,
} from '@larder/domain';
import { encodeCommandMessage, type Names } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Either } from 'effect';
import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop } from '../actors/ClosedLoop.js';
import type { SendRequest } from '../actors/SendRequest.js';

export interface SeedPlan {
  readonly skus: ReadonlyArray<Sku>;
  /** Lots per SKU: `LOT-1`… (the same codes in every SKU: a trace must keep to its SKU). */
  readonly lots: ReadonlyArray<LotInfo>;
  readonly locations: ReadonlyArray<LocationId>;
  readonly unitsPerLot: number;
  /** Committed lines in all: sales, and every `holdEvery`-th a hold and its commit. */
  readonly lines: number;
  readonly holdEvery: number;
  /** Restockable returns into a lot, and single-unit adjustments of a lot (half out, half in). */
  readonly returns: number;
  readonly adjustments: number;
}

const actor = Actor.make('service:bench-recall');
const channels: ReadonlyArray<ChannelTerms> = [
  { channel: ChannelId.make('web'), minShelfLifeDays: 30, handlingDays: 2 },
  { channel: ChannelId.make('wholesale'), minShelfLifeDays: 60, handlingDays: 5 },
];

export const makePlan = (options: { readonly lines: number; readonly skus: number; readonly lots: number; readonly unitsPerLot: number; readonly run: string }): SeedPlan => {
  const today = dayOf(Date.now());
  return {
    skus: Array.from({ length: options.skus }, (_, i) => Sku.make(`BENCH-RECALL-${options.run}-${i}`)),
    lots: Array.from({ length: options.lots }, (_, n) => ({
      code: LotCode.make(`LOT-${n + 1}`),
      bestBefore: addDays(today, 200 + 30 * n),
      producedOn: CalendarDate.make(`2026-11-${String(n + 1).padStart(2, '0')}`),
      establishment: 'EST. 12345',
    })),
    locations: [LocationId.make('main'), LocationId.make('east')],
    unitsPerLot: options.unitsPerLot,
    lines: options.lines,
    holdEvery: 10,
    returns: Math.min(200, Math.ceil(options.lines / 500)),
    adjustments: Math.min(200, Math.ceil(options.lines / 500)),
  };
};

const envelope = (sku: Sku, id: string) => ({ commandId: CommandId.make(id), actor, now: EpochMillis.make(Date.now()), sku });
const pick = <A>(items: ReadonlyArray<A>, i: number): A => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/** Sends each command on the request path (`clients` at a time); any refusal or failure stops the seed. */
const sendAll = async (send: SendRequest, commands: ReadonlyArray<Command>, clients: number) => {
  let failure: string | null = null;
  const loop = runClosedLoop(commands.length, clients, async (i) => {
    const command = commands[i];
    if (command === undefined) return;
    const outcome = await send(command);
    if (Either.isLeft(outcome) || outcome.right._tag !== 'Accepted') {
      failure ??= `${command._tag} ${command.commandId}: ${JSON.stringify(Either.isLeft(outcome) ? outcome.left : outcome.right)}`;
      loop.stop();
    }
  });
  await loop.done;
  if (failure !== null) throw new Error(`seeding failed: ${failure}`);
};

/** 1–3, independent of the SKU (i mod 3) and the location (i mod 4). */
const qtyOf = (i: number) => (Math.floor(i / 3) % 3) + 1;

export interface Seeded {
  readonly seconds: number;
  readonly sales: number;
  readonly holds: number;
}

export const seedHistory = async (plan: SeedPlan, deps: { readonly send: SendRequest; readonly js: JetStreamClient; readonly jsm: JetStreamManager; readonly names: Names }): Promise<Seeded> => {
  const t0 = performance.now();
  const restocks = plan.skus.flatMap((sku) =>
    plan.locations.flatMap((location) =>
      plan.lots.map((lot): Command => ({ _tag: 'Restock', ...envelope(sku, `rc-restock-${sku}-${location}-${lot.code}`), location, qty: Quantity.make(plan.unitsPerLot), reference: Reference.make('po-bench'), lot })),
    ),
  );
  await sendAll(deps.send, restocks, 16);
  const returns = Array.from({ length: plan.returns }, (_, i): Command => ({
    _tag: 'ReceiveReturn',
    ...envelope(pick(plan.skus, i), `rc-return-${i}`),
    location: pick(plan.locations, i),
    orderId: OrderId.make(`rc-rma-${i}`),
    qty: Quantity.make(qtyOf(i)),
    restockable: i % 5 !== 0,
    reference: Reference.make(`rma-${i}`),
    lot: pick(plan.lots, i),
  }));
  const adjustments = Array.from({ length: plan.adjustments }, (_, i): Command => ({
    _tag: 'AdjustStock',
    ...envelope(pick(plan.skus, i + 1), `rc-adjust-${i}`),
    location: pick(plan.locations, i + 1),
    delta: Delta.make(i % 2 === 0 ? -qtyOf(i) : qtyOf(i)),
    reason: i % 2 === 0 ? 'damaged' : 'found',
    reference: Reference.make(`adj-${i}`),
    lot: pick(plan.lots, i).code,
  }));
  await sendAll(deps.send, [...returns, ...adjustments], 32);

  // The committed lines: every holdEvery-th a hold + commit on the request path, the rest sales on INV_CMD.
  const holdIndexes = Array.from({ length: plan.lines }, (_, i) => i).filter((i) => i % plan.holdEvery === 0);
  const holds = holdIndexes.flatMap((i): ReadonlyArray<Command> => {
    const sku = pick(plan.skus, i);
    const reservationId = ReservationId.make(`rc-hold-${i}`);
    return [
      {
        _tag: 'ReserveStock',
        ...envelope(sku, `rc-reserve-${i}`),
        location: pick(plan.locations, i >> 1),
        reservationId,
        qty: Quantity.make(qtyOf(i)),
        ttlSeconds: TtlSeconds.make(3_600),
        orderId: OrderId.make(`rc-order-${i}`),
        customerId: CustomerId.make(`rc-customer-${i % 997}`),
        channel: pick(channels, Math.floor(i / 10)),
      },
      { _tag: 'CommitReservation', ...envelope(sku, `rc-commit-${i}`), reservationId },
    ];
  });
  let failure: string | null = null;
  const saleIndexes = Array.from({ length: plan.lines }, (_, i) => i).filter((i) => i % plan.holdEvery !== 0);
  const sales = runClosedLoop(saleIndexes.length, 64, async (k) => {
    const i = saleIndexes[k] ?? 0;
    const sku = pick(plan.skus, i);
    const command: Command = {
      _tag: 'RecordSale',
      ...envelope(sku, `rc-sale-${i}`),
      location: pick(plan.locations, i >> 1),
      orderId: OrderId.make(`rc-order-${i}`),
      qty: Quantity.make(qtyOf(i)),
      ...(i % 4 === 1 ? {} : { channel: pick(channels, i >> 2) }),
    };
    try {
      await deps.js.publish(deps.names.commands.subject(sku), encodeCommandMessage({ v: 1, command }), { msgID: command.commandId });
    } catch (error) {
      failure ??= `publishing to INV_CMD failed: ${String(error)}`;
      sales.stop();
    }
  });
  // A hold and its commit in order, pairs side by side.
  const pairs = runClosedLoop(holdIndexes.length, 64, async (k) => {
    for (const command of holds.slice(2 * k, 2 * k + 2)) await sendAll(deps.send, [command], 1);
  });
  await Promise.all([sales.done, pairs.done]);
  if (failure !== null) throw new Error(failure);
  // Every sale applied: the work-queue stream is empty once the runner acked them (after the journal append).
  for (let left = 1; left > 0; ) {
    left = (await deps.jsm.streams.info(deps.names.commands.stream)).state.messages;
    if (left > 0) await sleep(50);
  }
  return { seconds: Math.round((performance.now() - t0) / 10) / 100, sales: saleIndexes.length, holds: holdIndexes.length };
};
