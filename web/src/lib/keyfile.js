// The encrypted key file, byte-compatible with the CLI's keys.json (format raregen-keys/1):
// PBKDF2-HMAC-SHA256 (600,000 iterations, 16-byte salt) derives an AES-256 key; AES-GCM
// (12-byte IV, 128-bit tag) seals {"identity":WIF,"financial":WIF,"tokens":WIF}, with
// "raregen-keys/1|<identity>|<financial>|<tokens>" (the public keys) as associated data, so a
// wrong passphrase and a swapped public key are both detected.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { hex, utf8, toBase64, fromBase64 } from './bytes.js';

export const FORMAT = 'raregen-keys/1';
export const KDF = 'PBKDF2WithHmacSHA256';
export const CIPHER = 'AES/GCM/NoPadding';
export const DEFAULT_ITERATIONS = 600000;
export const ROLES = ['identity', 'financial', 'tokens'];
const WIF_MAIN = 0x80;
const b58check = createBase58check(sha256);

export class WrongPassphraseError extends Error {
  constructor() {
    super('wrong passphrase (or the key file was altered)');
    this.name = 'WrongPassphraseError';
  }
}

/** Compressed-key WIF, main-net prefix, exactly as the CLI writes it. */
export function toWif(secret) {
  const payload = new Uint8Array(34);
  payload[0] = WIF_MAIN;
  payload.set(secret, 1);
  payload[33] = 1;
  return b58check.encode(payload);
}

export function fromWif(wif) {
  let d;
  try {
    d = b58check.decode(wif);
  } catch {
    throw new Error('not a base58check WIF key');
  }
  if (d[0] !== 0x80 && d[0] !== 0xef) throw new Error('WIF has an unknown network prefix');
  if (d.length !== 34 || d[33] !== 1) throw new Error('WIF must encode a 32-byte key with the compression flag');
  const secret = d.slice(1, 33);
  if (!secp256k1.utils.isValidSecretKey(secret)) throw new Error('private key out of range');
  return secret;
}

export const publicKeyHex = (secret) => hex(secp256k1.getPublicKey(secret, true));

const aad = (publics) => utf8(FORMAT + '|' + ROLES.map((r) => publics[r]).join('|'));

async function deriveKey(passphrase, salt, iterations) {
  // Java's PBEKeySpec hands PBKDF2 the passphrase as UTF-8; so does TextEncoder
  const base = await crypto.subtle.importKey('raw', utf8(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Generates three keys and returns the sealed key file document (nothing secret in clear). */
export async function createKeyFile(passphrase, { iterations = DEFAULT_ITERATIONS, now = new Date() } = {}) {
  const secrets = Object.fromEntries(ROLES.map((r) => [r, secp256k1.utils.randomSecretKey()]));
  return sealKeyFile(secrets, passphrase, { iterations, now });
}

export async function sealKeyFile(secrets, passphrase, { iterations = DEFAULT_ITERATIONS, now = new Date() } = {}) {
  if (!passphrase) throw new Error('a passphrase is required');
  const publics = Object.fromEntries(ROLES.map((r) => [r, publicKeyHex(secrets[r])]));
  const plaintext = utf8(JSON.stringify(Object.fromEntries(ROLES.map((r) => [r, toWif(secrets[r])]))));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, iterations);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(publics), tagLength: 128 }, key, plaintext));
  plaintext.fill(0);
  return {
    format: FORMAT,
    createdAt: now.toISOString(),
    public: publics,
    kdf: { name: KDF, iterations, salt: toBase64(salt) },
    cipher: { name: CIPHER, iv: toBase64(iv) },
    ciphertext: toBase64(ct),
  };
}

/** Checks the shape of a key file (e.g. one the CLI wrote) without the passphrase; returns it. */
export function parseKeyFile(text) {
  let doc;
  try {
    doc = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    throw new Error('the file is not JSON');
  }
  if (!doc || doc.format !== FORMAT) throw new Error(`not a ${FORMAT} key file`);
  for (const r of ROLES) {
    if (!/^0[23][0-9a-f]{64}$/.test(doc.public?.[r] ?? '')) throw new Error(`the key file has no valid public ${r} key`);
  }
  if (doc.kdf?.name !== KDF || !Number.isInteger(doc.kdf?.iterations) || doc.kdf.iterations < 1) {
    throw new Error(`unsupported key derivation (expected ${KDF})`);
  }
  if (doc.cipher?.name !== CIPHER) throw new Error(`unsupported cipher (expected ${CIPHER})`);
  try {
    if (fromBase64(doc.kdf.salt).length < 8 || fromBase64(doc.cipher.iv).length !== 12 || fromBase64(doc.ciphertext).length < 17) {
      throw new Error();
    }
  } catch {
    throw new Error('the key file is damaged (salt, iv or ciphertext)');
  }
  return doc;
}

/** Opens the key file: {identity, financial, tokens} secret keys. Throws WrongPassphraseError. */
export async function unlockKeyFile(doc, passphrase) {
  const key = await deriveKey(passphrase, fromBase64(doc.kdf.salt), doc.kdf.iterations);
  let plain;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(doc.cipher.iv), additionalData: aad(doc.public), tagLength: 128 },
      key,
      fromBase64(doc.ciphertext),
    ));
  } catch {
    throw new WrongPassphraseError();
  }
  const wifs = JSON.parse(new TextDecoder().decode(plain));
  plain.fill(0);
  const secrets = Object.fromEntries(ROLES.map((r) => [r, fromWif(wifs[r])]));
  if (publicKeyHex(secrets.identity) !== doc.public.identity) {
    throw new Error('key file inconsistent: the identity key does not match its public key');
  }
  return secrets;
}
