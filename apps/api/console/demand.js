// Demand: a restock suggestion per SKU and location (GET /v1/restock-suggestions), the catalogue a page
// at a time: status, velocity, cover, reorder point, replenish-by date, the order and the signals.
import { api, Badge, fmt, html, mount, useEffect, useState } from './lib.js';

const PageSize = 100;
const figure = (n, digits = 1) => (typeof n === 'number' ? n.toLocaleString('en', { maximumFractionDigits: digits }) : '–');

const Demand = () => {
  const [pages, setPages] = useState([undefined]);
  const [page, setPage] = useState(undefined);
  const [error, setError] = useState(undefined);
  const at = pages.length - 1;
  useEffect(() => {
    const cursor = pages[at];
    setPage(undefined);
    api('GET', `/v1/restock-suggestions?limit=${PageSize}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`).then(setPage, (e) => setError(e.message));
  }, [pages]);
  return html`
    <h1>Demand</h1>
    <p class="muted">What to reorder and when, from the last 90 days of the ledger${page === undefined ? '' : ` (today is ${page.today}, UTC)`}. <code>docs/demand-signals.md</code> explains each number.</p>
    ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
    ${page === undefined ? html`<p class="muted">Loading…</p>` : page.items.length === 0 ? html`<p class="muted">No SKU in the catalogue yet: create one with <code>PUT /v1/skus/{sku}</code>.</p>` : html`
    <table><thead><tr><th>SKU</th><th>Location</th><th>Status</th><th class="num">Daily demand</th><th class="num">Days of cover</th><th class="num">Reorder point</th><th>Replenish by</th><th class="num">Suggested quantity</th><th class="num">Poll votes</th><th class="num">Lost demand (units)</th><th class="num">Waiting for it (notify me)</th></tr></thead>
      <tbody>${page.items.map((s) => html`<tr><td><a href=${`/console/skus/${encodeURIComponent(s.sku)}`}>${s.sku}</a>${s.policy.defaulted ? html` <span class="muted">(default policy)</span>` : null}</td>
        <td>${s.location}</td><td><${Badge} status=${s.status} /></td>
        <td class="num">${figure(s.dailyDemand, 2)}</td><td class="num">${figure(s.daysOfCover)}</td><td class="num">${figure(s.reorderPoint)}</td>
        <td class="date">${s.replenishBy ?? '–'}</td>
        <td class="num">${fmt(s.suggestedQuantity)}${s.cappedBy === 'shelfLife' ? html`<br /><span class="muted">capped by shelf life</span>` : null}</td>
        <td class="num">${fmt(s.signals.pollVotes)}</td><td class="num">${fmt(s.signals.lostDemandUnits)}</td><td class="num">${fmt(s.signals.notifyWaiting ?? 0)}</td></tr>`)}</tbody>
    </table>`}
    <div class="pager">
      <button class="secondary" disabled=${at === 0} onClick=${() => setPages(pages.slice(0, -1))}>Previous</button>
      <button class="secondary" disabled=${page === undefined || page.nextCursor === null} onClick=${() => page !== undefined && setPages([...pages, page.nextCursor])}>Next</button>
    </div>`;
};

mount(Demand);
