// The signed envelope the API takes (docs/API.md "What a valid envelope is"): signedPayload is
// the RFC 8785 canonical JSON of {type, ..., nonce, createdAt}; signature is base64 DER ECDSA
// secp256k1 (low S, RFC 6979) over SHA-256 of its UTF-8 bytes; pubkey is the compressed key hex.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { hex, utf8, toBase64, fromBase64 } from './bytes.js';
import { publicKeyHex } from './keyfile.js';

export const MAX_PAYLOAD_BYTES = 100000;
const NONCE = /^[A-Za-z0-9._:-]{1,128}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** 128 random bits in hex, as the CLI makes them. */
export const nonce = () => hex(crypto.getRandomValues(new Uint8Array(16)));

export const canonical = (value) => canonicalize(value);

export function publishPayload(record, { recordId, now = new Date(), n = nonce() } = {}) {
  if (record === null || record === undefined) throw new Error('the record must not be null');
  const p = { type: 'publish', record, nonce: n, createdAt: now.toISOString() };
  if (recordId) p.recordId = recordId;
  return canonical(p);
}

export function registerPayload(pubkeyHex, { now = new Date(), n = nonce() } = {}) {
  return canonical({ type: 'register', pubkey: pubkeyHex, nonce: n, createdAt: now.toISOString() });
}

/** The payload of PUT /v1/identities/{pubkey}/backup-share: the share sealed on this side (docs/BACKUP.md). */
export function backupSharePayload(pubkeyHex, sealedShare, { now = new Date(), n = nonce() } = {}) {
  return canonical({ type: 'backup-share', pubkey: pubkeyHex, share: sealedShare, nonce: n, createdAt: now.toISOString() });
}

export function sign(payload, secret) {
  const der = secp256k1.sign(utf8(payload), secret, { format: 'der', lowS: true, prehash: true });
  return { signedPayload: payload, signature: toBase64(der), pubkey: publicKeyHex(secret) };
}

export const payloadBytes = (payload) => utf8(payload).length;

export class EnvelopeError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * The API's checks that matter to a reader of the chain (everything but freshness and the
 * intake size limit), in the API's order; returns {pubkey, payloadHash} or throws EnvelopeError.
 */
export function verifyEnvelope(env, expectedType = 'publish') {
  const payload = env.signedPayload;
  let root;
  try {
    root = JSON.parse(payload);
  } catch {
    throw new EnvelopeError('PAYLOAD_NOT_JSON', 'the signed payload is not JSON');
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new EnvelopeError('PAYLOAD_NOT_OBJECT', 'the signed payload is not a JSON object');
  }
  if (canonical(root) !== payload) {
    throw new EnvelopeError('PAYLOAD_NOT_CANONICAL', 'the signed payload is not in RFC 8785 canonical form');
  }
  if (!/^0[23][0-9a-f]{64}$/.test(env.pubkey)) throw new EnvelopeError('PUBKEY_INVALID', 'the public key is not a compressed key in lower-case hex');
  let pub;
  try {
    pub = secp256k1.Point.fromHex(env.pubkey);
  } catch {
    throw new EnvelopeError('PUBKEY_INVALID', 'the public key is not a point on secp256k1');
  }
  let der;
  try {
    der = fromBase64(env.signature);
  } catch {
    throw new EnvelopeError('SIGNATURE_MALFORMED', 'the signature is not base64');
  }
  if (toBase64(der) !== env.signature) throw new EnvelopeError('SIGNATURE_MALFORMED', 'the signature is not canonical padded base64');
  let sig;
  try {
    sig = secp256k1.Signature.fromBytes(der, 'der');
  } catch {
    throw new EnvelopeError('SIGNATURE_MALFORMED', 'the signature is not strict DER');
  }
  if (sig.hasHighS()) throw new EnvelopeError('SIGNATURE_HIGH_S', 'the signature has a high S value');
  const hash = sha256(utf8(payload));
  if (!secp256k1.verify(der, hash, pub.toBytes(true), { format: 'der', prehash: false, lowS: true })) {
    throw new EnvelopeError('SIGNATURE_INVALID', 'the signature does not verify against the public key');
  }
  if (root.type !== expectedType) throw new EnvelopeError('TYPE_MISMATCH', `payload type must be "${expectedType}"`);
  if (typeof root.nonce !== 'string' || !NONCE.test(root.nonce)) throw new EnvelopeError('NONCE_INVALID', 'the nonce is invalid');
  if (typeof root.createdAt !== 'string' || !RFC3339.test(root.createdAt)) throw new EnvelopeError('CREATED_AT_INVALID', 'createdAt is not RFC 3339');
  if (expectedType === 'publish' && (root.record === null || root.record === undefined)) {
    throw new EnvelopeError('RECORD_MISSING', 'the payload has no record');
  }
  return { pubkey: env.pubkey, payloadHash: hex(hash), payload: root };
}
