// The share module the Keys page uses: round trip, each misuse with its code, sealing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { splitKey, recoverKey, sealShare, openShare } from '../src/lib/backup.js';

const derive = (sk) => secp256k1.getPublicKey(sk, true);
const key = secp256k1.utils.randomSecretKey();
const texts = await splitKey(key, derive(key));
const code = async (p, c) => assert.equal(await p.then(() => 'no error', (e) => e.code), c);

test('any three of five shares rebuild the key', async () => {
  assert.equal(texts.length, 5);
  assert.deepEqual(await recoverKey([texts[4], texts[0], texts[2]], derive), key);
});

test('misuse is refused with the ShareError code', async () => {
  const flip = (t, i) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
  await code(recoverKey([flip(texts[0], 12), texts[1], texts[2]], derive), 'SHARE_CHECKSUM');
  await code(recoverKey([texts[0], texts[0], texts[2]], derive), 'SHARE_DUPLICATE');
  await code(recoverKey([texts[0], texts[1]], derive), 'SHARE_TOO_FEW');
  const other = await splitKey(key, derive(key));
  await code(recoverKey([texts[0], texts[1], other[2]], derive), 'SHARE_MIXED_SPLITS');
  await code(recoverKey([texts[0], 'U' + texts[1].slice(1), texts[2]], derive), 'SHARE_MALFORMED');
});

test('a sealed share opens only with its passphrase and key', async () => {
  const pub = Buffer.from(derive(key)).toString('hex');
  const sealed = await sealShare(texts[4], 'right passphrase', pub, 1000);
  assert.equal(await openShare(sealed, 'right passphrase', pub), texts[4]);
  await code(openShare(sealed, 'wrong passphrase', pub), 'WRONG_PASSPHRASE');
  await code(openShare(sealed, 'right passphrase', (pub.startsWith('02') ? '03' : '02') + pub.slice(2)), 'WRONG_PASSPHRASE');
});
