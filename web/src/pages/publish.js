// Publish: one record typed in, or many .json files dropped. Everything is checked before
// anything is sent (JSON, size once signed, the passphrase); then each record is signed and
// posted in turn, with a progress bar and a live status per record.
import { useState, useEffect, useRef } from 'preact/hooks';
import { html, Notice, Field, StatusBadge, short } from '../ui.js';
import { unlockKeyFile, WrongPassphraseError } from '../lib/keyfile.js';
import { publishPayload, sign, payloadBytes } from '../lib/envelope.js';
import { api } from '../lib/api.js';
import { recentJobs } from '../lib/store.js';

const EXAMPLE = '{\n  "title": "Hello from RareGen",\n  "tags": ["first"]\n}';
const FINAL = new Set(['mined', 'failed']);

/** Parses and sizes each item; returns [{name, record?, error?}]. */
export function prepare(items, maxBytes) {
  return items.map(({ name, text }) => {
    let record;
    try {
      record = JSON.parse(text);
    } catch (e) {
      return { name, error: `not valid JSON: ${e.message}` };
    }
    if (record === null) return { name, error: 'the record is null; publish an object, array, string or number' };
    // the real nonce and time have the same length as these, so the size is exact
    const size = payloadBytes(publishPayload(record, { n: '0'.repeat(32) }));
    if (size > maxBytes) return { name, error: `${size.toLocaleString()} bytes once signed; the limit is ${maxBytes.toLocaleString()} bytes` };
    return { name, record, size };
  });
}

