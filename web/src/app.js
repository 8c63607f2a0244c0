// The RareGen web app: hash routes (#/publish, #/keys, #/jobs/{id}, #/ops) so that every view
// is a shareable link that works from static hosting too.
import { render } from 'preact';
import { useState, useEffect } from 'preact/hooks';
import { html, Lion, Notice } from './ui.js';
import { KeysPage } from './pages/keys.js';
import { PublishPage } from './pages/publish.js';
import { JobPage } from './pages/job.js';
import { OpsPage } from './pages/ops.js';
import { AccountPage } from './pages/account.js';
import { loadConfig, DEFAULT_CONFIG, ULID } from './lib/api.js';
import { keyStore, accountSession } from './lib/store.js';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => {
      setHash(location.hash);
      window.scrollTo(0, 0);
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const path = hash.replace(/^#/, '') || '/';
  return path.split('/').filter(Boolean);
}

function JobSearch() {
  const [id, setId] = useState('');
  const [bad, setBad] = useState(false);
  return html`<form class="search" role="search" id="job-search" onSubmit=${(e) => {
    e.preventDefault();
    const v = id.trim();
    if (!ULID.test(v)) return setBad(true);
    setBad(false);
    setId('');
    location.hash = `#/jobs/${v.toUpperCase()}`;
  }}>
    <input id="job-search-input" placeholder="Look up a job id" aria-label="Job id" value=${id} aria-invalid=${bad ? 'true' : 'false'}
      onInput=${(e) => { setId(e.target.value); setBad(false); }} class=${bad ? 'invalid' : ''} title=${bad ? 'A job id is 26 characters (ULID)' : ''} />
  </form>`;
}

function App() {
  const route = useRoute();
  const [config, setConfig] = useState(DEFAULT_CONFIG);
  const [keys, setKeys] = useState({ loading: true });
  const [session, setSession] = useState(accountSession.get());

  async function reloadKeys() {
    const [doc, registered] = await Promise.all([keyStore.load(), keyStore.registered()]);
    setKeys({ doc: doc || null, registered: registered || null });
  }
  useEffect(() => {
    loadConfig().then(setConfig);
    reloadKeys().catch((e) => setKeys({ error: e.message }));
  }, []);

  const [section, arg] = route;
  let page;
  if (keys.loading) page = html`<p class="muted page">Loading…</p>`;
  else if (keys.error) page = html`<section class="page"><${Notice} kind="error">This browser does not let the page store keys (IndexedDB): ${keys.error}<//></section>`;
  else if (section === 'jobs' && arg) {
    // keyed by the id: another job's page is a new page, showing nothing of the previous one even for a moment
    const jobId = arg.toUpperCase();
    page = html`<${JobPage} key=${jobId} jobId=${jobId} config=${config} keys=${keys} />`;
  }
  else if (section === 'keys') page = html`<${KeysPage} keys=${keys} onChange=${reloadKeys} session=${session} />`;
  else if (section === 'account') page = html`<${AccountPage} session=${session} onSession=${setSession} />`;
  else if (section === 'ops') page = html`<${OpsPage} />`;
  else if (section === 'publish' || keys.doc) page = html`<${PublishPage} keys=${keys} config=${config} />`;
  else page = html`<${Welcome} />`;

  const nav = (href, label, active) => html`<a href=${href} class=${active ? 'active' : ''} id=${`nav-${label.toLowerCase()}`}>${label}</a>`;
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="#/"><${Lion} size=${38} /><span class="wordmark">Rare<span class="gold">Gen</span></span></a>
      <nav class="nav">
        ${nav('#/publish', 'Publish', section === 'publish' || (!section && keys.doc))}
        ${nav('#/keys', 'Keys', section === 'keys')}
        <a href="#/account" class=${section === 'account' ? 'active' : ''} id="nav-account">${session ? 'Account' : 'Sign in'}</a>
        ${nav('#/ops', 'Operator', section === 'ops')}
      </nav>
      <${JobSearch} />
    </header>
    <main>${page}</main>
    <footer class="foot"><span class="stripe" aria-hidden="true"><i class="g"></i><i class="y"></i><i class="r"></i></span>
      <span class="muted small">Records signed in your browser, published on BSV. Keys never leave this device unencrypted.</span></footer>
  </div>`;
}

function Welcome() {
  return html`<section class="page hero">
    <${Lion} size=${120} />
    <h1>Publish signed records on-chain</h1>
    <p class="lead">Create a key in your browser, register it, and publish JSON records that anyone can verify:
      who signed them, and the block they are in.</p>
    <div class="row center">
      <a class="btn btn-primary" href="#/keys" id="get-started">Create or import a key</a>
      <a class="btn btn-ghost" href="#/ops">Operator dashboard</a>
    </div>
    <ol class="steps-intro">
      <li><strong>Key</strong> — generated here, sealed with your passphrase.</li>
      <li><strong>Publish</strong> — canonical JSON, signed, sent.</li>
      <li><strong>Verify</strong> — the page checks the transaction and the block itself.</li>
    </ol>
  </section>`;
}

render(html`<${App} />`, document.getElementById('app'));
// a User Timing mark: how long after navigation the first view was on screen
performance.mark('raregen:first-render');
