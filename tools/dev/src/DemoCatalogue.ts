// The jerky line a new developer finds after `npm start` on an empty store: a handful of flavours
// and sizes, each with a catalogue entry and some stock, created through the API itself.
export interface DemoSku {
  readonly sku: string;
  readonly name: string;
  readonly stock: number;
  readonly lowStockThreshold: number;
}

export const demoCatalogue: ReadonlyArray<DemoSku> = [
  { sku: 'JERKY-ORIGINAL-50G', name: 'Original beef jerky, 50 g', stock: 500, lowStockThreshold: 50 },
  { sku: 'JERKY-ORIGINAL-100G', name: 'Original beef jerky, 100 g', stock: 300, lowStockThreshold: 30 },
  { sku: 'JERKY-TERIYAKI-50G', name: 'Teriyaki beef jerky, 50 g', stock: 400, lowStockThreshold: 40 },
  { sku: 'JERKY-TERIYAKI-100G', name: 'Teriyaki beef jerky, 100 g', stock: 250, lowStockThreshold: 25 },
  { sku: 'JERKY-PEPPERED-50G', name: 'Black pepper beef jerky, 50 g', stock: 350, lowStockThreshold: 35 },
  { sku: 'JERKY-CHILI-LIME-50G', name: 'Chili lime beef jerky, 50 g', stock: 200, lowStockThreshold: 20 },
  { sku: 'JERKY-VARIETY-3X50G', name: 'Variety pack, 3 × 50 g', stock: 120, lowStockThreshold: 15 },
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
