// Keys: made and sealed in the browser, kept in IndexedDB, exported and imported as the CLI's
// key file, registered with a proof of possession exactly as `raregen register` does.
import { useState } from 'preact/hooks';
import { html, Notice, Field, Mono, fmtTime, download } from '../ui.js';
import { createKeyFile, parseKeyFile, unlockKeyFile, WrongPassphraseError } from '../lib/keyfile.js';
import { registerPayload, sign } from '../lib/envelope.js';
import { api } from '../lib/api.js';
import { keyStore } from '../lib/store.js';
import { BackupCard, RecoverCard } from './backup.js';

const MIN_PASSPHRASE = 8;

export function KeysPage({ keys, onChange, session }) {
  return html`<section class="page">
    <h1>Your keys</h1>
    <p class="lead">Your identity key signs every record. It is generated in this browser and stored here encrypted
      with your passphrase; RareGen never sees it. The key file is the same one the <code>raregen</code> command line uses.</p>
    ${keys.doc ? html`<${KeyCard} keys=${keys} onChange=${onChange} session=${session} />` : html`<${NewKey} onChange=${onChange} />`}
  </section>`;
}

function NewKey({ onChange }) {
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  async function create(e) {
    e.preventDefault();
    setError(null);
    if (pass.length < MIN_PASSPHRASE) return setError(`Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
    if (pass !== again) return setError('The two passphrases differ.');
    setBusy(true);
    try {
      await keyStore.save(await createKeyFile(pass));
      await onChange();
    } catch (err) {
      setError(`Could not create the key: ${err.message}`);
    } finally {
      setBusy(false);
    }
  }

  return html`<div class="grid2">
    <form class="card" onSubmit=${create} id="create-key-form">
      <h2>Create a key</h2>
      <${Field} label="Passphrase" hint="Encrypts the key in this browser (PBKDF2, 600,000 rounds, AES-GCM). It cannot be recovered.">
        <input type="password" id="new-passphrase" autocomplete="new-password" value=${pass} onInput=${(e) => setPass(e.target.value)} />
      <//>
      <${Field} label="Passphrase again">
        <input type="password" id="new-passphrase-again" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.target.value)} />
      <//>
      <${Notice} kind="error" id="create-key-error">${error}<//>
      <button class="btn btn-primary" id="create-key" disabled=${busy}>${busy ? 'Creating…' : 'Create key'}</button>
    </form>
    <${ImportKey} onChange=${onChange} />
    <${RecoverCard} onChange=${onChange} />
  </div>`;
}

function ImportKey({ onChange, replacing }) {
  const [error, setError] = useState(null);
  async function pick(e) {
    setError(null);
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      const doc = parseKeyFile(await file.text());
      if (replacing && !confirm('Replace the key stored in this browser? Export it first if you still need it.')) return;
      await keyStore.remove();
      await keyStore.save(doc);
      await onChange();
    } catch (err) {
      setError(`${file.name}: ${err.message}`);
    } finally {
      e.target.value = '';
    }
  }
  return html`<div class="card">
    <h2>${replacing ? 'Replace with a key file' : 'Import a key file'}</h2>
    <p class="muted">A <code>keys.json</code> exported from this page or written by <code>raregen keys new</code> (in${' '}<code>~/.raregen/</code>).
      It stays encrypted; your passphrase is asked when you sign.</p>
    <label class="btn btn-ghost file-btn">Choose key file…
      <input type="file" id="import-key" accept=".json,application/json" onChange=${pick} />
    </label>
    <${Notice} kind="error" id="import-key-error">${error}<//>
  </div>`;
}

function KeyCard({ keys, onChange, session }) {
  const { doc, registered } = keys;
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);
  const isRegistered = registered === doc.public.identity;

  async function register(e) {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const { identity } = await unlockKeyFile(doc, pass);
      const env = sign(registerPayload(doc.public.identity), identity);
      identity.fill(0);
      const r = await api.register(env, session?.token);
      await keyStore.markRegistered(doc.public.identity);
      setPass('');
      const owner = session ? ` It belongs to your account ${session.email}.` : '';
      setMsg({ kind: 'ok', text: (r.status === 201 ? 'Registered. You can publish now.' : 'This key was already registered. You can publish now.') + owner });
      await onChange();
    } catch (err) {
      setMsg({ kind: 'error', text: err instanceof WrongPassphraseError ? 'Wrong passphrase: nothing was sent.' : `Registration failed: ${err.code ? err.code + ' — ' : ''}${err.message}` });
    } finally {
      setBusy(false);
    }
  }

  function exportFile() {
    download('keys.json', JSON.stringify(doc, null, 2) + '\n');
  }

  async function forget() {
    if (!confirm('Remove the key from this browser? Without an exported copy it is gone for good.')) return;
    await keyStore.remove();
    await onChange();
  }

  return html`<div class="grid2">
    <div class="card span-all">
      <h2>Identity key</h2>
      <dl class="facts">
        <dt>Public key</dt><dd><${Mono} cls="wrap" id="identity-pubkey">${doc.public.identity}<//></dd>
        <dt>Created</dt><dd>${fmtTime(doc.createdAt)}</dd>
        <dt>Registration</dt><dd id="registration-status">${isRegistered ? html`<span class="badge badge-mined">registered</span>` : html`<span class="badge badge-queued">not registered from this browser</span>`}</dd>
      </dl>
      <div class="row">
        <button class="btn btn-ghost" id="export-key" onClick=${exportFile}>Export key file</button>
        <button class="btn btn-danger-ghost" id="forget-key" onClick=${forget}>Remove from browser</button>
      </div>
    </div>
    <form class="card" onSubmit=${register} id="register-form">
      <h2>Register</h2>
      <p class="muted">Sends a register request signed by this key (proof of possession). Registering twice is harmless.</p>
      <${Field} label="Passphrase">
        <input type="password" id="register-passphrase" autocomplete="current-password" value=${pass} onInput=${(e) => setPass(e.target.value)} />
      <//>
      ${msg && html`<${Notice} kind=${msg.kind} id="register-message">${msg.text}<//>`}
      <button class="btn btn-primary" id="register" disabled=${busy || !pass}>${busy ? 'Registering…' : 'Register key'}</button>
    </form>
    <${ImportKey} onChange=${onChange} replacing=${true} />
    <${BackupCard} doc=${doc} />
    <${RecoverCard} existing=${doc} onChange=${onChange} />
  </div>`;
}
