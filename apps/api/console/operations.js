// Operations: the runners and the shards each owns, shards without an owner, the invariant auditor's
// latest findings, and the command dead letters with their replay. Admin only; read again on demand.
import { api, Badge, fmt, html, me, mount, useEffect, useState, when } from './lib.js';

const ago = (ms) => (ms < 1_000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);
const shardList = (shards) => (shards.length === 0 ? '–' : shards.join(', '));

const Operations = () => {
  const [runners, setRunners] = useState(undefined);
  const [auditor, setAuditor] = useState(undefined);
  const [letters, setLetters] = useState(undefined);
  const [message, setMessage] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [busy, setBusy] = useState(false);

  // Each part on its own: one that cannot be read (NATS permissions, a timeout) does not hide the others.
  const load = () => {
    setError(undefined);
    const part = (path, set) => api('GET', path).then(set, (e) => setError((before) => [before, `${path}: ${e.message}`].filter(Boolean).join(' · ')));
    return Promise.all([part('/v1/ops/runners', setRunners), part('/v1/ops/auditor', setAuditor), part('/v1/ops/dead-letters?limit=200', setLetters)]);
  };
  useEffect(() => {
    if (me.admin) void load();
  }, []);

  const replay = async () => {
    setBusy(true);
    try {
      const r = await api('POST', '/v1/ops/dead-letters/replay', { body: {} });
      setMessage({ text: `Replayed ${r.replayed} dead letter(s)${r.skipped.length > 0 ? `; ${r.skipped.length} kept: ${r.skipped.map((s) => `#${s.seq} ${s.why}`).join('; ')}` : ''}.` });
      await load();
    } catch (e) {
      setMessage({ text: e.message, failed: true });
    } finally {
      setBusy(false);
    }
  };

  if (!me.admin) return html`<h1>Operations</h1><p class="error" role="alert">This page needs the admin scope; you are signed in as ${me.actor}.</p>`;
  return html`
    <div class="title-row"><h1>Operations</h1><button class="secondary" type="button" onClick=${load}>Refresh</button></div>
    ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
    ${message === undefined ? null : html`<p class=${message.failed ? 'error' : 'notice'} role=${message.failed ? 'alert' : 'status'}>${message.text}</p>`}
    <h2>Runners</h2>
    ${runners === undefined ? html`<p class="muted">Loading…</p>` : html`
      <p>${runners.runners.length} runner(s) in namespace <code>${runners.namespace}</code>; ${runners.owned} of ${runners.shards} shards owned.
        ${runners.unowned.length > 0 ? html` <span class="badge bad">shards without an owner: ${shardList(runners.unowned)}</span>` : html` <span class="badge ok">every shard owned</span>`}</p>
      <table><thead><tr><th>Runner</th><th>Started</th><th>Heartbeat</th><th>Draining</th><th>Pinned</th><th>Shards</th></tr></thead>
        <tbody>${runners.runners.map((r) => html`<tr><td><code>${r.runner}</code></td><td>${when(r.startedAt)}</td><td>${ago(r.heartbeatAgeMs)} ago</td><td>${r.draining ? html`<span class="badge low">draining</span>` : 'no'}</td><td>${r.pinned === null ? 'fair share' : shardList(r.pinned)}</td><td>${shardList(r.shards)} (${r.shards.length})</td></tr>`)}</tbody></table>
      ${runners.orphanLeases.length === 0 ? null : html`<p class="error">Leases held by runners that are gone: ${runners.orphanLeases.map((o) => `shard ${o.shard} (${o.runner})`).join(', ')} — they expire by themselves.</p>`}`}
    <h2>Invariant auditor</h2>
    ${auditor === undefined ? null : html`
      <p>${auditor.healthy ? html`<span class="badge ok">healthy</span>` : html`<span class="badge bad">attention</span>`} ${fmt(auditor.oversoldUnits)} oversold unit(s) found.</p>
      <table><thead><tr><th>Runner</th><th class="num">SKUs audited</th><th>Last audit</th><th class="num">Oversold units</th><th>Drifted SKUs by store</th></tr></thead>
        <tbody>${auditor.runners.map((r) => html`<tr><td><code>${r.runner}</code></td>${r.audit === null
          ? html`<td colspan="4" class="muted">no audit yet</td>`
          : html`<td class="num">${fmt(r.audit.auditedSkus)}</td><td>${when(r.audit.lastAuditAt)}</td><td class="num">${fmt(r.audit.oversoldUnits)}${r.audit.oversoldSkus.length > 0 ? ` (${r.audit.oversoldSkus.map((s) => `${s.sku}: ${s.units}`).join(', ')})` : ''}</td><td>${Object.entries(r.audit.drift).map(([store, n]) => `${store} ${n}`).join(' · ') || 'none'}</td>`}</tr>`)}</tbody></table>`}
    <h2>Dead letters</h2>
    ${letters === undefined ? null : html`
      <p>${letters.items.length === 0 ? html`<span class="badge ok">none</span> No command is waiting in <code>${letters.stream}</code>.` : html`${letters.items.length} command(s) in <code>${letters.stream}</code>. Fix the cause first, then <button type="button" disabled=${busy} onClick=${replay}>Replay all</button>`}</p>
      ${letters.items.length === 0 ? null : html`<table><thead><tr><th>Seq</th><th>Failed</th><th class="num">Deliveries</th><th>Subject</th><th>Reason</th></tr></thead>
        <tbody>${letters.items.map((l) => (l.readable
          ? html`<tr><td>${l.seq}</td><td>${when(l.failedAt)}</td><td class="num">${l.deliveries}</td><td><code>${l.subject}</code></td><td>${l.reason}</td></tr>`
          : html`<tr><td>${l.seq}</td><td colspan="4" class="error">unreadable dead letter: ${l.undecodable}</td></tr>`))}</tbody></table>`}`}`;
};

mount(Operations);
