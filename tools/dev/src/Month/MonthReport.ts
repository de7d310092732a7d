// The markdown report of `npm run demo:month`: the month's totals per SKU, then the restock suggestions
// the API answers for each SKU and location at the end of it.
import type { SuggestionItem } from './MonthAnswers.js';
import type { MonthRun } from './ReplayMonth.js';

export interface NotifyCounts {
  readonly waiting: number;
  readonly notified: number;
}

export interface ReportInput {
  readonly seed: number;
  readonly run: MonthRun;
  readonly notify: ReadonlyMap<string, NotifyCounts>;
  readonly today: string;
  readonly items: ReadonlyArray<SuggestionItem>;
}

const fixed = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));

export const monthReport = ({ seed, run, notify, today, items }: ReportInput): string => {
  const lines = [
    `## A simulated month of demand (seed ${seed})`,
    '',
    `Orders replayed ${run.from} … ${run.to} (UTC) on the API's simulated clock; suggestions read on ${today}.`,
    '',
    '| SKU | orders | sold | days sold out | lost demand (units / refused holds) | notify-me asked | waiting now | notified |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...run.skus.map((s) => {
      const n = notify.get(s.sku) ?? { waiting: 0, notified: 0 };
      return `| ${s.sku} | ${s.orders} | ${s.sold} | ${s.soldOutDays} | ${s.lostUnits} / ${s.refusals} | ${s.notifyAsked} | ${n.waiting} | ${n.notified} |`;
    }),
    '',
    `### GET /v1/restock-suggestions (${today})`,
    '',
    '| SKU | location | velocity/day | σ | available | days of cover | reorder point | replenish by | status | suggested qty | shelf-life cap | notify-me waiting | poll votes | lost demand (units / refusals / days) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...items.map(
      (i) =>
        `| ${i.sku} | ${i.location} | ${fixed(i.dailyDemand)} | ${fixed(i.sigma)} | ${i.available} | ${fixed(i.daysOfCover)} | ${fixed(i.reorderPoint, 0)} | ${i.replenishBy ?? '—'} | ${i.status} | ${i.suggestedQuantity}${i.cappedBy === 'shelfLife' ? ` (uncapped ${i.uncappedQuantity})` : ''} | ${i.shelfLifeCap === null ? '—' : `${i.shelfLifeCap} (${i.policy.shelfLifeDays ?? '—'} days)`} | ${i.signals.notifyWaiting} | ${i.signals.pollVotes} | ${i.signals.lostDemand.units} / ${i.signals.lostDemand.refusals} / ${i.signals.lostDemand.days} |`,
    ),
    '',
    ...items.map(
      (i) =>
        `- ${i.sku}: lead time ${i.policy.leadTimeDays} d, review ${i.policy.reviewDays} d, service ${i.policy.serviceLevel} (z ${fixed(i.policy.z, 2)}); ${i.explain.daysUsed} days used, ${i.explain.soldOutDaysLeftOut} left out (sold out or not on sale), ${i.explain.dropDaysCounted} sold-out days counted as sold + refused (${i.explain.lostDemandUnits} units)`,
    ),
    '',
  ];
  return lines.join('\n');
};
