// Stock: the catalogue, searchable and paged; each row's figures follow the live stream.
import { api, Badge, fmt, follow, html, LiveState, mount, useEffect, useState } from './lib.js';

const PageSize = 50;

const Stock = () => {
  const params = new URLSearchParams(location.search);
  const [q, setQ] = useState(params.get('q') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [cursors, setCursors] = useState([null]);
  const [page, setPage] = useState({ items: [], nextCursor: null, loading: true });
  const [views, setViews] = useState({});
  const [flash, setFlash] = useState({});
  const [live, setLive] = useState(false);
  const [error, setError] = useState(undefined);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    const query = new URLSearchParams({ limit: String(PageSize) });
    if (q !== '') query.set('q', q);
    if (status !== '') query.set('status', status);
    if (cursor !== null) query.set('cursor', cursor);
    setPage((p) => ({ ...p, loading: true }));
    api('GET', `/v1/skus?${query}`).then(
      (answer) => {
        setPage({ ...answer, loading: false });
        setError(undefined);
      },
      (e) => setError(e.message),
    );
    history.replaceState(null, '', `?${new URLSearchParams({ ...(q ? { q } : {}), ...(status ? { status } : {}) })}`);
  }, [q, status, cursor]);

  // The rows on screen follow the stream; a new page follows its own SKUs.
  useEffect(() => {
    const skus = page.items.map((i) => i.sku);
    if (skus.length === 0) return undefined;
    return follow(
      skus,
      (view) => {
        setViews((v) => ({ ...v, [view.sku]: view }));
        setFlash((f) => ({ ...f, [view.sku]: (f[view.sku] ?? 0) + 1 }));
      },
      setLive,
    );
  }, [page.items]);

  const onSearch = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setQ(String(form.get('q') ?? '').trim());
    setStatus(String(form.get('status') ?? ''));
    setCursors([null]);
  };

  return html`
    <h1>Stock</h1>
    <form class="inline panel" role="search" onSubmit=${onSearch}>
      <div class="field"><label for="q">SKU or name contains</label><input id="q" name="q" type="search" value=${q} /></div>
      <div class="field"><label for="status">Status</label>
        <select id="status" name="status" value=${status}>
          <option value="">any</option><option value="in_stock">in stock</option><option value="low">low</option><option value="out">out</option>
        </select></div>
      <button type="submit">Search</button>
      <${LiveState} live=${live} />
    </form>
    ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
    <table aria-describedby="stock-caption">
      <caption id="stock-caption" class="sr-only">SKUs with live stock figures</caption>
      <thead><tr><th>SKU</th><th>Name</th><th>Status</th><th class="num">On hand</th><th class="num">Reserved</th><th class="num">Allocated</th><th class="num">Available</th><th>As of</th></tr></thead>
      <tbody>
        ${page.items.map((item) => {
          const view = views[item.sku];
          const s = view ?? item.stock ?? {};
          const st = view?.status ?? item.status;
          return html`<tr key=${`${item.sku}-${flash[item.sku] ?? 0}`} class=${flash[item.sku] ? 'flash' : ''} data-sku=${item.sku}>
            <td><a href=${`/console/skus/${encodeURIComponent(item.sku)}`}>${item.sku}</a>${item.kind === 'pack' ? html` <span class="badge pack">pack</span>` : null}</td>
            <td>${item.name}</td>
            <td><${Badge} status=${st} /></td>
            <td class="num" data-field="onHand">${fmt(s.onHand)}</td>
            <td class="num" data-field="reserved">${fmt(s.reserved)}</td>
            <td class="num" data-field="allocated">${fmt(s.allocated)}</td>
            <td class="num" data-field="available">${fmt(s.available)}</td>
            <td class="muted">${s.asOf ? new Date(s.asOf).toLocaleTimeString('en-GB') : '–'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${page.loading ? html`<p class="muted">Loading…</p>` : page.items.length === 0 ? html`<p class="muted">No SKU matches.</p>` : null}
    <div class="pager">
      <button class="secondary" type="button" disabled=${cursors.length === 1} onClick=${() => setCursors((c) => c.slice(0, -1))}>Previous</button>
      <button class="secondary" type="button" disabled=${page.nextCursor === null} onClick=${() => setCursors((c) => [...c, page.nextCursor])}>Next</button>
      <span class="muted">page ${cursors.length}</span>
    </div>`;
};

mount(Stock);
