// The operator dashboard: per-minute history from the API's operator endpoints drawn with
// uPlot (pool depth against its alert threshold, throughput, batch sizes, latency
// percentiles, error rate), the DLQ, the funding address and the failed jobs with a retry.
import { useState, useEffect } from 'preact/hooks';
import { Chart } from '../chart.js';
import { html, Notice, Field, Mono, fmtTime } from '../ui.js';
import { api } from '../lib/api.js';
import { operatorToken } from '../lib/store.js';

const GREEN = '#2bb673';
const GOLD = '#f2c94c';
const RED = '#e25c5c';
const MUTED = '#9aa59e';
const GRID = '#26302a';
const REFRESH_MS = 15000;

export function OpsPage() {
  const [token, setToken] = useState(operatorToken.get());
  if (!token) return html`<${TokenForm} onToken=${(t) => { operatorToken.set(t); setToken(t); }} />`;
  return html`<${Dashboard} token=${token} onSignOut=${() => { operatorToken.clear(); setToken(null); }} />`;
}

function TokenForm({ onToken, error }) {
  const [t, setT] = useState('');
  return html`<section class="page narrow">
    <h1>Operator dashboard</h1>
    <form class="card" id="token-form" onSubmit=${(e) => { e.preventDefault(); if (t.trim()) onToken(t.trim()); }}>
      <${Field} label="Operator token" hint="RAREGEN_ADMIN_TOKEN; ./raregen local prints where it is. Kept in this tab only.">
        <input type="password" id="operator-token" value=${t} onInput=${(e) => setT(e.target.value)} autocomplete="off" />
      <//>
      <${Notice} kind="error">${error}<//>
      <button class="btn btn-primary" id="operator-sign-in">Open dashboard</button>
    </form>
  </section>`;
}

