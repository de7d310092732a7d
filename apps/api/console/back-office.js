// Back office: restock, adjust, stocktake, CSV imports, quarantine a lot, recall trace (with its CSV),
// webhooks. Each form calls the same /v1 route a program would and shows what happened or why not.
import { ActionForm, api, Field, fieldsOf, fmt, html, me, mount, useEffect, useState, when } from './lib.js';

const Reasons = ['damaged', 'shrinkage', 'count_correction', 'expired', 'sample', 'found', 'other'];

const lotOf = (f) => (f.lot === undefined ? {} : { lot: { code: f.lot, bestBefore: f.bestBefore } });
const accepted = (verb) => (a) => `${verb}: accepted (command ${a.commandId}); the stock page shows it as soon as the actor has applied it.`;

const Restock = () => html`<${ActionForm} id="restock" title="Restock" label="Restock" describe=${accepted('Restock')}
  submit=${(form) => {
    const f = fieldsOf(form, ['qty']);
    return api('POST', '/v1/restocks', { body: { sku: f.sku, qty: f.qty, reference: f.reference, ...(f.location ? { location: f.location } : {}), ...lotOf(f) } });
  }}>
  <${Field} name="sku" label="SKU" required />
  <${Field} name="qty" label="Units" type="number" min="1" required />
  <${Field} name="reference" label="Reference (PO, delivery note)" required />
  <${Field} name="location" label="Location (optional)" />
  <${Field} name="lot" label="Lot code (optional)" />
  <${Field} name="bestBefore" label="Best before" type="date" />
</${ActionForm}>`;

const Adjust = () => html`<${ActionForm} id="adjust" title="Adjust" label="Adjust" describe=${accepted('Adjustment')}
  submit=${(form) => {
    const f = fieldsOf(form, ['delta']);
    return api('POST', '/v1/adjustments', { body: { sku: f.sku, delta: f.delta, reason: f.reason, reference: f.reference, ...(f.location ? { location: f.location } : {}), ...(f.lot ? { lot: f.lot } : {}) } });
  }}>
  <${Field} name="sku" label="SKU" required />
  <${Field} name="delta" label="Units (+ or −)" type="number" required />
  <${Field} name="reason" label="Reason" options=${Reasons} required />
  <${Field} name="reference" label="Reference" required />
  <${Field} name="location" label="Location (optional)" />
  <${Field} name="lot" label="Lot (optional)" />
</${ActionForm}>`;

const Stocktake = () => html`<${ActionForm} id="stocktake" title="Stocktake" label="Record count"
  describe=${(a) => (a.expected === null ? `Count of ${a.counted} was recorded before (a retry).` : `Counted ${a.counted}, expected ${a.expected}: ${a.difference === 0 ? 'no difference' : `adjusted by ${a.difference > 0 ? '+' : ''}${a.difference}`}.`)}
  submit=${(form) => {
    const f = fieldsOf(form, ['counted']);
    return api('POST', '/v1/counts', { body: { sku: f.sku, counted: f.counted, reference: f.reference, ...(f.location ? { location: f.location } : {}), ...(f.lot ? { lot: f.lot } : {}) } });
  }}>
  <${Field} name="sku" label="SKU" required />
  <${Field} name="counted" label="Units counted" type="number" min="0" required />
  <${Field} name="reference" label="Count sheet" required />
  <${Field} name="location" label="Location (optional)" />
  <${Field} name="lot" label="Lot (optional)" />
</${ActionForm}>`;

