// The account: sign in with a code mailed to you, then your credits (with their history as a chart),
// every ledger entry, your keys, your newest jobs and your sessions.
import { useState, useEffect } from 'preact/hooks';
import { html, Notice, Field, Mono, fmtTime, short, StatusBadge } from '../ui.js';
import { Chart } from '../chart.js';
import { api } from '../lib/api.js';
import { accountSession } from '../lib/store.js';
import qrcode from 'qrcode-generator';

const GOLD = '#f2c94c';

export function AccountPage({ session, onSession }) {
  if (!session) return html`<${SignIn} onSession=${onSession} />`;
  return html`<${Account} session=${session} onSession=${onSession} />`;
}

function SignIn({ onSession }) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);

  async function send(e) {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      await api.requestCode(email.trim());
      setSent(true);
      setMsg({ kind: 'ok', text: `A 6-digit code is on its way to ${email.trim()}. It is valid for 10 minutes.` });
    } catch (err) {
      setMsg({ kind: 'error', text: explain(err) });
    } finally {
      setBusy(false);
    }
  }

  async function signIn(e) {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const r = await api.signIn(email.trim(), code.trim());
      const s = { token: r.body.token, email: r.body.account.email, accountId: r.body.account.accountId, created: r.body.accountCreated };
      accountSession.set(s);
      onSession(s);
    } catch (err) {
      setMsg({ kind: 'error', text: explain(err) });
    } finally {
      setBusy(false);
    }
  }

  return html`<section class="page narrow">
    <h1>Sign in</h1>
    <p class="lead">No password: we mail you a one-time code. The first sign-in creates your account, with free starter credits.</p>
    <form class="card" id="signin-email-form" onSubmit=${send}>
      <${Field} label="Email address">
        <input type="email" id="signin-email" autocomplete="email" value=${email} onInput=${(e) => setEmail(e.target.value)} required />
      <//>
      <button class="btn ${sent ? 'btn-ghost' : 'btn-primary'}" id="send-code" disabled=${busy || !email.trim()}>${sent ? 'Send a new code' : 'Send me a code'}</button>
    </form>
    ${sent && html`<form class="card" id="signin-code-form" onSubmit=${signIn}>
      <${Field} label="Code from the mail" hint="6 digits">
        <input id="signin-code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"
          value=${code} onInput=${(e) => setCode(e.target.value.replace(/[^0-9]/g, ''))} required />
      <//>
      <button class="btn btn-primary" id="sign-in" disabled=${busy || code.length !== 6}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>`}
    ${msg && html`<${Notice} kind=${msg.kind} id="signin-message">${msg.text}<//>`}
  </section>`;
}

function explain(err) {
  switch (err.code) {
    case 'EMAIL_INVALID': return 'That is not an email address we can send to.';
    case 'OTP_INVALID': return 'That code is wrong, expired or used up. Ask for a new one.';
    case 'RATE_LIMITED': return `Too many codes asked for. ${err.message}`;
    case 'MAIL_UNAVAILABLE': return 'The mail could not be sent just now. Try again in a minute.';
    default: return `${err.code ? err.code + ' — ' : ''}${err.message}`;
  }
}

function Account({ session, onSession }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  async function load() {
    try {
      const [me, ledger, jobs, sessions] = await Promise.all([api.me(session.token), api.ledger(session.token),
        api.accountJobs(session.token), api.sessions(session.token)]);
      setData({ me: me.body, ledger: ledger.body, jobs: jobs.body.jobs, sessions: sessions.body.sessions });
    } catch (err) {
      if (err.code === 'SESSION_INVALID') {
        accountSession.clear();
        onSession(null);
      } else {
        setError(err.message);
      }
    }
  }
  useEffect(() => {
    load();
  }, [session.token]);

  async function signOut() {
    try {
      await api.signOut(session.token);
    } catch {
      // expired or revoked already: forgetting it is what is left
    }
    accountSession.clear();
    onSession(null);
  }

  async function revoke(id) {
    await api.revokeSession(session.token, id);
    await load();
  }

  if (error) return html`<section class="page"><${Notice} kind="error">${error}<//></section>`;
  if (!data) return html`<p class="muted page">Loading your account…</p>`;
  const { me, ledger, jobs, sessions } = data;
  const credits = me.account.credits;
  return html`<section class="page">
    <div class="row spread"><h1>Your account</h1><button class="btn btn-ghost" id="sign-out" onClick=${signOut}>Sign out</button></div>
    ${session.created && html`<${Notice} kind="ok" id="welcome">Welcome! Your account starts with ${ledger.entries.find((e) => e.kind === 'starter')?.delta ?? 0} free credits: one publishes one record.<//>`}
    <div class="stats">
      <div class=${`stat ${credits < 1 ? 'stat-warn' : ''}`} id="credits"><span class="stat-label">Credits</span>
        <span class="stat-value" id="credits-value">${credits}</span><span class="stat-sub">one per published record</span></div>
      <div class="stat"><span class="stat-label">Signed in as</span><span class="stat-value small-value" id="account-email">${me.account.email}</span>
        <span class="stat-sub">since ${fmtTime(me.account.createdAt)}</span></div>
      <div class="stat"><span class="stat-label">Keys</span><span class="stat-value" id="account-keys">${me.keys.length}</span>
        <span class="stat-sub">${me.keys.length ? 'registered to this account' : html`register one on the <a href="#/keys">Keys</a> page`}</span></div>
    </div>
    ${credits < 1 && html`<${Notice} kind="error" id="no-credits">No credits left: publishing answers CREDITS_EXHAUSTED until credits are added.<//>`}
    <${CreditsChart} entries=${ledger.entries} balance=${credits} />
    <${TopUp} token=${session.token} onCredited=${load} />
    <div class="grid2">
      <div class="card span-all"><h2>Credit history</h2>
        <table class="table" id="ledger"><thead><tr><th>When</th><th>Change</th><th>Kind</th><th>Detail</th></tr></thead>
          <tbody>${ledger.entries.map((e) => html`<tr data-kind=${e.kind}><td>${fmtTime(e.createdAt)}</td>
            <td class=${e.delta > 0 ? 'pos' : 'neg'}>${e.delta > 0 ? '+' : ''}${e.delta}</td><td>${e.kind}</td>
            <td>${e.jobs ? `${e.jobs} record${e.jobs === 1 ? '' : 's'}` : e.jobId ? html`<a href=${`#/jobs/${e.jobId}`}>${short(e.jobId, 12)}</a>` : e.note || ''}</td></tr>`)}</tbody></table></div>
      <div class="card"><h2>Keys</h2>
        ${me.keys.length === 0 ? html`<p class="muted">None yet. Registering a key while signed in makes it this account's.</p>`
          : html`<ul class="plain" id="key-list">${me.keys.map((k) => html`<li><${Mono}>${short(k.pubkey, 20)}<//> <span class="muted small">${k.status}</span></li>`)}</ul>`}</div>
      <div class="card"><h2>Sessions</h2>
        <ul class="plain" id="session-list">${sessions.map((s) => html`<li>
          <span>${s.current ? html`<strong>this browser</strong>` : (s.userAgent ? short(s.userAgent, 40) : 'a client')}</span>
          <span class="muted small"> since ${fmtTime(s.createdAt)}</span>
          ${!s.current && html` <button class="btn btn-danger-ghost btn-small" onClick=${() => revoke(s.sessionId)}>Revoke</button>`}</li>`)}</ul></div>
      <div class="card span-all"><h2>Newest records</h2>
        ${jobs.length === 0 ? html`<p class="muted">Nothing published yet. <a href="#/publish">Publish a record</a>.</p>`
          : html`<table class="table" id="account-jobs"><thead><tr><th>Job</th><th>Status</th><th>Created</th></tr></thead>
            <tbody>${jobs.map((j) => html`<tr><td><a href=${`#/jobs/${j.jobId}`}>${j.jobId}</a></td><td><${StatusBadge} status=${j.status} /></td>
              <td>${fmtTime(j.createdAt)}</td></tr>`)}</tbody></table>`}</div>
    </div>
  </section>`;
}

/** Top up in BSV: the account's own deposit address (with a QR code), the price, and the payments seen. */
function TopUp({ token, onCredited }) {
  const [deposit, setDeposit] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let credited = -1;
    let stop = false;
    async function poll() {
      try {
        const r = await api.deposit(token);
        if (stop) return;
        setDeposit(r.body);
        const n = r.body.payments.filter((p) => p.creditedAt).length;
        if (credited >= 0 && n > credited) onCredited();
        credited = n;
      } catch (err) {
        if (!stop) setError(err.code === 'DEPOSITS_UNAVAILABLE' ? 'Top-ups open once the service has published its deposit terms.' : err.message);
      }
    }
    poll();
    // a payment is credited a few blocks after it is sent: follow it while the page is open
    const t = setInterval(poll, 5000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [token]);
  if (error) return html`<div class="card" id="topup"><h2>Top up</h2><p class="muted">${error}</p></div>`;
  if (!deposit) return null;
  const qr = qrcode(0, 'M');
  qr.addData(`bitcoin:${deposit.address}`);
  qr.make();
  return html`<div class="card" id="topup"><h2>Top up with BSV</h2>
    <div class="row topup">
      <div class="qr" dangerouslySetInnerHTML=${{ __html: qr.createSvgTag({ cellSize: 3, margin: 2, scalable: true }) }} />
      <div>
        <p>Send BSV to your own deposit address:</p>
        <p><${Mono} cls="wrap" id="deposit-address">${deposit.address}<//></p>
        <p class="muted small">${`${deposit.satsPerCredit} satoshis buy one credit. A payment is credited once it is ${deposit.confirmations} blocks deep (${deposit.network}).`}</p>
      </div>
    </div>
    ${deposit.payments.length > 0 && html`<table class="table" id="deposit-payments"><thead><tr><th>Payment</th><th>Satoshis</th><th>Status</th></tr></thead>
      <tbody>${deposit.payments.map((p) => html`<tr data-credited=${p.creditedAt ? 'true' : 'false'}><td><${Mono}>${short(p.txid, 16)}:${p.vout}<//></td><td>${p.satoshis}</td>
        <td>${p.creditedAt ? html`<span class="badge badge-mined">+${p.credits} credits</span>`
          : html`<span class="badge badge-queued">${p.height ? `in block ${p.height}, waiting for confirmations` : 'not mined yet'}</span>`}</td></tr>`)}</tbody></table>`}
  </div>`;
}

/** The balance over time, rebuilt from the ledger (newest first) back from today's balance. */
function CreditsChart({ entries, balance }) {
  if (entries.length < 1) return null;
  const points = [];
  let b = balance;
  points.push([Date.now() / 1000, b]);
  for (const e of entries) {
    points.push([Date.parse(e.createdAt) / 1000, b]);
    b -= e.delta;
  }
  points.reverse();
  return html`<${Chart} id="credits-chart" title="Credits over time" unit="credits" stepped=${true}
    xs=${points.map((p) => p[0])} series=${[{ label: 'credits', stroke: GOLD, fill: 'rgba(242,201,76,0.12)', data: points.map((p) => p[1]) }]} />`;
}
