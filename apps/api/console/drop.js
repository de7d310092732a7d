// One drop, live, for a wall screen: remaining, held, committed, buyers and lost demand, and the
// sell-through since the page opened (uPlot). Every change of one of its SKUs on the stream makes the
// page read the drop's figures again (at most every 250 ms); nothing polls.
import uPlot from 'uplot';
import { api, Badge, fmt, follow, html, LiveState, mount, useEffect, useRef, useState, when } from './lib.js';

const dropId = decodeURIComponent(location.pathname.split('/').pop() ?? '');

const Chart = ({ points, allocation, wall }) => {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const width = box.current?.clientWidth ?? 800;
    plot.current = new uPlot(
      {
        width,
        height: 280,
        title: 'Sell-through',
        scales: { y: { range: () => [0, Math.max(1, allocation)] } },
        series: [{}, { label: 'committed', stroke: '#0f6b35', width: 2 }, { label: 'held + committed', stroke: '#0b5cad', width: 2 }],
        // Canvas text takes no CSS colour: the axes are drawn light on the wall screen, dark otherwise.
        axes: [
          { stroke: wall ? '#e2e8f0' : '#1b1f24', grid: { stroke: wall ? '#2a4563' : '#e5e9ee' }, values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString('en-GB')) },
          { stroke: wall ? '#e2e8f0' : '#1b1f24', grid: { stroke: wall ? '#2a4563' : '#e5e9ee' } },
        ],
      },
      [[], [], []],
      box.current,
    );
    const resize = () => plot.current?.setSize({ width: box.current?.clientWidth ?? width, height: 280 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.current?.destroy();
    };
  }, [allocation, wall]);
  useEffect(() => {
    plot.current?.setData([points.map((p) => p.t), points.map((p) => p.committed), points.map((p) => p.committed + p.held)]);
  }, [points, wall]);
  // uPlot takes the width it is given: measure an inner box, not the padded panel (whose clientWidth
  // counts its padding, so the chart overflowed the panel by that much).
  return html`<div class="panel" role="img" aria-label=${`Sell-through chart: ${points.at(-1)?.committed ?? 0} committed of ${allocation}`}><div ref=${box}></div></div>`;
};

const Drop = () => {
  const [drop, setDrop] = useState(undefined);
  const [points, setPoints] = useState([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState(undefined);
  const [wall, setWall] = useState(new URLSearchParams(location.search).has('wall'));

  useEffect(() => {
    document.body.classList.toggle('wall', wall);
  }, [wall]);

  useEffect(() => {
    let pending = undefined;
    let stop = () => undefined;
    const read = () =>
      api('GET', `/v1/drops/${encodeURIComponent(dropId)}`).then((d) => {
        setDrop(d);
        setPoints((p) => [...p, { t: Date.now() / 1000, held: d.totals.held, committed: d.totals.committed }].slice(-2000));
        return d;
      });
    const soon = () => {
      if (pending !== undefined) return;
      pending = setTimeout(() => {
        pending = undefined;
        read().catch((e) => setError(e.message));
      }, 250);
    };
    // The time axis moves on a wall screen even when nothing sells: the last figures again, every 2 s (no request).
    const tick = setInterval(() => setPoints((p) => (p.length === 0 ? p : [...p, { ...p[p.length - 1], t: Date.now() / 1000 }].slice(-2000))), 2_000);
    read().then(
      (d) => {
        stop = follow(d.skus.map((s) => s.sku), soon, setLive);
      },
      (e) => setError(e.message),
    );
    return () => {
      stop();
      clearInterval(tick);
      clearTimeout(pending);
    };
  }, []);

  if (drop === undefined) return html`<h1>Drop ${dropId}</h1>${error === undefined ? html`<p class="muted">Loading…</p>` : html`<p class="error" role="alert">${error}</p>`}`;
  const t = drop.totals;
  const buyers = drop.skus.reduce((n, s) => n + s.buyers, 0);
  const refusedCustomers = drop.skus.reduce((n, s) => n + s.refusedCustomers, 0);
  return html`
    <h1>${drop.name} <${Badge} status=${drop.state} /></h1>
    <p class="meta"><${LiveState} live=${live} /> <span class="muted">opens ${when(drop.opensAt)} · closes ${when(drop.closesAt)}${drop.soldOutAt ? ` · sold out ${when(drop.soldOutAt)}` : ''}</span>
      <button class="secondary" type="button" onClick=${() => setWall((w) => !w)}>${wall ? 'Leave wall screen' : 'Wall screen'}</button></p>
    <div class="figures">
      ${[['Remaining', t.remaining], ['Held', t.held], ['Committed', t.committed], ['Buyers', buyers], ['Lost demand (units)', t.refusedUnits], ['Turned away (customers)', refusedCustomers]].map(
        ([label, value]) => html`<div class="figure"><div class="value" data-figure=${label}>${fmt(value)}</div><div class="label">${label}</div></div>`,
      )}
    </div>
    <${Chart} points=${points} allocation=${t.allocation} wall=${wall} />
    <table><thead><tr><th>SKU</th><th class="num">Allocation</th><th class="num">Per customer</th><th class="num">Held</th><th class="num">Committed</th><th class="num">Remaining</th><th class="num">Buyers</th><th class="num">Lost demand</th><th>Sold out</th></tr></thead>
      <tbody>${drop.skus.map((s) => html`<tr><td><a href=${`/console/skus/${encodeURIComponent(s.sku)}`}>${s.sku}</a></td><td class="num">${fmt(s.allocation)}</td><td class="num">${fmt(s.limitPerCustomer)}</td>
        <td class="num">${fmt(s.held)}</td><td class="num">${fmt(s.committed)}</td><td class="num">${fmt(s.remaining)}</td><td class="num">${fmt(s.buyers)}</td><td class="num">${fmt(s.refusedUnits)} (${fmt(s.refusedCustomers)} customers)</td><td>${when(s.soldOutAt)}</td></tr>`)}</tbody>
    </table>`;
};

mount(Drop);
