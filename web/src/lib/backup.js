// The key-backup share format (docs/BACKUP.md) in JavaScript, for the browser: it needs only the
// audited `shamir-secret-sharing` package and WebCrypto (globalThis.crypto), so a web app can import it
// as it is. It is also the JavaScript side of core's ShamirCrossCheckTest: shares made by this module recover
// in Java and the other way round. It never sees a private key it was not given, and keeps no state.
import { split, combine } from 'shamir-secret-sharing'

export const VERSION = 1
export const SPLIT_ID_BYTES = 4
export const FINGERPRINT_BYTES = 4
const HEADER_BYTES = 1 + SPLIT_ID_BYTES + 3 + FINGERPRINT_BYTES
const CHECKSUM_BYTES = 4
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const GROUP = 5

export const FORMAT = 'raregen-backup-share/1'
export const KDF = 'PBKDF2WithHmacSHA256'
export const CIPHER = 'AES/GCM/NoPadding'
export const DEFAULT_ITERATIONS = 600000

/** An error with a stable `code`: the same names as Java's io.raregen.core.backup.ShareError. */
export class ShareError extends Error {
  constructor (code, message) {
    super(message)
    this.code = code
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 (IEEE 802.3, the zlib / java.util.zip.CRC32 one). */
export function crc32 (bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export function base32Encode (bytes) {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

export function base32Decode (text) {
  const out = []
  let buffer = 0
  let bits = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if ('- \t\r\n'.includes(ch)) continue
    let up = ch.toUpperCase()
    if (up === 'O') up = '0'
    if (up === 'I' || up === 'L') up = '1'
    const v = ALPHABET.indexOf(up)
    if (v < 0 || ch.length !== 1) {
      throw new ShareError('SHARE_MALFORMED', `character '${ch}' at position ${i + 1} is not base32`)
    }
    buffer = (buffer << 5) | v
    bits += 5
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff)
      bits -= 8
    }
    buffer &= (1 << bits) - 1
  }
  if (bits >= 5) throw new ShareError('SHARE_MALFORMED', 'a character too many or too few')
  // the last character's unused low bits must be zero: otherwise it was mistyped
  if (buffer !== 0) throw new ShareError('SHARE_CHECKSUM', 'the share fails its checksum: the last character is wrong')
  return Uint8Array.from(out)
}

/** {version, splitId, index, threshold, total, fingerprint, share} -> "XXXXX-XXXXX-...". */
export function encodeShare ({ splitId, index, threshold, total, fingerprint, share }) {
  const bytes = new Uint8Array(HEADER_BYTES + share.length + CHECKSUM_BYTES)
  bytes[0] = VERSION
  bytes.set(splitId, 1)
  bytes[5] = index
  bytes[6] = threshold
  bytes[7] = total
  bytes.set(fingerprint, 8)
  bytes.set(share, HEADER_BYTES)
  const body = bytes.length - CHECKSUM_BYTES
  new DataView(bytes.buffer).setUint32(body, crc32(bytes.subarray(0, body)))
  return base32Encode(bytes).match(new RegExp(`.{1,${GROUP}}`, 'g')).join('-')
}

export function decodeShare (text) {
  if (typeof text !== 'string' || text.trim() === '') throw new ShareError('SHARE_MALFORMED', 'the share is empty')
  const symbols = text.replace(/[-\s]/g, '').length
  if (Math.floor(symbols * 5 / 8) < HEADER_BYTES + 2 + CHECKSUM_BYTES) {
    throw new ShareError('SHARE_MALFORMED', `the share is too short (${symbols} characters)`)
  }
  const bytes = base32Decode(text.trim())
  if (bytes.length < HEADER_BYTES + 2 + CHECKSUM_BYTES) {
    throw new ShareError('SHARE_MALFORMED', `the share is too short (${bytes.length} bytes)`)
  }
  const body = bytes.length - CHECKSUM_BYTES
  if (crc32(bytes.subarray(0, body)) !== new DataView(bytes.buffer).getUint32(body)) {
    throw new ShareError('SHARE_CHECKSUM', 'the share fails its checksum: a character is wrong, missing or swapped')
  }
  if (bytes[0] !== VERSION) throw new ShareError('SHARE_MALFORMED', `share format version ${bytes[0]} is not supported`)
  const s = {
    version: bytes[0],
    splitId: bytes.slice(1, 5),
    index: bytes[5],
    threshold: bytes[6],
    total: bytes[7],
    fingerprint: bytes.slice(8, HEADER_BYTES),
    share: bytes.slice(HEADER_BYTES, body)
  }
  if (s.threshold < 2 || s.threshold > s.total || s.index < 1 || s.index > s.total || s.share[s.share.length - 1] === 0) {
    throw new ShareError('SHARE_MALFORMED', 'a share needs 2 <= threshold <= total <= 255, 1 <= index <= total and x != 0')
  }
  return s
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])

