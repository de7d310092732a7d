// The operator console in a real browser (Chromium through playwright-core) against a real API, runner,
// NATS, Postgres and Redis: sign-in (a wrong key is refused, the admin key lands on the Stock page, a
// page asked for signed out sends to the sign-in form), a catalogue row that follows a hold made through
// the API live, a stocktake and a lot quarantine made from the pages and seen by the API, a recall
// trace's CSV downloaded from the back office, and every page free of serious accessibility violations
// (axe-core) and of JavaScript errors, each saved as a full-page screenshot in test-artefacts/console.
import { AxeBuilder } from '@axe-core/playwright';
import { nuid } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { Schema } from 'effect';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

// The few browser names the functions run inside a page use (page.evaluate, waitForFunction): this
// project's TypeScript has no DOM library, and these declarations stay in this module.
interface DomElement {
  readonly textContent: string | null;
  querySelector(selector: string): DomElement | null;
  closest(selector: string): DomElement | null;
}
declare const document: { readonly body: DomElement & { readonly dataset: Record<string, string | undefined> }; querySelector(selector: string): DomElement | null };
declare const CSS: { escape(text: string): string };
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: DomElement, options: { readonly subtree: boolean; readonly childList: boolean; readonly characterData: boolean }): void;
  disconnect(): void;
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artefacts = fileURLToPath(new URL('../../test-artefacts/console/', import.meta.url));

let f: SystemFixture;
let browser: Browser | undefined;
const contexts: Array<BrowserContext> = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: these tests need a real browser. Install it with \`apt-get install chromium\` (Debian), or set CHROMIUM_PATH to one.`);
  }
  mkdirSync(artefacts, { recursive: true });
  // Both at once (the fixture starts a runner process); whichever started is closed by afterAll.
  const [system, launched] = await Promise.allSettled([
    makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } }),
    chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] }),
  ]);
  if (launched.status === 'fulfilled') browser = launched.value;
  if (system.status === 'fulfilled') f = system.value;
  if (launched.status === 'rejected') throw new Error(`Chromium at ${chromiumPath} did not start (is it installed? \`apt-get install chromium\`): ${String(launched.reason)}`);
  if (system.status === 'rejected') throw system.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  await f?.cleanup();
}, 60_000);

// ---------------------------------------------------------------------------------------------------
// Every page's JavaScript errors, uncaught exceptions and console errors, from every context.

interface PageProblem {
  /** The page that reported it (null: none known, then it counts against every page). */
  readonly page: Page | null;
  readonly at: string;
  readonly text: string;
}
const problems: Array<PageProblem> = [];
/** Paths a test provokes a 4xx on purpose: the browser's "Failed to load resource" for them is expected. */
const provoked = new Set<string>();

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

const newContext = async () => {
  if (browser === undefined) throw new Error('no browser (see beforeAll)');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  context.on('weberror', (e) => problems.push({ page: e.page(), at: e.page()?.url() ?? '?', text: `uncaught: ${e.error().message}` }));
  context.on('console', (m) => {
    if (m.type() !== 'error') return;
    const at = m.location().url;
    if (/status of 4\d\d/.test(m.text()) && provoked.has(pathOf(at))) return;
    // No page declares an icon, so Chromium asks for /favicon.ico on its own and logs its 404: not a page's error.
    if (pathOf(at) === '/favicon.ico') return;
    problems.push({ page: m.page(), at: `${m.page()?.url() ?? '?'} (${at})`, text: m.text() });
  });
  return context;
};

/** Every error these pages (or no known page) reported, forgotten once taken. */
const takePageErrors = (...pages: ReadonlyArray<Page>) => {
  const mine = (p: PageProblem) => p.page === null || pages.includes(p.page);
  const seen = problems.filter(mine);
  problems.splice(0, problems.length, ...problems.filter((p) => !mine(p)));
  return seen.map(({ at, text }) => ({ at, text }));
};
/** Fails the test with every error these pages reported. */
const expectNoPageErrors = (...pages: ReadonlyArray<Page>) => expect(takePageErrors(...pages), 'JavaScript errors or console errors on the console pages').toEqual([]);

// ---------------------------------------------------------------------------------------------------
// Signing in through the form, and the signed-in admin's pages.