function Dashboard({ token, onSignOut }) {
  const [series, setSeries] = useState(null);
  const [summary, setSummary] = useState(null);
  const [failed, setFailed] = useState(null);
  const [error, setError] = useState(null);
  const [updated, setUpdated] = useState(null);
  const [minutes, setMinutes] = useState(60);

  async function load() {
    try {
      const [s, m, f] = await Promise.all([api.opsSeries(token, minutes), api.opsSummary(token), api.opsFailedJobs(token, 50)]);
      setSeries(s.body);
      setSummary(m.body);
      setFailed(f.body.jobs || []);
      setUpdated(new Date());
      setError(null);
    } catch (e) {
      if (e.status === 401) {
        onSignOut();
        return;
      }
      setError(e.status === 404 ? 'This server has no operator history endpoints (/v1/ops/*).' : `${e.code}: ${e.message}`);
    }
  }

  useEffect(() => {
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [token, minutes]);

  async function retry(id) {
    try {
      await api.opsRetry(token, id);
      await load();
    } catch (e) {
      setError(`retry ${id}: ${e.code}: ${e.message}`);
    }
  }

  const pts = series?.points || [];
  const xs = pts.map((p) => Date.parse(p.t) / 1000);
  const step = series?.stepSeconds || 60;
  const col = (f, scale = 1) => pts.map((p) => (p[f] == null ? null : p[f] * scale));
  const errorRate = pts.map((p) => {
    const done = (p.sent || 0) + (p.failed || 0);
    return done === 0 ? null : (100 * (p.failed || 0)) / done;
  });

  return html`<section class="page wide">
    <div class="row spread">
      <h1>Operator dashboard</h1>
      <div class="row">
        <select id="ops-range" value=${minutes} onChange=${(e) => setMinutes(Number(e.target.value))}>
          <option value="60">last hour</option><option value="360">last 6 hours</option><option value="1440">last 24 hours</option>
        </select>
        <button class="btn btn-ghost btn-small" onClick=${load} id="ops-refresh">Refresh</button>
        <button class="btn btn-ghost btn-small" onClick=${onSignOut} id="ops-sign-out">Sign out</button>
      </div>
    </div>
    <${Notice} kind="error" id="ops-error">${error}<//>
    ${summary && html`<div class="stats" id="ops-stats">
      <${Stat} label="Pool available" value=${summary.pool?.available} warn=${summary.pool && summary.pool.available < summary.pool.alertThreshold}
        sub=${`${summary.pool?.reserved ?? 0} reserved · alert below ${summary.pool?.alertThreshold}`} id="stat-pool" />
      <${Stat} label="Pool satoshis" value=${summary.pool?.availableSatoshis?.toLocaleString()} />
      <${Stat} label="Dead-letter queue" value=${summary.dlqDepth ?? '—'} warn=${summary.dlqDepth > 0} sub=${summary.dlqDepth == null ? 'not reachable' : 'messages'} id="stat-dlq" />
      <${Stat} label="Failed jobs" value=${summary.failedJobs} warn=${summary.failedJobs > 0} />
      <div class="stat wide-stat"><span class="stat-label">Funding address</span>
        <${Mono} cls="wrap" id="funding-address">${summary.funding?.address ?? 'not sampled yet'}<//>
        <span class="stat-sub">${summary.funding?.balanceSatoshis?.toLocaleString()} sats</span></div>
    </div>`}
    ${series && html`<div class="charts" id="ops-charts">
      <${Chart} id="chart-pool" title="Pool depth" unit="UTXOs" xs=${xs}
        series=${[{ label: 'available', stroke: GREEN, fill: 'rgba(43,182,115,0.12)', data: col('poolDepth') },
                  { label: 'alert threshold', stroke: RED, dash: [6, 4], data: xs.map(() => series.poolAlertThreshold) }]} />
      <${Chart} id="chart-throughput" title="Throughput" unit="tx/s" xs=${xs}
        series=${[{ label: 'accepted', stroke: GOLD, data: col('accepted', 1 / step) },
                  { label: 'sent', stroke: GREEN, data: col('sent', 1 / step) },
                  { label: 'mined', stroke: '#6fa8dc', data: col('mined', 1 / step) }]} />
      <${Chart} id="chart-batches" title="Batch size" unit="jobs per batch" xs=${xs}
        series=${[{ label: 'average batch', stroke: GOLD, fill: 'rgba(242,201,76,0.12)', data: col('avgBatchSize') },
                  { label: 'batches / min', stroke: MUTED, data: col('batches') }]} />
      <${Chart} id="chart-latency" title="Accept → sent latency" unit="ms" xs=${xs}
        series=${[{ label: 'p50', stroke: GREEN, data: col('latencyP50Ms') },
                  { label: 'p90', stroke: GOLD, data: col('latencyP90Ms') },
                  { label: 'p99', stroke: RED, data: col('latencyP99Ms') }]} />
      <${Chart} id="chart-errors" title="Error rate" unit="% of finished jobs" xs=${xs}
        series=${[{ label: 'failed %', stroke: RED, fill: 'rgba(226,92,92,0.12)', data: errorRate }]} />
    </div>`}
    ${failed && html`<div class="card" id="failed-jobs">
      <h2>Failed jobs</h2>
      ${failed.length === 0 ? html`<p class="muted">None.</p>` : html`<table class="table"><thead><tr><th>Job</th><th>Failed</th><th>Error</th><th></th></tr></thead>
        <tbody>${failed.map((j) => html`<tr data-job=${j.jobId}><td><a class="mono" href=${`#/jobs/${j.jobId}`}>${j.jobId}</a></td>
          <td>${fmtTime(j.failedAt)}</td><td class="err">${j.error}</td>
          <td>${j.retryable === false
            ? html`<span class="muted small" title="It holds a signed transaction that may still reach the chain">not retried</span>`
            : html`<button class="btn btn-ghost btn-small retry" onClick=${() => retry(j.jobId)}>Retry</button>`}</td></tr>`)}</tbody></table>`}
    </div>`}
    ${updated && html`<p class="muted small">Updated ${updated.toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s</p>`}
  </section>`;
}

function Stat({ label, value, sub, warn, id }) {
  return html`<div class=${`stat ${warn ? 'stat-warn' : ''}`} id=${id}><span class="stat-label">${label}</span>
    <span class="stat-value">${value ?? '—'}</span>${sub && html`<span class="stat-sub">${sub}</span>`}</div>`;
}

