// Key backup in the browser (docs/BACKUP.md): the identity key split 3-of-5, share 5 sealed under
// the passphrase and kept by the service, shares 1–4 shown to the user; and recovery from any three.
// The share format is lib/backup.js, the same file core's ShamirCrossCheckTest runs against Java.
import { useState } from 'preact/hooks';
import qrcode from 'qrcode-generator';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { html, Notice, Field, Mono, download } from '../ui.js';
import { unlockKeyFile, sealKeyFile, WrongPassphraseError, ROLES } from '../lib/keyfile.js';
import { splitKey, sealShare, openShare, recoverKey } from '../lib/backup.js';
import { backupSharePayload, sign } from '../lib/envelope.js';
import { api } from '../lib/api.js';
import { keyStore } from '../lib/store.js';
import { hex } from '../lib/bytes.js';

const MIN_PASSPHRASE = 8;
const KEPT_SHARES = 4;

export function Custody() {
  return html`<div class="muted custody" id="custody">
    <p><strong>Who keeps what.</strong> You keep four shares: write them down, print them or save the file, each in a
      different place. RareGen keeps at most one share, encrypted in this browser under your passphrase; it never sees
      the passphrase, the key or any other share, so neither RareGen nor any single place can rebuild your key.</p>
    <p>Any three shares rebuild the key: three of yours, or two of yours plus the stored one (with the passphrase).
      Only the identity key is backed up; a recovered key gets fresh financial and tokens keys.</p>
  </div>`;
}

function Qr({ text, id }) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Alphanumeric');
  qr.make();
  return html`<div class="qr" id=${id} dangerouslySetInnerHTML=${{ __html: qr.createSvgTag({ cellSize: 3, margin: 2, scalable: true }) }} />`;
}