const url = (path: string) => `${f.api.url}${path}`;

const signIn = async (page: Page, credential: string) => {
  await page.locator('#credential').fill(credential);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => pathOf(r.url()) === '/console/login' && r.request().method() === 'POST'),
    page.locator('form[action="/console/login"] button[type=submit]').click(),
  ]);
  return answer;
};

/** The context signed in with the admin key (through the form), made once even when pages ask at once. */
let adminContext: Promise<BrowserContext> | undefined;
const signedInAsAdmin = async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(url('/console/login'));
  expect((await signIn(page, f.keys.admin)).status()).toBe(303);
  await page.waitForURL((u) => u.pathname === '/console');
  await page.close();
  expectNoPageErrors(page);
  return context;
};
/** A new page of the admin's context. */
const adminPage = async () => {
  adminContext ??= signedInAsAdmin();
  return (await adminContext).newPage();
};

// ---------------------------------------------------------------------------------------------------
// Stock put in place through the API.

const LotLevels = Schema.Struct({ code: Schema.String, onHand: Schema.Int, status: Schema.String });
const Stock = Schema.Struct({
  onHand: Schema.Int,
  reserved: Schema.Int,
  available: Schema.Int,
  locations: Schema.Array(Schema.Struct({ location: Schema.String, lots: Schema.Array(LotLevels) })),
});
type Stock = typeof Stock.Type;
const Held = Schema.Struct({ reservationId: Schema.String });
const Traced = Schema.Struct({ lines: Schema.Array(Schema.Unknown) });
const Ledger = Schema.Struct({
  entries: Schema.Array(Schema.Struct({ type: Schema.String, details: Schema.Struct({ lot: Schema.optional(Schema.Unknown), note: Schema.optional(Schema.String) }) })),
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const defineSku = async (sku: string, name: string) => {
  const answer = await f.api.put(`/v1/skus/${sku}`, { name }, { key: f.keys.write });
  expect(answer.status, answer.text).toBe(201);
};
const restock = async (sku: string, qty: number, lot?: { code: string; bestBefore: string }) => {
  const answer = await f.api.post('/v1/restocks', { sku, qty, reference: `po-${nuid.next().slice(-6)}`, location: 'main', ...(lot === undefined ? {} : { lot }) }, { key: f.keys.write });
  expect(answer.status, answer.text).toBe(202);
};
const hold = async (sku: string, qty: number, extra: Record<string, unknown> = {}) => {
  const answer = await f.api.post('/v1/reservations', { ...extra, lines: [{ sku, qty }] }, { key: f.keys.reserve });
  expect(answer.status, answer.text).toBe(201);
  return decodeBody(Held, answer).reservationId;
};

const stockWhen = (sku: string, predicate: (s: Stock) => boolean): Promise<Stock> => f.waitForStockAs(Stock, sku, predicate);

/** Polls an API read until `predicate` holds on its answer's text (projections follow within moments). */
const readWhen = async (path: string, predicate: (text: string) => boolean) => {
  const deadline = Date.now() + 20_000;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const answer = await f.api.get(path);
    if (answer.status === 200 && predicate(answer.text)) return answer;
    last = `${answer.status} ${answer.text.slice(0, 500)}`;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`GET ${path} never satisfied the predicate; last answer: ${last}`);
};

/** A SKU in the catalogue with `qty` units at main, in one lot when `lot` is given; resolves once the view has them. */
const stocked = async (label: string, qty: number, lot?: string) => {
  const sku = uniqueSku(label);
  await defineSku(sku, `${label.toLowerCase()} test item`);
  await restock(sku, qty, lot === undefined ? undefined : { code: lot, bestBefore: day(120) });
  await f.waitForStock(sku, (v) => v.onHand === qty);
  return sku;
};

/** The text of a cell of a Stock page row. */
const cell = (page: Page, sku: string, field: string) => page.locator(`tr[data-sku="${sku}"] td[data-field="${field}"]`);

// ---------------------------------------------------------------------------------------------------

describe('signing in', () => {
  it('a page asked for signed out sends to the form; a wrong key is refused (401) with the reason; the admin key lands on Stock, signed in', async () => {
    // Without a session, every page is a 303 to the form, naming the page to come back to.
    const plain = await fetch(url('/console/back-office'), { redirect: 'manual' });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fback-office');

    const context = await newContext();
    const page = await context.newPage();
    await page.goto(url('/console'));
    expect(page.url()).toBe(url('/console/login?next=%2Fconsole'));
    await expect(page.locator('#credential').isVisible()).resolves.toBe(true);

    // A wrong key: 401, the form again with the problem, no session.
    provoked.add('/console/login');
    const refused = await signIn(page, 'lk_test-admin_not-the-key');
    expect(refused.status()).toBe(401);
    const alert = page.locator('[role=alert]');
    await alert.waitFor({ timeout: 5_000 });
    expect((await alert.textContent())?.trim()).not.toBe('');
    expect(await context.cookies()).toEqual([]);

    // The admin key: an HttpOnly session cookie, then Stock with who is signed in.
    const accepted = await signIn(page, f.keys.admin);
    expect(accepted.status()).toBe(303);
    await page.waitForURL((u) => u.pathname === '/console');
    await page.locator('h1', { hasText: 'Stock' }).waitFor();
    expect(await page.locator('.who span').textContent()).toBe('apikey:test-admin');
    expect(await page.locator('body').getAttribute('data-actor')).toBe('apikey:test-admin');
    const cookies = await context.cookies();
    expect(cookies.length).toBe(1);
    expect(cookies[0]?.httpOnly).toBe(true);
    expectNoPageErrors(page);
  }, 30_000);
});

describe('the Stock page', () => {
  it('a searched SKU’s row follows a hold made through the API live: reserved 3, available 3 fewer', async () => {
    const sku = await stocked('CONSOLE-LIVE', 10);
    const page = await adminPage();
    await page.goto(url('/console'));
    await page.locator('#q').fill(sku);
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('.live.on').waitFor({ timeout: 10_000 });
    await cell(page, sku, 'available').filter({ hasText: /^10$/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await cell(page, sku, 'reserved').textContent()).toBe('0');

    // The moment the row shows the hold, taken in the page itself (a MutationObserver: no polling delay).
    await page.evaluate((s) => {
      const shows = () => {
        const row = document.querySelector(`tr[data-sku="${CSS.escape(s)}"]`);
        return row?.querySelector('td[data-field="reserved"]')?.textContent === '3' && row.querySelector('td[data-field="available"]')?.textContent === '7';
      };
      const observer = new MutationObserver(() => {
        if (document.body.dataset.rowChangedAt === undefined && shows()) {
          document.body.dataset.rowChangedAt = String(performance.timeOrigin + performance.now());
          observer.disconnect();
        }
      });
      observer.observe(document.querySelector('main') ?? document.body, { subtree: true, childList: true, characterData: true });
    }, sku);

    const sent = Date.now();
    await hold(sku, 3);
    const answered = Date.now();
    const changed = await page.waitForFunction(() => Number(document.body.dataset.rowChangedAt ?? 'NaN') || false, undefined, { timeout: 10_000 });
    const changedAt = await changed.jsonValue();
    if (changedAt === false) throw new Error('the row never showed the hold');
    console.log(`hold → Stock row: ${Math.round(changedAt - answered)} ms after the 201 (${Math.round(changedAt - sent)} ms after the request was sent)`);

    expect(await cell(page, sku, 'reserved').textContent()).toBe('3');
    expect(await cell(page, sku, 'available').textContent()).toBe('7');
    expect(await cell(page, sku, 'onHand').textContent()).toBe('10');
    expect(await page.locator('.live.on').count()).toBe(1);
    await page.close();
    expectNoPageErrors(page);
  }, 40_000);
});

describe('the back office', () => {
  it('a stocktake says counted, expected and the difference, and the API’s on hand is the count', async () => {
    const sku = await stocked('CONSOLE-COUNT', 10);
    const page = await adminPage();
    await page.goto(url('/console/back-office'));
    const form = page.locator('#stocktake');
    await form.locator('[name=sku]').fill(sku);
    await form.locator('[name=counted]').fill('7');
    await form.locator('[name=reference]').fill('count sheet 12');
    await form.locator('button[type=submit]').click();
    const status = form.locator('[role=status]');
    await status.waitFor({ timeout: 10_000 });
    expect(await status.textContent()).toBe('Counted 7, expected 10: adjusted by -3.');
    expect(await form.locator('[role=alert]').count()).toBe(0);
    const view = await f.waitForStock(sku, (v) => v.onHand === 7);
    expect(view).toMatchObject({ onHand: 7, available: 7 });
    await page.close();
    expectNoPageErrors(page);
  }, 30_000);

  it('a recall trace by SKU and lot downloads a CSV with its header and the committed line', async () => {
    const lot = `RC-${nuid.next().slice(-6)}`;
    const sku = await stocked('CONSOLE-RECALL', 10, lot);
    const run = nuid.next().slice(-6);
    const reservationId = `rc-console-${run}`;
    const orderId = `order-console-${run}`;
    await hold(sku, 2, { reservationId, orderId, customerId: `cust-${run}` });
    const commit = await f.api.post(`/v1/reservations/${reservationId}/commit`, {}, { key: f.keys.reserve });
    expect(commit.status, commit.text).toBe(200);
    // The trace reads the ledger: wait until it has the line.
    await readWhen(`/v1/recalls/trace?sku=${sku}&lot=${lot}`, (text) => Schema.decodeUnknownSync(Schema.parseJson(Traced))(text).lines.length === 1);

    const page = await adminPage();
    await page.goto(url('/console/back-office'));
    const form = page.locator('#recall');
    await form.locator('[name=sku]').fill(sku);
    await form.locator('[name=lot]').fill(lot);
    await form.locator('button[type=submit]').click();
    await form.locator('[role=status]', { hasText: '1 committed line(s) over 1 lot(s)' }).waitFor({ timeout: 10_000 });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`recall-${lot}.csv`);
    const rows = Schema.decodeUnknownSync(Schema.Array(Schema.Array(Schema.String)))(parse(readFileSync(await download.path(), 'utf8')));
    expect(rows[0]).toEqual(['sku', 'lot', 'qty', 'orderId', 'reservationId', 'customerId', 'channel', 'location', 'committedAt', 'kind']);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(0, 8)).toEqual([sku, lot, '2', orderId, reservationId, `cust-${run}`, 'web', 'main']);
    await page.getByText(`Downloaded recall-${lot}.csv`).waitFor({ timeout: 5_000 });
    await page.close();
    expectNoPageErrors(page);
  }, 40_000);
});

