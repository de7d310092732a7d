// What `npm run demo:month` simulates: three jerky SKUs with their replenishment policies, how much each
// sells a day, and when stock arrives — so Ghost pepper is sold out for about three days mid-month,
// Teriyaki ends low and Original ends with plenty.

export interface Delivery {
  /** Day of the month (0 = the first simulated day), delivered at 06:00 UTC before the day's orders. */
  readonly day: number;
  readonly qty: number;
  /** Days from production to best-before (the shelf-life cap of the suggestion comes from the latest lot). */
  readonly bestBeforeDays: number;
}

export interface MonthSku {
  readonly sku: string;
  readonly name: string;
  /** In the lot codes: `L<yymmdd>-<suffix>`. */
  readonly suffix: string;
  readonly replenishment: { readonly leadTimeDays: number; readonly serviceLevel: number; readonly reviewDays: number };
  /** Mean units a weekday; weekends sell `weekendFactor` times more. */
  readonly meanPerDay: number;
  readonly deliveries: ReadonlyArray<Delivery>;
  /** The poll's answer that names this SKU. */
  readonly pollAnswer: string;
}

export const monthDays = 30;
export const weekendFactor = 1.3;
/** Share of the customers refused for want of stock who ask to be told when it is back. */
export const notifyShare = 0.5;
/** The channel whose shelf-life terms cap the suggestions (DESIGN.md §10 "Lots and shelf life"). */
export const retailChannel = { id: 'retail', name: 'Retail partners', minShelfLifeDays: 30, handlingDays: 2 } as const;
export const establishment = 'EST. 12345';

export const monthSkus: ReadonlyArray<MonthSku> = [
  {
    sku: 'JERKY-ORIGINAL-50G',
    name: 'Original beef jerky 50 g',
    suffix: 'ORI',
    replenishment: { leadTimeDays: 14, serviceLevel: 0.95, reviewDays: 7 },
    meanPerDay: 40,
    deliveries: [
      { day: 0, qty: 1400, bestBeforeDays: 180 },
      { day: 14, qty: 900, bestBeforeDays: 180 },
    ],
    pollAnswer: 'original',
  },
  {
    sku: 'JERKY-TERIYAKI-50G',
    name: 'Teriyaki beef jerky 50 g',
    suffix: 'TER',
    replenishment: { leadTimeDays: 10, serviceLevel: 0.95, reviewDays: 7 },
    meanPerDay: 25,
    deliveries: [
      { day: 0, qty: 520, bestBeforeDays: 180 },
      { day: 16, qty: 460, bestBeforeDays: 180 },
    ],
    pollAnswer: 'teriyaki',
  },
  {
    sku: 'JERKY-GHOST-50G',
    name: 'Ghost pepper beef jerky 50 g',
    suffix: 'GHO',
    replenishment: { leadTimeDays: 21, serviceLevel: 0.9, reviewDays: 7 },
    meanPerDay: 10,
    // The second lot is short-dated: 60 days, less the retail channel's 32, leave 28 days to sell it.
    deliveries: [
      { day: 0, qty: 140, bestBeforeDays: 180 },
      { day: 14, qty: 300, bestBeforeDays: 60 },
    ],
    pollAnswer: 'ghost-pepper',
  },
];

/** The flavour poll: posted signed on `pollDay`, each respondent's answer drawn with these weights. */
export const flavourPoll = {
  pollId: 'flavours-month',
  questionId: 'next-flavour',
  day: 20,
  respondents: 180,
  // `smoked-salmon` has no SKU: it stays among the poll's unmapped answers.
  weights: [
    { answerId: 'ghost-pepper', weight: 0.45 },
    { answerId: 'teriyaki', weight: 0.25 },
    { answerId: 'original', weight: 0.2 },
    { answerId: 'smoked-salmon', weight: 0.1 },
  ],
} as const;
