// Pure-module checks under Node (same WebCrypto API as the browser): key file round trip,
// envelope signing and verification, BUMP and record decoding on a hand-made transaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyFile, unlockKeyFile, parseKeyFile, WrongPassphraseError, toWif, fromWif } from '../src/lib/keyfile.js';
import { publishPayload, registerPayload, sign, verifyEnvelope } from '../src/lib/envelope.js';
import { parseBump, computeRoot } from '../src/lib/bump.js';
import { sha256d } from '../src/lib/tx.js';
import { concat, hex, reversed } from '../src/lib/bytes.js';

test('key file: seal, parse, unlock; wrong passphrase is detected', async () => {
  const doc = await createKeyFile('correct horse', { iterations: 1000 });
  assert.equal(doc.format, 'raregen-keys/1');
  parseKeyFile(JSON.stringify(doc));
  const keys = await unlockKeyFile(doc, 'correct horse');
  assert.equal(keys.identity.length, 32);
  await assert.rejects(unlockKeyFile(doc, 'wrong'), WrongPassphraseError);
  const swapped = { ...doc, public: { ...doc.public, identity: doc.public.financial } };
  await assert.rejects(unlockKeyFile(swapped, 'correct horse'), WrongPassphraseError);
});

test('WIF round trip (compressed, main net)', () => {
  const k = new Uint8Array(32).fill(7);
  const w = toWif(k);
  assert.match(w, /^[KL]/);
  assert.deepEqual(fromWif(w), k);
});

test('envelopes: canonical payload, low-S DER signature that verifies; tampering fails', async () => {
  const doc = await createKeyFile('p', { iterations: 1000 });
  const { identity } = await unlockKeyFile(doc, 'p');
  const payload = publishPayload({ z: 1, a: [true, null, 'é'] }, { recordId: 'r-1' });
  assert.ok(payload.startsWith('{"createdAt":'));
  const env = sign(payload, identity);
  assert.equal(env.pubkey, doc.public.identity);
  assert.equal(verifyEnvelope(env).pubkey, env.pubkey);
  assert.throws(() => verifyEnvelope({ ...env, signedPayload: payload.replace('"z":1', '"z":2') }), { code: 'SIGNATURE_INVALID' });
  const reg = sign(registerPayload(env.pubkey), identity);
  assert.equal(verifyEnvelope(reg, 'register').pubkey, env.pubkey);
});

test('BUMP: a two-leaf path computes the root; a changed byte does not', () => {
  const a = sha256d(new Uint8Array([1]));
  const b = sha256d(new Uint8Array([2]));
  const root = sha256d(concat(a, b));
  const bump = concat(new Uint8Array([5, 1, 2, 0, 2]), a, new Uint8Array([1, 0]), b);
  const path = parseBump(bump);
  assert.equal(path.blockHeight, 5);
  assert.equal(hex(computeRoot(path, a)), hex(root));
  const bad = Uint8Array.from(bump);
  bad[bad.length - 1] ^= 1;
  assert.notEqual(hex(computeRoot(parseBump(bad), a)), hex(root));
  assert.throws(() => computeRoot(path, reversed(a)), /not a leaf/);
});