describe('a SKU page', () => {
  it('quarantining a lot asks why, shows the lot quarantined live, and the API takes its units out of sale', async () => {
    const lot = `QL-${nuid.next().slice(-6)}`;
    const other = `OK-${nuid.next().slice(-6)}`;
    const sku = await stocked('CONSOLE-LOT', 12, lot);
    await restock(sku, 8, { code: other, bestBefore: day(200) });
    const before = await stockWhen(sku, (s) => s.onHand === 20);
    expect(before.available).toBe(20);

    const page = await adminPage();
    await page.goto(url(`/console/skus/${sku}`));
    await page.locator('.live.on').waitFor({ timeout: 10_000 });
    const row = page.locator(`tr[data-lot="${lot}"]`);
    await row.locator('.badge', { hasText: 'sellable' }).waitFor({ timeout: 10_000 });

    const asked: Array<string> = [];
    page.once('dialog', (dialog) => {
      asked.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.accept('lab result');
    });
    await row.getByRole('button', { name: 'Quarantine' }).click();
    await row.locator('.badge', { hasText: 'quarantined' }).waitFor({ timeout: 10_000 });
    expect(asked).toEqual([`prompt: Why quarantine lot ${lot}? (supplier notice, complaint, lab result…)`]);
    expect(await page.locator('p.notice[role=status]').textContent()).toBe(`Quarantined lot ${lot}: recorded.`);
    // The other lot stays on sale, and the page offers to release the quarantined one.
    expect(await page.locator(`tr[data-lot="${other}"] .badge`).textContent()).toBe('sellable');
    await row.getByRole('button', { name: 'Release' }).waitFor({ timeout: 5_000 });
    await page.locator('[data-figure="Available"]', { hasText: /^8$/ }).waitFor({ timeout: 10_000 });

    const after = await stockWhen(sku, (s) => s.available === before.available - 12);
    expect(after.locations.flatMap((l) => l.lots.filter((x) => x.code === lot).map((x) => x.status))).toEqual(['quarantined']);
    expect(after.onHand).toBe(20);
    // The reason typed into the prompt is the one the ledger keeps (the entry's note).
    await readWhen(`/v1/skus/${sku}/ledger?limit=50`, (text) =>
      Schema.decodeUnknownSync(Schema.parseJson(Ledger))(text).entries.some((e) => e.type === 'LotQuarantined' && e.details.lot === lot && e.details.note === 'lab result'),
    );
    await page.close();
    expectNoPageErrors(page);
  }, 40_000);
});