export function PublishPage({ keys, config }) {
  const [text, setText] = useState(EXAMPLE);
  const [recordId, setRecordId] = useState('');
  const [files, setFiles] = useState([]);
  const [pass, setPass] = useState('');
  const [problems, setProblems] = useState(null);
  const [passError, setPassError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(null);
  const [results, setResults] = useState([]);
  const [drag, setDrag] = useState(false);

  if (!keys.doc) {
    return html`<section class="page"><h1>Publish</h1>
      <${Notice} kind="info">You need a key first. <a href="#/keys">Create or import one</a>.<//></section>`;
  }

  async function addFiles(list) {
    const read = await Promise.all([...list].map(async (f) => ({ name: f.name, text: await f.text() })));
    setFiles((old) => [...old, ...read]);
    setProblems(null);
  }

  async function submit(e) {
    e.preventDefault();
    setProblems(null);
    setPassError(null);
    const items = files.length ? files : [{ name: 'record', text }];
    const prepared = prepare(items, config.maxPayloadBytes);
    const bad = prepared.filter((p) => p.error);
    if (bad.length) {
      setProblems(bad);
      return;
    }
    setBusy(true);
    let identity;
    try {
      ({ identity } = await unlockKeyFile(keys.doc, pass));
    } catch (err) {
      setPassError(err instanceof WrongPassphraseError ? 'Wrong passphrase: nothing was sent.' : err.message);
      setBusy(false);
      return;
    }
    const rows = prepared.map((p) => ({ name: p.name, state: 'waiting' }));
    setResults(rows.map((r) => ({ ...r })));
    setProgress({ done: 0, total: prepared.length });
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i];
      try {
        const rid = files.length ? undefined : recordId.trim() || undefined;
        const env = sign(publishPayload(p.record, { recordId: rid }), identity);
        const r = await api.publish(env);
        rows[i] = { name: p.name, state: 'accepted', jobId: r.body.jobId, status: r.body.status || 'queued' };
        recentJobs.add({ jobId: r.body.jobId, name: p.name, at: new Date().toISOString() });
      } catch (err) {
        rows[i] = { name: p.name, state: 'error', error: `${err.code ? err.code + ': ' : ''}${err.message}` };
      }
      setResults(rows.map((r) => ({ ...r })));
      setProgress({ done: i + 1, total: prepared.length });
    }
    identity.fill(0);
    setPass('');
    setBusy(false);
    if (files.length) setFiles([]);
  }

  const pct = progress ? Math.round((100 * progress.done) / progress.total) : 0;
  return html`<section class="page">
    <h1>Publish a record</h1>
    <p class="lead">The record is put in RFC 8785 canonical form, signed with your identity key in this browser,
      and published in an <code>OP_FALSE OP_RETURN</code> output of a BSV transaction.</p>
    <form class="card" onSubmit=${submit} id="publish-form">
      ${files.length === 0 ? html`
        <${Field} label="Record (JSON)">
          <textarea id="record-json" rows="8" spellcheck="false" value=${text} onInput=${(e) => { setText(e.target.value); setProblems(null); }} />
        <//>
        <${Field} label="Record id (optional)" hint="Your own reference, stored with the record.">
          <input id="record-id" value=${recordId} onInput=${(e) => setRecordId(e.target.value)} maxlength="256" />
        <//>` : html`
        <div class="filelist" id="file-list">
          <div class="row spread"><strong>${files.length} file${files.length > 1 ? 's' : ''} to publish</strong>
            <button type="button" class="btn btn-ghost btn-small" onClick=${() => setFiles([])} id="clear-files">Clear</button></div>
          <ul>${files.map((f) => html`<li>${f.name}</li>`)}</ul>
        </div>`}
      <div class=${`dropzone ${drag ? 'drag' : ''}`}
           onDragOver=${(e) => { e.preventDefault(); setDrag(true); }}
           onDragLeave=${() => setDrag(false)}
           onDrop=${(e) => { e.preventDefault(); setDrag(false); addFiles(e.dataTransfer.files); }}>
        Drop <code>.json</code> files here, or${' '}<label class="linklike">choose files<input type="file" id="record-files" multiple accept=".json,application/json"
          onChange=${(e) => { addFiles(e.target.files); e.target.value = ''; }} /></label>
      </div>
      ${problems && html`<${Notice} kind="error" id="publish-problems">
        <strong>Nothing was sent.</strong> Fix ${problems.length === 1 ? 'this' : 'these'} first:
        <ul>${problems.map((p) => html`<li><strong>${p.name}</strong>: ${p.error}</li>`)}</ul><//>`}
      <div class="row bottom">
        <${Field} label="Passphrase">
          <input type="password" id="publish-passphrase" autocomplete="current-password" value=${pass} onInput=${(e) => { setPass(e.target.value); setPassError(null); }} />
        <//>
        <button class="btn btn-primary" id="publish" disabled=${busy || !pass}>${busy ? 'Publishing…' : files.length > 1 ? `Sign and publish ${files.length} records` : 'Sign and publish'}</button>
      </div>
      <${Notice} kind="error" id="passphrase-error">${passError}<//>
      ${keys.registered !== keys.doc.public.identity && html`<p class="muted small">Not registered from this browser yet? <a href="#/keys">Register your key</a> first, or the API answers IDENTITY_UNKNOWN.</p>`}
    </form>
    ${progress && html`<div class="card">
      <div class="row spread"><strong>Published ${progress.done} of ${progress.total}</strong><span class="muted">${pct}%</span></div>
      <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${progress.total} aria-valuenow=${progress.done} id="publish-progress">
        <div class="progress-bar" style=${{ width: `${pct}%` }} /></div>
      <ul class="results" id="publish-results">${results.map((r) => html`<${ResultRow} row=${r} />`)}</ul>
    </div>`}
    <${RecentJobs} />
  </section>`;
}

function ResultRow({ row }) {
  const status = useJobStatus(row.jobId);
  if (row.state === 'error') {
    return html`<li class="result result-error" data-name=${row.name}><span class="name">${row.name}</span><span class="err">${row.error}</span></li>`;
  }
  if (row.state !== 'accepted') return html`<li class="result" data-name=${row.name}><span class="name">${row.name}</span><span class="muted">waiting…</span></li>`;
  return html`<li class="result" data-name=${row.name} data-job=${row.jobId}>
    <span class="name">${row.name}</span>
    <a class="mono" href=${`#/jobs/${row.jobId}`}>${row.jobId}</a>
    <${StatusBadge} status=${status || row.status} />
  </li>`;
}

/** Polls a job's status every 2 s until it is mined or failed. */
export function useJobStatus(jobId) {
  const [status, setStatus] = useState(null);
  const timer = useRef();
  useEffect(() => {
    if (!jobId) return undefined;
    let stop = false;
    const tick = async () => {
      try {
        const r = await api.job(jobId);
        if (stop) return;
        setStatus(r.body.status);
        if (FINAL.has(r.body.status)) return;
      } catch {
        // a transient failure: the next poll tries again
      }
      if (!stop) timer.current = setTimeout(tick, 2000);
    };
    tick();
    return () => {
      stop = true;
      clearTimeout(timer.current);
    };
  }, [jobId]);
  return status;
}

function RecentJobs() {
  const list = recentJobs.list().slice(0, 10);
  if (!list.length) return null;
  return html`<div class="card">
    <h2>Recently published from this browser</h2>
    <ul class="results">${list.map((j) => html`<li class="result"><span class="name">${j.name}</span>
      <a class="mono" href=${`#/jobs/${j.jobId}`}>${short(j.jobId, 13)}</a><span class="muted small">${new Date(j.at).toLocaleString()}</span></li>`)}</ul>
  </div>`;
}