const Import = () => {
  const [report, setReport] = useState(undefined);
  return html`<${ActionForm} id="import" title="CSV import" label="Upload"
    describe=${(r) => `${r.import}: ${r.totals.rows} rows — ${r.totals.applied} applied, ${r.totals.unchanged} unchanged, ${r.totals.refused} refused.`}
    submit=${async (form) => {
      const kind = new FormData(form).get('kind');
      const file = form.querySelector('input[type=file]').files[0];
      if (file === undefined) throw new Error('choose a CSV file');
      const r = await api('POST', `/v1/imports/${kind}`, { body: await file.text(), type: 'text/csv' });
      setReport(r);
      return r;
    }}>
    <${Field} name="kind" label="What" options=${['restocks', 'catalogue']} />
    <div class="field"><label for="csv-file">CSV file (restocks: sku,qty,reference[,location,lot,best_before]; catalogue: sku,name[,lowStockThreshold,safetyStock])</label><input id="csv-file" name="file" type="file" accept=".csv,text/csv" required /></div>
  </${ActionForm}>
  ${report === undefined || report.totals.refused === 0 ? null : html`<table class="panel"><thead><tr><th>Row</th><th>Key</th><th>Refused because</th></tr></thead>
    <tbody>${report.rows.filter((r) => r.status === 'refused').slice(0, 200).map((r) => html`<tr><td>${r.row}</td><td><code>${r.key}</code></td><td>${r.reason}</td></tr>`)}</tbody></table>`}`;
};

const Quarantine = () => html`<${ActionForm} id="quarantine" title="Quarantine or release a lot" label="Apply"
  describe=${(a) => `Lot ${a.lot} of ${a.sku} ${a.status}${a.changed ? '' : ' (it already was)'}: ${a.locations.map((l) => `${l.units} at ${l.location}`).join(', ') || 'no units on hand'}; ${a.committedLines?.length ?? 0} committed line(s) took it.`}
  submit=${(form) => {
    const f = fieldsOf(form);
    return api('POST', `/v1/lots/${encodeURIComponent(f.sku)}/${encodeURIComponent(f.lot)}/${f.action}`, { body: { reason: f.reason } });
  }}>
  <${Field} name="sku" label="SKU" required />
  <${Field} name="lot" label="Lot code" required />
  <${Field} name="action" label="Action" options=${['quarantine', 'release']} />
  <${Field} name="reason" label="Why (notice, complaint, lab result)" required />
</${ActionForm}>`;