/** At most `n` at once (the page checks run concurrently, two at a time, on this 2-core machine). */
const limiter = (n: number) => {
  let free = n;
  const waiting: Array<() => void> = [];
  return async <A>(work: () => Promise<A>): Promise<A> => {
    if (free === 0) await new Promise<void>((go) => waiting.push(go));
    else free -= 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next === undefined) free += 1;
      else next();
    }
  };
};

describe('every page', () => {
  let sku = '';
  let lotSku = '';
  let dropId = '';
  beforeAll(async () => {
    const lot = `AX-${nuid.next().slice(-6)}`;
    [sku, lotSku] = await Promise.all([stocked('CONSOLE-AXE', 40), stocked('CONSOLE-AXE-LOT', 15, lot)]);
    await hold(lotSku, 2);
    dropId = `console-${nuid.next().slice(-8)}`;
    const now = Date.now();
    const drop = await f.api.put(`/v1/drops/${dropId}`, {
      name: 'Console test drop',
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 3_600_000).toISOString(),
      skus: [{ sku, allocation: 20, limitPerCustomer: 2 }],
    });
    expect(drop.status, drop.text).toBe(201);
    await f.waitForStock(sku, (v) => v.available === 20);
  }, 30_000);

  interface ThirdParty {
    /** The element whose content a third-party package renders (we write none of it). */
    readonly within: string;
    /** The rules its markup is known to break; every other rule still applies inside it. */
    readonly rules: ReadonlyArray<string>;
  }
  interface PageCase {
    readonly name: string;
    readonly path: () => string;
    /** Signed out (the sign-in form) or as the admin. */
    readonly signedOut?: boolean;
    /** What shows the page has its content (not only its shell). */
    readonly ready: (page: Page) => Promise<void>;
    readonly thirdParty?: ThirdParty;
  }

  const cases: ReadonlyArray<PageCase> = [
    { name: 'login', path: () => '/console/login', signedOut: true, ready: (p) => p.locator('#credential').waitFor() },
    {
      name: 'stock',
      // Both SKUs made for these pages.
      path: () => '/console?q=CONSOLE-AXE',
      ready: async (p) => {
        await p.locator('.live.on').waitFor({ timeout: 15_000 });
        await cell(p, sku, 'allocated').filter({ hasText: /^20$/ }).waitFor({ timeout: 15_000 });
      },
    },
    {
      name: 'sku',
      path: () => `/console/skus/${lotSku}`,
      ready: async (p) => {
        await p.locator('.live.on').waitFor({ timeout: 15_000 });
        await p.locator('tr[data-lot] .badge').first().waitFor({ timeout: 15_000 });
        await p.locator('[data-figure="Reserved"]', { hasText: /^2$/ }).waitFor({ timeout: 15_000 });
      },
    },
    { name: 'drops', path: () => '/console/drops', ready: (p) => p.locator(`a[href="/console/drops/${dropId}"]`).waitFor({ timeout: 15_000 }) },
    {
      name: 'drop',
      path: () => `/console/drops/${dropId}`,
      ready: async (p) => {
        await p.locator('.live.on').waitFor({ timeout: 15_000 });
        await p.locator('[data-figure="Remaining"]', { hasText: /^20$/ }).waitFor({ timeout: 15_000 });
        await p.locator('.uplot').waitFor({ timeout: 15_000 });
      },
    },
    { name: 'back-office', path: () => '/console/back-office', ready: (p) => p.locator('table[aria-label="Webhook endpoints"]').waitFor({ timeout: 15_000 }) },
    { name: 'operations', path: () => '/console/operations', ready: (p) => p.getByText('every shard owned').waitFor({ timeout: 15_000 }) },
    { name: 'demand', path: () => '/console/demand', ready: (p) => p.locator('main table tbody tr').first().waitFor({ timeout: 20_000 }) },
    {
      name: 'docs',
      path: () => '/docs',
      // Generous waits: the bundles are large, and this 2-core machine is often busy.
      ready: (p) => p.locator('.swagger-ui .opblock').first().waitFor({ timeout: 45_000 }),
      // swagger-ui-dist (served by @fastify/swagger-ui) renders everything under #swagger-ui: its method
      // badges and top bar fail contrast, its logo has no alt, its URL box no label, and each operation's
      // summary is a button holding other controls. Its markup is not ours to change; the page's own
      // navigation (.larder-docs-links) and every other rule are still checked.
      thirdParty: { within: '#swagger-ui', rules: ['color-contrast', 'image-alt', 'label', 'nested-interactive'] },
    },
    {
      name: 'docs-events',
      path: () => '/docs/events',
      ready: (p) => p.locator('#asyncapi #introduction').waitFor({ timeout: 45_000 }),
      // @asyncapi/react-component renders the document into main#asyncapi with its own Tailwind colours
      // (white on teal/blue/orange badges, grey text), which fail contrast. Not our markup; the page's own
      // navigation and every other rule are still checked.
      thirdParty: { within: '#asyncapi', rules: ['color-contrast'] },
    },
  ];

  // One page at a time: Chromium rendering two pages at once starves the other projects' tests that CI runs beside it.
  const slot = limiter(1);

  /** Whether each axe target (a plain selector) is inside `within`; a frame or shadow-DOM target never is. */
  const inside = async (page: Page, within: string, targets: ReadonlyArray<ReadonlyArray<unknown>>) => {
    const plain = targets.map((t) => (t.length === 1 && typeof t[0] === 'string' ? t[0] : null));
    return page.evaluate(
      ([selectors, root]) =>
        selectors.map((s) => {
          const element = s === null ? null : document.querySelector(s);
          return element !== null && element.closest(root) !== null;
        }),
      [plain, within] as const,
    );
  };

  describe.concurrent('is accessible, renders and logs no error', () => {
    for (const c of cases) {
      it(`${c.name}: no serious or critical axe violation, a full-page screenshot, no JavaScript error`, () =>
        slot(async () => {
          const page = c.signedOut === true ? await (await newContext()).newPage() : await adminPage();
          const started = Date.now();
          const answer = await page.goto(url(c.path()), { waitUntil: 'domcontentloaded', timeout: 45_000 });
          expect(answer?.status()).toBe(200);
          await c.ready(page);
          const loaded = Date.now();
          // Legacy mode: one run in the page itself (no cross-origin frames here), without the extra blank page.
          const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
          const analysed = Date.now();
          const serious = [];
          for (const v of results.violations) {
            if (v.impact !== 'serious' && v.impact !== 'critical') continue;
            const theirs = c.thirdParty !== undefined && c.thirdParty.rules.includes(v.id) ? await inside(page, c.thirdParty.within, v.nodes.map((n) => n.target)) : [];
            const nodes = v.nodes.filter((_n, i) => theirs[i] !== true);
            if (nodes.length > 0) serious.push({ id: v.id, impact: v.impact, help: v.help, targets: nodes.map((n) => n.target.join(' ')).slice(0, 10) });
          }
          await page.screenshot({ path: `${artefacts}${c.name}.png`, fullPage: true });
          console.log(`${c.name}: loaded ${loaded - started} ms, axe ${analysed - loaded} ms, screenshot ${Date.now() - analysed} ms`);
          await page.close();
          // Both at once, so a failure shows each.
          expect({ axe: serious, errors: takePageErrors(page) }, `serious or critical axe violations, or errors, on ${c.path()}`).toEqual({ axe: [], errors: [] });
        }),
      // Each waits its turn for the one slot: the last may start minutes after the first.
      400_000);
    }
  });
});