/** First 4 bytes of SHA-256 of the 33-byte compressed public key. */
export async function fingerprint (compressedPublicKey) {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', compressedPublicKey))
  return digest.slice(0, FINGERPRINT_BYTES)
}

/** Splits a 32-byte private key into `total` share texts, any `threshold` of which rebuild it. */
export async function splitKey (privateKey, compressedPublicKey, { threshold = 3, total = 5 } = {}) {
  const splitId = globalThis.crypto.getRandomValues(new Uint8Array(SPLIT_ID_BYTES))
  const fp = await fingerprint(compressedPublicKey)
  const shares = await split(privateKey, total, threshold)
  return shares.map((share, i) => encodeShare({ splitId, index: i + 1, threshold, total, fingerprint: fp, share }))
}

/**
 * Checks a set of share texts and rebuilds the private key. `derivePublicKey(privateKey)` must return the
 * 33-byte compressed public key (e.g. @noble/secp256k1 getPublicKey(sk, true)); the key is returned only
 * when it has the shares' fingerprint. Errors: ShareError with the codes of ShareError.java.
 */
export async function recoverKey (texts, derivePublicKey) {
  if (!Array.isArray(texts) || texts.length === 0) throw new ShareError('SHARE_TOO_FEW', 'no shares given')
  const shares = texts.map((t, i) => {
    try {
      return decodeShare(t)
    } catch (e) {
      throw new ShareError(e.code ?? 'SHARE_MALFORMED', `share ${i + 1}: ${e.message}`)
    }
  })
  const first = shares[0]
  for (let i = 1; i < shares.length; i++) {
    const s = shares[i]
    for (let j = 0; j < i; j++) {
      if (same(shares[j].splitId, s.splitId) && shares[j].index === s.index) {
        throw new ShareError('SHARE_DUPLICATE', `share ${i + 1} is the same share as share ${j + 1} (number ${s.index})`)
      }
    }
    if (s.threshold !== first.threshold || s.total !== first.total) {
      throw new ShareError('SHARE_THRESHOLD_MISMATCH',
        `share ${i + 1} belongs to a ${s.threshold}-of-${s.total} backup, share 1 to a ${first.threshold}-of-${first.total} backup`)
    }
    if (!same(s.splitId, first.splitId) || !same(s.fingerprint, first.fingerprint)) {
      throw new ShareError('SHARE_MIXED_SPLITS',
        `share ${i + 1} comes from backup ${hex(s.splitId)}, share 1 from backup ${hex(first.splitId)}: use shares of one backup`)
    }
  }
  if (shares.length < first.threshold) {
    throw new ShareError('SHARE_TOO_FEW', `${shares.length} shares given, this backup needs ${first.threshold} of its ${first.total}`)
  }
  const secret = await combine(shares.map((s) => s.share))
  let pub
  try {
    pub = await derivePublicKey(secret)
  } catch (e) {
    throw new ShareError('KEY_MISMATCH', 'the shares do not rebuild a valid private key')
  }
  if (!same(await fingerprint(pub), first.fingerprint)) {
    throw new ShareError('KEY_MISMATCH', `the rebuilt key does not match the fingerprint ${hex(first.fingerprint)} the shares carry`)
  }
  return secret
}

const b64 = (bytes) => btoa(String.fromCharCode(...bytes))
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
const aad = (pubkeyHex) => new TextEncoder().encode(`${FORMAT}|${pubkeyHex}`)

async function deriveKey (passphrase, salt, iterations) {
  const base = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey'])
  return globalThis.crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

/** Seals one share text under a passphrase: the body the service stores (PUT .../backup-share, field "share"). */
export async function sealShare (shareText, passphrase, pubkeyHex, iterations = DEFAULT_ITERATIONS) {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16))
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const key = await deriveKey(passphrase, salt, iterations)
  const ciphertext = new Uint8Array(await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(pubkeyHex), tagLength: 128 }, key, new TextEncoder().encode(shareText)))
  return {
    format: FORMAT,
    kdf: { name: KDF, iterations, salt: b64(salt) },
    cipher: { name: CIPHER, iv: b64(iv) },
    ciphertext: b64(ciphertext)
  }
}

/** Opens a stored share; a wrong passphrase (or a blob of another key) is ShareError WRONG_PASSPHRASE. */
export async function openShare (sealed, passphrase, pubkeyHex) {
  if (sealed?.format !== FORMAT || sealed.kdf?.name !== KDF || sealed.cipher?.name !== CIPHER) {
    throw new ShareError('SHARE_MALFORMED', `not a ${FORMAT} object`)
  }
  const key = await deriveKey(passphrase, unb64(sealed.kdf.salt), sealed.kdf.iterations)
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64(sealed.cipher.iv), additionalData: aad(pubkeyHex), tagLength: 128 }, key, unb64(sealed.ciphertext))
    return new TextDecoder().decode(plain)
  } catch (e) {
    throw new ShareError('WRONG_PASSPHRASE', 'the passphrase does not open the stored share')
  }
}
