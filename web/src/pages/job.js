// One job: its timeline, live until mined or failed, and a Verify button that checks the proof
// in this browser against a block header from a source other than the API.
import { useState, useEffect, useRef } from 'preact/hooks';
import { html, Notice, Mono, StatusBadge, fmtTime, download, short } from '../ui.js';
import { api } from '../lib/api.js';
import { verifyProof, headerUrl, parseHeaderAnswer } from '../lib/verify.js';

const STEPS = [
  { key: 'queued', label: 'Queued', at: 'createdAt', note: 'accepted and stored' },
  { key: 'signed', label: 'Signed', at: 'signedAt', note: 'in a transaction' },
  { key: 'sent', label: 'Sent', at: 'sentAt', note: 'broadcast' },
  { key: 'mined', label: 'Mined', at: 'minedAt', note: 'in a block' },
];
const ORDER = { queued: 0, processing: 0, signed: 1, sent: 2, mined: 3 };

const POLL_MS = 2000;
const SAFETY_MS = 30000;
const READY_WITHIN_MS = 5000;

/** The URL of the API's event stream for one key, from now on (EventSource adds Last-Event-ID when it reconnects). */
export function eventsUrl(pubkey) {
  return `/v1/events?pubkey=${encodeURIComponent(pubkey)}&from=now`;
}

