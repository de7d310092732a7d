// Drops: every drop, latest opening first, with its state and totals; each opens its live page.
import { api, Badge, fmt, html, mount, useEffect, useState, when } from './lib.js';

const Drops = () => {
  const [drops, setDrops] = useState(undefined);
  const [error, setError] = useState(undefined);
  useEffect(() => {
    api('GET', '/v1/drops').then((a) => setDrops(a.items), (e) => setError(e.message));
  }, []);
  return html`
    <h1>Drops</h1>
    ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
    ${drops === undefined ? html`<p class="muted">Loading…</p>` : drops.length === 0 ? html`<p class="muted">No drop yet: create one with <code>PUT /v1/drops/{id}</code> (see the API reference).</p>` : html`
    <table><thead><tr><th>Drop</th><th>State</th><th>Opens</th><th>Closes</th><th class="num">Allocation</th><th class="num">Held</th><th class="num">Committed</th><th class="num">Remaining</th><th class="num">Lost demand (units)</th></tr></thead>
      <tbody>${drops.map((d) => html`<tr><td><a href=${`/console/drops/${encodeURIComponent(d.dropId)}`}>${d.name}</a> <span class="muted">${d.dropId}</span></td>
        <td><${Badge} status=${d.state} /></td><td>${when(d.opensAt)}</td><td>${when(d.closesAt)}</td>
        <td class="num">${fmt(d.totals.allocation)}</td><td class="num">${fmt(d.totals.held)}</td><td class="num">${fmt(d.totals.committed)}</td><td class="num">${fmt(d.totals.remaining)}</td><td class="num">${fmt(d.totals.refusedUnits)}</td></tr>`)}</tbody>
    </table>`}`;
};

mount(Drops);
