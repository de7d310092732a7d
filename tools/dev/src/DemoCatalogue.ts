// The jerky line a new developer finds after `npm start` on an empty store: a handful of flavours
// and sizes, each with a catalogue entry and some stock in two locations (the brand's storeroom and a
// fulfilment partner) in two lots with best-before dates, two sales channels with their shelf-life
// terms, and a variety pack made of three of them — all created through the API itself.
export interface DemoSku {
  readonly sku: string;
  readonly name: string;
  /** Units received at the storeroom (`main`). */
  readonly stock: number;
  /** Units received at the fulfilment partner (`3pl`). */
  readonly stockAt3pl?: number;
  readonly lowStockThreshold: number;
  /** Days from today to the best-before of its older lot (default: `demoLots`' own). */
  readonly olderLotInDays?: number;
}

/**
 * Each flavour is received in two lots: the older (`A`, also all of the 3PL's units) and the newer
 * (`B`). Codes read `L<yymm of production>-<A|B>`; best-before dates 6 and 12 months ahead.
 */
export const demoLots = [
  { suffix: 'A', producedDaysAgo: 40, bestBeforeInDays: 183, shareAtMain: 0.4 },
  { suffix: 'B', producedDaysAgo: 7, bestBeforeInDays: 365, shareAtMain: 0.6 },
] as const;

/** The USDA establishment number printed on every pack. */
export const demoEstablishment = 'EST. 12345';

/** The lot code of a production date (`YYYY-MM-DD`): `L2611-A` for lot A made in November 2026. */
export const demoLotCode = (producedOn: string, suffix: string) => `L${producedOn.slice(2, 4)}${producedOn.slice(5, 7)}-${suffix}`;

/** The web shop ships fresh stock; retail partners need three months on the shelf after their handling. */
export const demoChannels = [
  { id: 'web', name: 'Web shop', minShelfLifeDays: 30, handlingDays: 2 },
  { id: 'retail', name: 'Retail partners', minShelfLifeDays: 90, handlingDays: 5 },
] as const;

/** Per flavour: `stock.v1.lot.expiring` 60 days before best-before, out of sale 14 days before. */
export const demoLotPolicy = { alertDays: 60, removalDays: 14 } as const;

/** The demo's stock locations: the storeroom is filled first, the partner when it cannot fill a line. */
export const demoLocations = [
  { id: 'main', name: 'Brand storeroom', priority: 10 },
  { id: '3pl', name: 'Fulfilment partner (3PL)', priority: 5 },
] as const;

/** A pack has no stock of its own: holding one holds one of each flavour. */
export const demoPack = {
  sku: 'JERKY-VARIETY-3X50G',
  name: 'Variety pack, 3 × 50 g (original, teriyaki, ghost pepper)',
  components: [
    { sku: 'JERKY-ORIGINAL-50G', qty: 1 },
    { sku: 'JERKY-TERIYAKI-50G', qty: 1 },
    { sku: 'JERKY-GHOST-PEPPER-50G', qty: 1 },
  ],
} as const;

export const demoCatalogue: ReadonlyArray<DemoSku> = [
  { sku: 'JERKY-ORIGINAL-50G', name: 'Original beef jerky, 50 g', stock: 200, stockAt3pl: 300, lowStockThreshold: 50 },
  { sku: 'JERKY-ORIGINAL-100G', name: 'Original beef jerky, 100 g', stock: 300, lowStockThreshold: 30 },
  { sku: 'JERKY-TERIYAKI-50G', name: 'Teriyaki beef jerky, 50 g', stock: 150, stockAt3pl: 250, lowStockThreshold: 40 },
  { sku: 'JERKY-TERIYAKI-100G', name: 'Teriyaki beef jerky, 100 g', stock: 250, lowStockThreshold: 25 },
  // Its older lot has under 95 days left: sellable on the web, not to retail partners (90 + 5 days).
  { sku: 'JERKY-PEPPERED-50G', name: 'Black pepper beef jerky, 50 g', stock: 350, lowStockThreshold: 35, olderLotInDays: 80 },
  { sku: 'JERKY-CHILI-LIME-50G', name: 'Chili lime beef jerky, 50 g', stock: 200, lowStockThreshold: 20 },
  { sku: 'JERKY-GHOST-PEPPER-50G', name: 'Ghost pepper beef jerky, 50 g (limited batch)', stock: 300, lowStockThreshold: 30 },
];

/** The demo drop each `npm start` defines: opens a minute after start, for half an hour, 2 per customer. */
export const demoDrop = {
  sku: 'JERKY-GHOST-PEPPER-50G',
  allocation: 50,
  limitPerCustomer: 2,
  opensInMs: 60_000,
  openForMs: 30 * 60_000,
} as const;