export function JobPage({ jobId, config, keys }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  const [mode, setMode] = useState(null);
  const timer = useRef();

  // Follows the job until mined or failed: by the API's event stream (GET /v1/events) when the browser has
  // EventSource, re-reading the job on each of its events; by polling every 2 s otherwise, or when the stream
  // does not open. While streaming, a slow re-read every 30 s covers anything a stream could miss.
  useEffect(() => {
    let stop = false;
    let source = null;
    let polling = false;
    let gone = false; // a 4xx: no job to follow
    setJob(null);
    setError(null);
    setMode(null);
    const final = (j) => j && (j.status === 'mined' || j.status === 'failed');
    const closeStream = () => {
      if (source) source.close();
      source = null;
    };
    const load = async () => {
      try {
        const r = await api.job(jobId);
        if (stop) return null;
        setJob(r.body);
        setError(null);
        if (final(r.body)) {
          closeStream();
          clearTimeout(timer.current);
        }
        return r.body;
      } catch (e) {
        if (stop) return null;
        setError(e);
        if (e.status >= 400 && e.status < 500) {
          gone = true;
          closeStream();
          clearTimeout(timer.current);
        }
        return null;
      }
    };
    const poll = async () => {
      polling = true;
      closeStream();
      setMode('poll');
      const j = await load();
      if (stop || gone || final(j)) return;
      timer.current = setTimeout(poll, POLL_MS);
    };
    const safety = async () => {
      const j = await load();
      if (!stop && !polling && !gone && !final(j)) timer.current = setTimeout(safety, SAFETY_MS);
    };
    const stream = (pubkey) => {
      source = new EventSource(eventsUrl(pubkey));
      let ready = false;
      const fallback = setTimeout(() => { if (!ready && !stop) poll(); }, READY_WITHIN_MS);
      source.addEventListener('ready', () => {
        ready = true;
        clearTimeout(fallback);
        setMode('stream');
        // the job may have moved between the first read and the stream's start: read it once more
        clearTimeout(timer.current);
        safety();
      });
      for (const type of ['job.sent', 'job.mined', 'job.failed', 'job.reorged']) {
        source.addEventListener(type, (ev) => {
          try {
            if (JSON.parse(ev.data).jobId === jobId) load();
          } catch {
            // not an event of ours
          }
        });
      }
      source.onerror = () => {
        // EventSource reconnects by itself after each window; a closed one did not come back
        if (source && source.readyState === EventSource.CLOSED && !stop) {
          clearTimeout(fallback);
          poll();
        }
      };
    };
    (async () => {
      const j = await load();
      if (stop || gone || final(j)) return;
      if (!j) {
        poll(); // the API did not answer: try again in a moment
        return;
      }
      if (typeof window.EventSource === 'function') stream(j.pubkey);
      else poll();
    })();
    return () => {
      stop = true;
      closeStream();
      clearTimeout(timer.current);
    };
  }, [jobId]);

  return html`<section class="page">
    <h1>Record <span class="mono title-id" id="job-id">${jobId}</span></h1>
    ${error && html`<${Notice} kind="error" id="job-error">${error.code === 'JOB_NOT_FOUND' ? 'No job with this id.' : `${error.code}: ${error.message}`}<//>`}
    ${!job && !error && html`<p class="muted">Loading…</p>`}
    ${job && html`
      <div class="card">
        <div class="row spread"><h2>Progress</h2><${StatusBadge} status=${job.status} /></div>
        <${Timeline} job=${job} />
        ${mode && html`<p class="muted live" id="job-live" data-mode=${mode}>${
          job.status === 'mined' || job.status === 'failed'
            ? (mode === 'stream' ? 'Followed live by the event stream' : 'Followed by checking every 2 s')
            : mode === 'stream' ? html`<span class="live-dot" aria-hidden="true"></span> Live updates from the event stream` : 'Checking every 2 s'}</p>`}
        ${job.status === 'failed' && html`<${Notice} kind="error" id="job-failed">Failed: ${job.error?.code} — ${job.error?.detail}<//>`}
        <dl class="facts">
          ${job.txid && html`<dt>Transaction</dt><dd><${Mono} cls="wrap" id="job-txid">${job.txid}<//></dd>`}
          ${job.batchId && html`<dt>Batch</dt><dd><${Mono} id="job-batch">${job.batchId}<//>${job.batchSeq != null && html` <span class="muted">#${job.batchSeq}</span>`}</dd>`}
          ${job.blockHeight != null && html`<dt>Block</dt><dd id="job-block"><strong>${job.blockHeight}</strong> <${Mono} cls="muted">${short(job.blockHash, 12)}<//></dd>`}
          <dt>Signer</dt><dd><${Mono} cls="wrap">${job.pubkey}<//></dd>
          ${job.recordId && html`<dt>Record id</dt><dd>${job.recordId}</dd>`}
          <dt>Share</dt><dd><a href=${`#/jobs/${job.jobId}`} id="share-link">${location.origin}/#/jobs/${job.jobId}</a></dd>
        </dl>
      </div>
      <${VerifyPanel} job=${job} config=${config} keys=${keys} />`}
  </section>`;
}

function Timeline({ job }) {
  const reached = ORDER[job.status] ?? -1;
  return html`<ol class="timeline" id="timeline">
    ${STEPS.map((s, i) => {
      const at = job[s.at];
      const done = i <= reached || !!at;
      const current = i === reached + 1 && job.status !== 'failed';
      return html`<li class=${`step ${done ? 'done' : ''} ${current ? 'current' : ''}`} data-step=${s.key} data-done=${done ? 'true' : 'false'}>
        <span class="dot" aria-hidden="true"></span>
        <span class="step-label">${s.label}</span>
        <span class="step-time" data-time=${at || ''}>${at ? fmtTime(at) : current ? 'waiting…' : ''}</span>
        <span class="step-note muted">${s.note}</span>
      </li>`;
    })}
  </ol>`;
}

function headerSource(template) {
  return async (hash, height) => {
    const r = await fetch(headerUrl(template, hash, height), { headers: { Accept: 'application/json' } });
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return parseHeaderAnswer(await r.text());
  };
}

function VerifyPanel({ job, config, keys }) {
  const [report, setReport] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [proof, setProof] = useState(null);
  // an anchor-mode record is a leaf of its batch's tree, not in the transaction itself: this page's check is for
  // record mode, and `raregen verify` checks anchor receipts (docs/PROTOCOL.md, "Anchor mode")
  const anchored = job.mode === 'anchor';
  const canVerify = !anchored && ['signed', 'sent', 'mined'].includes(job.status);
  const headersName = new URL(headerUrl(config.headersUrl, '{hash}'), location.href).host;

  async function run(p) {
    setBusy(true);
    setError(null);
    try {
      const expectedSigner = keys.doc && keys.doc.public.identity === job.pubkey ? job.pubkey : null;
      setReport(await verifyProof(p, { headers: headerSource(config.headersUrl), headersName, expectedSigner }));
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  async function verifyFromApi() {
    try {
      const r = await api.proof(job.jobId);
      setProof(r.body);
      await run(r.body);
    } catch (e) {
      setError(`${e.code ? e.code + ': ' : ''}${e.message}`);
    }
  }

  async function verifyFile(e) {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    let p;
    try {
      p = JSON.parse(await f.text());
    } catch {
      setError(`${f.name} is not JSON`);
      return;
    }
    setProof(p);
    await run(p);
  }

  return html`<div class="card">
    <div class="row spread">
      <h2>Verify</h2>
      <div class="row">
        <button class="btn btn-primary" id="verify" disabled=${!canVerify || busy} onClick=${verifyFromApi}>${busy ? 'Checking…' : 'Verify in this browser'}</button>
        <label class="btn btn-ghost file-btn">Check a saved proof…<input type="file" id="proof-file" accept=".json,application/json" onChange=${verifyFile} /></label>
        ${proof && html`<button class="btn btn-ghost" id="download-proof" onClick=${() => download(`proof-${job.jobId}.json`, JSON.stringify(proof, null, 2))}>Download proof</button>`}
      </div>
    </div>
    <p class="muted small">Decodes the transaction and its record, checks your signature and the txid, follows the merkle path,
      and compares it with the block header from <strong>${headersName}</strong> — not with anything the API says.</p>
    ${anchored ? html`<${Notice} kind="info" id="verify-anchor">This record was published in anchor mode, as one leaf of a
        batch whose root one transaction carries. This browser check covers records with a transaction of their own;
        verify this one with <code>raregen verify</code> on its receipt (<code>GET /v1/jobs/${job.jobId}/receipt</code>).<//>`
      : !canVerify && html`<p class="muted">Available once the record is in a signed transaction.</p>`}
    <${Notice} kind="error" id="verify-error">${error}<//>
    ${report && html`<div class=${`verdict verdict-${report.result.toLowerCase()}`} id="verify-result" data-result=${report.result}>
        ${report.result === 'PASS' ? (report.mined ? 'Verified: signed by the key shown and mined in the block shown.' : 'Verified so far: signed and broadcast; not mined yet.') : 'Verification FAILED'}
      </div>
      <ul class="checks" id="verify-checks">${report.checks.map((c) => html`<li class=${`check check-${c.outcome.toLowerCase()}`} data-check=${c.check} data-outcome=${c.outcome}>
        <span class="check-outcome">${c.outcome}</span><span class="check-name">${c.check}</span><span class="check-reason">${c.reason}</span></li>`)}</ul>`}
  </div>`;
}