const Recall = () => {
  const [trace, setTrace] = useState(undefined);
  const [query, setQuery] = useState(undefined);
  const [download, setDownload] = useState(undefined);
  const csv = async () => {
    const response = await api('GET', `/v1/recalls/trace?${query}`, { accept: 'text/csv' });
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `recall-${new URLSearchParams(query).get('lot') ?? 'trace'}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setDownload(`Downloaded ${link.download} (${fmt(blob.size)} bytes).`);
  };
  return html`<${ActionForm} id="recall" title="Recall trace" label="Trace"
    describe=${(t) => `${t.lines.length} committed line(s) over ${t.lots.length} lot(s), traced in ${Math.round(t.tookMs)} ms.`}
    submit=${async (form) => {
      const f = fieldsOf(form);
      const q = new URLSearchParams(Object.entries(f).filter(([k]) => ['sku', 'lot', 'bestBefore'].includes(k)));
      const t = await api('GET', `/v1/recalls/trace?${q}`);
      setQuery(q.toString());
      setTrace(t);
      setDownload(undefined);
      return t;
    }}>
    <${Field} name="sku" label="SKU" required />
    <${Field} name="lot" label="Lot code" />
    <${Field} name="bestBefore" label="or best before" type="date" />
  </${ActionForm}>
  ${trace === undefined ? null : html`<section class="panel" aria-label="Recall trace result">
    <button type="button" onClick=${csv}>Download CSV</button> ${download === undefined ? null : html`<span class="notice" role="status">${download}</span>`}
    <h2>Mass balance</h2>
    <table><thead><tr><th>Lot</th><th>Best before</th><th class="num">Received</th><th class="num">Returned</th><th class="num">Adjusted</th><th class="num">Committed</th><th class="num">On hand</th><th class="num">Difference</th></tr></thead>
      <tbody>${trace.lots.map((l) => html`<tr><td>${l.sku} · ${l.lot}</td><td>${l.bestBefore ?? '–'}</td><td class="num">${fmt(l.massBalance.received)}</td><td class="num">${fmt(l.massBalance.returned)}</td><td class="num">${fmt(l.massBalance.adjusted)}</td><td class="num">${fmt(l.massBalance.committed)}</td><td class="num">${fmt(l.massBalance.onHand)}</td><td class="num">${fmt(l.massBalance.difference)}</td></tr>`)}</tbody></table>
    <h2>Committed lines</h2>
    <table><thead><tr><th>When</th><th>Order</th><th>Customer</th><th>Lot</th><th class="num">Units</th><th>Channel</th><th>Location</th></tr></thead>
      <tbody>${trace.lines.slice(0, 500).map((l) => html`<tr><td>${when(l.committedAt)}</td><td>${l.orderId ?? l.reservationId ?? '–'}</td><td>${l.customerId ?? '–'}</td><td>${l.lot}</td><td class="num">${l.qty}</td><td>${l.channel}</td><td>${l.location}</td></tr>`)}</tbody></table>
    ${trace.lines.length > 500 ? html`<p class="muted">The first 500 of ${fmt(trace.lines.length)} lines; the CSV has them all.</p>` : null}
  </section>`}`;
};

const Webhooks = () => {
  const [hooks, setHooks] = useState(undefined);
  const [error, setError] = useState(undefined);
  const load = () => api('GET', '/v1/webhooks').then((a) => setHooks(a.items), (e) => setError(e.message));
  useEffect(() => {
    if (me.admin) void load();
  }, []);
  const remove = async (id) => {
    if (!confirm(`Stop delivering to ${id} and forget it? Its delivery log and dead letters are kept.`)) return;
    try {
      await api('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
      await load();
    } catch (e) {
      setError(e.message);
    }
  };
  if (!me.admin) return html`<section class="panel"><h2>Webhooks</h2><p class="muted">Managing webhooks needs the admin scope.</p></section>`;
  return html`<${ActionForm} id="webhooks" title="Webhooks" label="Save endpoint"
    describe=${(a) => (a.secret ? `Created ${a.id}. Its signing secret, shown this once: ${a.secret}` : `Changed ${a.id}.`)}
    submit=${async (form) => {
      const f = fieldsOf(form);
      const answer = await api('PUT', `/v1/webhooks/${encodeURIComponent(f.id)}`, { body: { url: f.url, events: f.events.split(',').map((e) => e.trim()).filter((e) => e !== '') } });
      await load();
      return answer;
    }}>
    <${Field} name="id" label="Endpoint id" required />
    <${Field} name="url" label="URL" type="url" required />
    <${Field} name="events" label="Events (comma-separated)" value="stock.v1.low,stock.v1.out,stock.v1.back" required />
  </${ActionForm}>
  ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
  <table aria-label="Webhook endpoints"><thead><tr><th>Id</th><th>URL</th><th>Events</th><th>Secret</th><th>Changed</th><th><span class="sr-only">Action</span></th></tr></thead>
    <tbody>${(hooks ?? []).map((w) => html`<tr><td>${w.id}</td><td><code>${w.url}</code></td><td>${w.events.join(', ')}</td><td><code>${w.secretHint}…</code></td><td>${when(w.updatedAt)}</td>
      <td><button class="secondary" type="button" onClick=${() => remove(w.id)}>Delete</button></td></tr>`)}</tbody></table>`;
};

const BackOffice = () => html`
  <h1>Back office</h1>
  ${me.write ? null : html`<p class="error" role="alert">These forms need the stock:write scope; you are signed in as ${me.actor}.</p>`}
  <div class="grid"><${Restock} /><${Adjust} /><${Stocktake} /><${Quarantine} /></div>
  <${Import} />
  <${Recall} />
  <${Webhooks} />`;

mount(BackOffice);