export function BackupCard({ doc }) {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);
  const [shares, setShares] = useState(null);
  const pubkey = doc.public.identity;

  async function backup(e) {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const secrets = await unlockKeyFile(doc, pass);
      const texts = await splitKey(secrets.identity, secp256k1.getPublicKey(secrets.identity, true));
      const sealed = await sealShare(texts[KEPT_SHARES], pass, pubkey);
      const env = sign(backupSharePayload(pubkey, sealed), secrets.identity);
      for (const r of ROLES) secrets[r].fill(0);
      await api.putBackupShare(pubkey, env);
      setPass('');
      setShares(texts.slice(0, KEPT_SHARES));
      setMsg({ kind: 'ok', text: 'Backed up: share 5 is stored by RareGen, sealed under your passphrase. Keep shares 1–4 below, each in a different place.' });
    } catch (err) {
      setMsg({ kind: 'error', text: err instanceof WrongPassphraseError ? 'Wrong passphrase: nothing was sent.' : `Backup failed: ${err.code ? err.code + ' — ' : ''}${err.message}` });
    } finally {
      setBusy(false);
    }
  }

  const asText = () => shares.map((s, i) => `RareGen key backup, share ${i + 1} of 5 (any 3 rebuild the key)\nidentity ${pubkey}\n${s}\n`).join('\n');

  return html`<form class="card span-all" onSubmit=${backup} id="backup-form">
    <h2>Back up</h2>
    <p class="muted">Splits the identity key into 5 shares, any 3 of which rebuild it. A new backup replaces the stored share;
      shares of an older backup do not mix with it.</p>
    <${Custody} />
    <${Field} label="Passphrase" hint="Unlocks the key and seals the share RareGen keeps.">
      <input type="password" id="backup-passphrase" autocomplete="current-password" value=${pass} onInput=${(e) => setPass(e.target.value)} />
    <//>
    ${msg && html`<${Notice} kind=${msg.kind} id="backup-message">${msg.text}<//>`}
    <button class="btn btn-primary" id="backup" disabled=${busy || !pass}>${busy ? 'Backing up…' : 'Back up key'}</button>
    ${shares && html`<div id="backup-shares">
      <div class="shares">
        ${shares.map((s, i) => html`<div class="share">
          <h3>Share ${i + 1} of 5</h3>
          <${Mono} cls="wrap" id=${`share-${i + 1}`}>${s}<//>
          <${Qr} text=${s} id=${`share-qr-${i + 1}`} />
        </div>`)}
      </div>
      <div class="row">
        <button type="button" class="btn btn-ghost" id="download-shares" onClick=${() => download('raregen-backup-shares.txt', asText(), 'text/plain')}>Download as .txt</button>
        <button type="button" class="btn btn-ghost" id="print-shares" onClick=${() => window.print()}>Print</button>
      </div>
    </div>`}
  </form>`;
}

export function RecoverCard({ existing, onChange }) {
  const [texts, setTexts] = useState(['', '', '']);
  const [useStored, setUseStored] = useState(false);
  const [pubkey, setPubkey] = useState('');
  const [oldPass, setOldPass] = useState('');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);
  const shown = useStored ? 2 : 3;

  async function recover(e) {
    e.preventDefault();
    setMsg(null);
    if (pass.length < MIN_PASSPHRASE) return setMsg({ kind: 'error', text: `Choose a new passphrase of at least ${MIN_PASSPHRASE} characters.` });
    if (pass !== again) return setMsg({ kind: 'error', text: 'The two new passphrases differ.' });
    const want = pubkey.trim().toLowerCase();
    if ((useStored || want) && !/^0[23][0-9a-f]{64}$/.test(want)) {
      return setMsg({ kind: 'error', code: 'PUBKEY_INVALID', text: 'The public key must be 66 hex characters starting with 02 or 03.' });
    }
    setBusy(true);
    try {
      const given = texts.slice(0, shown).filter((t) => t.trim() !== '');
      if (useStored) {
        const r = await api.getBackupShare(want);
        given.push(await openShare(r.body.share, oldPass, want));
      }
      const secret = await recoverKey(given, (sk) => secp256k1.getPublicKey(sk, true));
      const got = hex(secp256k1.getPublicKey(secret, true));
      if (want && got !== want) {
        throw Object.assign(new Error(`the shares rebuild the key ${got}, not ${want}`), { code: 'KEY_MISMATCH' });
      }
      let registered = false;
      try {
        const r = await api.identity(got);
        if (r.body?.pubkey && r.body.pubkey !== got) throw Object.assign(new Error('the service answered for another key'), { code: 'KEY_MISMATCH' });
        registered = true;
      } catch (err) {
        if (err.status !== 404) throw err;
      }
      if (existing && !confirm(`Replace the key stored in this browser (${existing.public.identity.slice(0, 12)}…) with the recovered key ${got.slice(0, 12)}…?`)) {
        secret.fill(0);
        return setMsg({ kind: 'info', text: 'Nothing was changed.' });
      }
      const secrets = { identity: secret, financial: secp256k1.utils.randomSecretKey(), tokens: secp256k1.utils.randomSecretKey() };
      const doc = await sealKeyFile(secrets, pass);
      for (const r of ROLES) secrets[r].fill(0);
      await keyStore.remove();
      await keyStore.save(doc);
      if (registered) await keyStore.markRegistered(got);
      setTexts(['', '', '']);
      setOldPass('');
      setPass('');
      setAgain('');
      await onChange();
      setMsg({ kind: 'ok', text: `Recovered ${got}${registered ? ' (registered with RareGen)' : ' (not registered with RareGen yet)'} and stored it under the new passphrase.` });
    } catch (err) {
      setMsg({ kind: 'error', code: err.code, text: `${err.code ? err.code + ' — ' : ''}${err.message}` });
    } finally {
      setBusy(false);
    }
  }

  const setText = (i, v) => setTexts(texts.map((t, j) => (j === i ? v : t)));

  return html`<form class="card span-all" onSubmit=${recover} id="recover-form">
    <h2>Recover from a backup</h2>
    <${Custody} />
    ${texts.slice(0, shown).map((t, i) => html`<${Field} label=${`Share ${i + 1}`}>
      <textarea rows="2" class="mono" id=${`recover-share-${i + 1}`} spellcheck="false" value=${t} onInput=${(e) => setText(i, e.target.value)} />
    <//>`)}
    <label class="check"><input type="checkbox" id="recover-use-stored" checked=${useStored} onChange=${(e) => setUseStored(e.target.checked)} />
      Use the share RareGen stores (two of mine plus the stored one)</label>
    <${Field} label="Public key" hint=${useStored ? 'Finds the stored share; the rebuilt key must match it.' : 'Optional: the rebuilt key must match it.'}>
      <input id="recover-pubkey" class="mono" spellcheck="false" value=${pubkey} onInput=${(e) => setPubkey(e.target.value)} />
    <//>
    ${useStored && html`<${Field} label="Backup passphrase" hint="The passphrase the key had when it was backed up: it opens the stored share.">
      <input type="password" id="recover-old-passphrase" autocomplete="off" value=${oldPass} onInput=${(e) => setOldPass(e.target.value)} />
    <//>`}
    <${Field} label="New passphrase">
      <input type="password" id="recover-passphrase" autocomplete="new-password" value=${pass} onInput=${(e) => setPass(e.target.value)} />
    <//>
    <${Field} label="New passphrase again">
      <input type="password" id="recover-passphrase-again" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.target.value)} />
    <//>
    ${msg && html`<${Notice} kind=${msg.kind} id="recover-message"><span data-code=${msg.code || ''}>${msg.text}</span><//>`}
    <button class="btn btn-primary" id="recover" disabled=${busy}>${busy ? 'Recovering…' : 'Recover key'}</button>
  </form>`;
}
