// The jerky line a new developer finds after `npm start` on an empty store: a handful of flavours
// and sizes, each with a catalogue entry and some stock in two locations (the brand's storeroom and a
// fulfilment partner), and a variety pack made of three of them — all created through the API itself.
export interface DemoSku {
  readonly sku: string;
  readonly name: string;
  /** Units received at the storeroom (`main`). */
  readonly stock: number;
  /** Units received at the fulfilment partner (`3pl`). */
  readonly stockAt3pl?: number;
  readonly lowStockThreshold: number;
}

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
  { sku: 'JERKY-PEPPERED-50G', name: 'Black pepper beef jerky, 50 g', stock: 350, lowStockThreshold: 35 },
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
