// Shared by every console page: calls to the /v1 API with the session cookie (writes carry the
// console's header and a fresh Idempotency-Key), the live stock stream, and small view helpers.
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);
export { render, useEffect, useRef, useState };

/** What the server said about who is signed in (data attributes of <body>). */
export const me = {
  actor: document.body.dataset.actor ?? '',
  admin: document.body.dataset.admin === 'true',
  write: document.body.dataset.write === 'true',
};

/** An API answer that is not 2xx: its problem+json detail, or the status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Calls the API. `body`: an object (sent as JSON) or a string with `type` (CSV). Writes get an
 * Idempotency-Key, so a double click or a retry never applies twice. A 401 sends the person to sign in.
 */
export const api = async (method, path, { body, type, accept } = {}) => {
  const headers = { accept: accept ?? 'application/json' };
  if (method !== 'GET') {
    headers['x-larder-console'] = '1';
    headers['idempotency-key'] = crypto.randomUUID();
  }
  if (body !== undefined) headers['content-type'] = type ?? 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (response.status === 401) {
    location.assign(`/console/login?next=${encodeURIComponent(location.pathname)}`);
    throw new ApiError(401, { detail: 'signed out' });
  }
  if (accept !== undefined && accept !== 'application/json' && response.ok) return response;
  const text = await response.text();
  const parsed = text === '' ? null : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
};

/**
 * Follows SKUs on the live stream: `onView(view)` for each current view and change. The browser
 * reconnects by itself with Last-Event-ID, so nothing is missed. Returns a stop function.
 */
export const follow = (skus, onView, onState = () => undefined) => {
  const query = skus === null ? '' : `?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&')}`;
  const source = new EventSource(`/v1/stock/events${query}`);
  source.addEventListener('stock', (e) => onView(JSON.parse(e.data)));
  source.addEventListener('ready', () => onState(true));
  source.addEventListener('error', () => onState(false));
  return () => source.close();
};

export const LiveState = ({ live }) =>
  html`<span class="live ${live ? 'on' : 'off'}" role="status">${live ? 'live' : 'reconnecting…'}</span>`;

const statusText = { in_stock: 'in stock', low: 'low', out: 'out', sellable: 'sellable', quarantined: 'quarantined', removed: 'removed', scheduled: 'scheduled', open: 'open', closed: 'closed', critical: 'critical', order_now: 'order now', excess: 'excess', good: 'good', no_history: 'no history' };
export const Badge = ({ status }) => html`<span class="badge ${status}">${statusText[status] ?? status}</span>`;

export const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en') : '–');
export const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }) : '–');

/** A form's fields as an object; empty fields left out; `numbers` converted. */
export const fieldsOf = (form, numbers = []) => {
  const out = {};
  for (const [k, v] of new FormData(form)) {
    if (typeof v !== 'string' || v.trim() === '') continue;
    out[k] = numbers.includes(k) ? Number(v) : v.trim();
  }
  return out;
};

/** A form that calls the API and shows its outcome beneath (what was done, or the problem's detail). */
export const ActionForm = ({ title, children, submit, label = 'Apply', describe = (r) => JSON.stringify(r), id }) => {
  const [state, setState] = useState({ busy: false });
  const onSubmit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    setState({ busy: true });
    try {
      const result = await submit(form);
      setState({ busy: false, ok: describe(result), result });
    } catch (error) {
      setState({ busy: false, error: error.message });
    }
  };
  return html`<section class="panel" aria-labelledby=${`${id}-title`} id=${id}>
    <h2 id=${`${id}-title`}>${title}</h2>
    <form class="inline" onSubmit=${onSubmit}>${children}<button type="submit" disabled=${state.busy}>${label}</button></form>
    ${state.ok === undefined ? null : html`<div class="result notice" role="status">${state.ok}</div>`}
    ${state.error === undefined ? null : html`<div class="result error" role="alert">${state.error}</div>`}
  </section>`;
};

let fields = 0;
export const Field = ({ name, label, type = 'text', required = false, value, placeholder, min, step, id, options }) => {
  // One id per field for its life (several forms share field names), so its label stays tied to it.
  const fid = useRef(id ?? `f-${name}-${++fields}`).current;
  return html`<div class="field"><label for=${fid}>${label}</label>${options === undefined
    ? html`<input id=${fid} name=${name} type=${type} required=${required} value=${value} placeholder=${placeholder} min=${min} step=${step} />`
    : html`<select id=${fid} name=${name} required=${required}>${options.map((o) => html`<option value=${o}>${o}</option>`)}</select>`}</div>`;
};

export const mount = (component) => {
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${component} />`, root);
};
