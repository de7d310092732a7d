// One SKU: its live figures, per location and per lot (with quarantine and release), and its ledger.
import { api, Badge, fmt, follow, html, LiveState, me, mount, useEffect, useState, when } from './lib.js';

const sku = decodeURIComponent(location.pathname.split('/').pop() ?? '');

const LotAction = ({ lot, onDone }) => {
  const [busy, setBusy] = useState(false);
  const quarantined = lot.status === 'quarantined';
  const act = async () => {
    const reason = prompt(quarantined ? `Why release lot ${lot.code}?` : `Why quarantine lot ${lot.code}? (supplier notice, complaint, lab result…)`);
    if (reason === null || reason.trim() === '') return;
    setBusy(true);
    try {
      const answer = await api('POST', `/v1/lots/${encodeURIComponent(sku)}/${encodeURIComponent(lot.code)}/${quarantined ? 'release' : 'quarantine'}`, { body: { reason } });
      onDone(`${answer.status === 'quarantined' ? 'Quarantined' : 'Released'} lot ${lot.code}: ${answer.changed === false ? 'it already was' : 'recorded'}.`);
    } catch (e) {
      onDone(e.message, true);
    } finally {
      setBusy(false);
    }
  };
  if (!me.write || lot.status === 'removed') return null;
  return html`<button class="secondary" type="button" disabled=${busy} onClick=${act}>${quarantined ? 'Release' : 'Quarantine'}</button>`;
};

const Sku = () => {
  const [entry, setEntry] = useState(undefined);
  const [view, setView] = useState(undefined);
  const [live, setLive] = useState(false);
  const [ledger, setLedger] = useState({ entries: [], nextCursor: null });
  const [message, setMessage] = useState(undefined);
  const [error, setError] = useState(undefined);

  const loadLedger = (before) =>
    api('GET', `/v1/skus/${encodeURIComponent(sku)}/ledger?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`).then(
      (page) => setLedger((l) => ({ entries: before ? [...l.entries, ...page.entries] : page.entries, nextCursor: page.nextCursor })),
      (e) => setError(e.message),
    );

  useEffect(() => {
    api('GET', `/v1/skus/${encodeURIComponent(sku)}`).then(setEntry, (e) => setError(e.message));
    void loadLedger();
    return follow([sku], (v) => {
      setView(v);
      void loadLedger();
    }, setLive);
  }, []);

  const done = (text, failed = false) => setMessage({ text, failed });
  const title = entry?.name ? `${sku} · ${entry.name}` : sku;
  if (error !== undefined && entry === undefined) return html`<h1>${sku}</h1><p class="error" role="alert">${error}</p>`;
  const v = view ?? {};
  return html`
    <h1>${title} ${v.status ? html`<${Badge} status=${v.status} />` : null}</h1>
    <p><${LiveState} live=${live} /> <span class="muted">version ${fmt(v.version)} · ${when(v.asOf)}</span></p>
    <div class="figures">
      ${[['On hand', v.onHand], ['Reserved', v.reserved], ['Allocated to drops', v.allocated], ['Safety stock', v.safetyStock], ['Available', v.available]].map(
        ([label, value]) => html`<div class="figure"><div class="value" data-figure=${label}>${fmt(value)}</div><div class="label">${label}</div></div>`,
      )}
    </div>
    ${message === undefined ? null : html`<p class=${message.failed ? 'error' : 'notice'} role=${message.failed ? 'alert' : 'status'}>${message.text}</p>`}
    ${v.kind === 'pack' ? html`<h2>Components</h2><table><thead><tr><th>SKU</th><th class="num">Per pack</th><th class="num">Available</th></tr></thead><tbody>
      ${(v.components ?? []).map((c) => html`<tr><td><a href=${`/console/skus/${encodeURIComponent(c.sku)}`}>${c.sku}</a></td><td class="num">${c.qty}</td><td class="num">${fmt(c.available)}</td></tr>`)}
    </tbody></table>` : null}
    <h2>Locations</h2>
    <table><thead><tr><th>Location</th><th class="num">On hand</th><th class="num">Reserved</th><th class="num">Blocked</th><th class="num">Available</th><th class="num">Low at</th></tr></thead>
      <tbody>${(v.locations ?? []).map((l) => html`<tr><td>${l.location}</td><td class="num">${fmt(l.onHand)}</td><td class="num">${fmt(l.reserved)}</td><td class="num">${fmt(l.blocked ?? 0)}</td><td class="num">${fmt(l.available)}</td><td class="num">${l.lowStockThreshold ?? '–'}</td></tr>`)}</tbody>
    </table>
    <h2>Lots</h2>
    ${(v.locations ?? []).every((l) => (l.lots ?? []).length === 0) ? html`<p class="muted">No lots: this SKU's stock was received without lot codes.</p>` : html`
    <table><thead><tr><th>Lot</th><th>Location</th><th>Best before</th><th>Produced</th><th class="num">On hand</th><th>Status</th><th><span class="sr-only">Action</span></th></tr></thead>
      <tbody>${(v.locations ?? []).flatMap((l) => (l.lots ?? []).map((lot) => html`<tr data-lot=${lot.code}>
        <td>${lot.code}</td><td>${l.location}</td><td>${lot.bestBefore}</td><td>${lot.producedOn ?? '–'}</td><td class="num">${fmt(lot.onHand)}</td><td><${Badge} status=${lot.status} /></td>
        <td><${LotAction} lot=${lot} onDone=${done} /></td></tr>`))}</tbody>
    </table>`}
    <h2>Ledger</h2>
    <table><thead><tr><th>When</th><th>Event</th><th>Location</th><th class="num">Qty</th><th class="num">On hand</th><th class="num">Reserved</th><th>Who</th><th>Reason / reference</th></tr></thead>
      <tbody>${ledger.entries.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.type}</td><td>${e.location}</td><td class="num">${e.quantity ?? '–'}</td>
        <td class="num">${fmt(e.before?.onHand)} → ${fmt(e.after?.onHand)}</td><td class="num">${fmt(e.before?.reserved)} → ${fmt(e.after?.reserved)}</td><td>${e.actor}</td><td>${e.reason}${e.reference ? html` · <code>${e.reference}</code>` : null}</td></tr>`)}</tbody>
    </table>
    ${ledger.nextCursor === null ? null : html`<div class="pager"><button class="secondary" type="button" onClick=${() => loadLedger(ledger.nextCursor)}>Older entries</button></div>`}`;
};

mount(Sku);
